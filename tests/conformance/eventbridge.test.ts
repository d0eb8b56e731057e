import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../infra/local/events/index.js';

/**
 * Runs every EventBridge pattern case in cases/eventbridge (format: cases/README.md). Each case
 * cites its AWS / event-ruler source; the engine has no per-case handling.
 */

interface Check {
  event: unknown;
  expected: { matches: boolean };
}

interface PatternCase extends Check {
  id: string;
  description: string;
  /** Parsed pattern; absent when only `pattern_raw` is given. */
  pattern?: Record<string, unknown>;
  /** Raw JSON text, kept where the text itself matters (repeated keys, number spellings). */
  pattern_raw?: string;
  also_check?: Check[];
}

const casesDir = join(dirname(fileURLToPath(import.meta.url)), 'cases', 'eventbridge');
const cases: PatternCase[] = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(casesDir, f), 'utf8')) as PatternCase);

describe('EventBridge pattern matching conformance (tests/conformance/cases/eventbridge)', () => {
  it('loads every case file', () => {
    expect(cases.length).toBe(readdirSync(casesDir).filter((f) => f.endsWith('.json')).length);
    expect(cases.length).toBeGreaterThan(0);
  });

  describe.each(cases)('$id', (testCase) => {
    // The raw text is what EventBridge receives; prefer it whenever the case provides it.
    const compiled = () => compilePattern(testCase.pattern_raw ?? testCase.pattern);
    const checks = [testCase, ...(testCase.also_check ?? [])];

    it.each(checks.map((check, index) => ({ index, check })))(
      `${testCase.description} [check $index]`,
      ({ check }) => {
        expect(compiled()(check.event)).toBe(check.expected.matches);
      },
    );
  });
});
