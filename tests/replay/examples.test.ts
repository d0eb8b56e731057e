import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { driveToEnd } from '../support/drive.js';
import { example, startTestPlatform, type Api } from '../support/platform.js';

interface Entry { file: string; submitOn: string }
const manifest = (JSON.parse(readFileSync('examples/manifest.json', 'utf8')) as Entry[]).sort((a, b) => a.submitOn.localeCompare(b.submitOn));

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
const ids = new Map<string, string>();

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform(`${manifest[0].submitOn}T02:00:00Z`));
  // Every bundled example through its whole lifecycle, each on the date its source gives.
  for (const entry of manifest) {
    clock.set(Date.parse(`${entry.submitOn}T02:00:00Z`));
    const answer = await api.post('/declarations', example(entry.file), entry.file.endsWith('.xml') ? 'application/xml' : 'application/json');
    // A submission refused at the e-port stores nothing: there is no lifecycle to replay.
    if (answer.status !== 202) continue;
    await driveToEnd(api, answer.body.id);
    ids.set(entry.file, answer.body.id);
  }
}, 300_000);
afterAll(() => runtime?.stop());

describe('POST /audits/replays: every example declaration replays identically', () => {
  it('stores every example (the e-port accepts them all, TT_IM011a as a customs clearance request)', () => {
    expect(manifest.filter((e) => !ids.has(e.file)).map((e) => e.file)).toEqual([]);
  });

  it.each(manifest.map((e) => e.file))('%s', async (file) => {
    const { status, body } = await api.post('/audits/replays', { declarationId: ids.get(file) });
    expect(status).toBe(200);
    const diverged = body.comparison.steps.filter((s: any) => s.status !== 'IDENTICAL');
    expect(diverged).toEqual([]);
    expect(body).toMatchObject({ mode: 'REPLAY', comparison: { outcome: 'IDENTICAL', diverged: 0 } });
    expect(body.comparison.identical).toBeGreaterThanOrEqual(6);
    expect(body.eventsNotPublished).toBeGreaterThan(0);
  });
});
