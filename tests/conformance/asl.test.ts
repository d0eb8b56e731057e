/**
 * Conformance of the local ASL engine: every case in tests/conformance/cases/asl (format in
 * cases/README.md; each case cites the AWS documentation its expected values come from) runs
 * through LocalStepFunctions with mocked task integrations and a VirtualClock.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, StatesError, VirtualClock, type HistoryEvent, type TaskContext } from '../../infra/local/asl/index.js';

interface Thrown {
  Error: string;
  Cause?: string;
}
interface Mock {
  return?: unknown;
  throw?: Thrown;
  throw_always?: Thrown;
  throw_sequence?: Thrown[];
  sleep_seconds?: number;
}
interface Case {
  id: string;
  definition: Record<string, unknown>;
  input: unknown;
  mocks?: Record<string, Mock>;
  context?: { Execution?: { Id?: string } };
  expected: Record<string, any>;
  also_check?: { input: unknown; expected: Record<string, any> }[];
}

const casesDir = join(import.meta.dirname, 'cases', 'asl');
const cases: Case[] = readdirSync(casesDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(casesDir, f), 'utf8')));

/** `"<A | B>"` lists alternative error names; each alternative is a scenario of its own. */
function alternativesOf(c: Case): string[] | undefined {
  for (const mock of Object.values(c.mocks ?? {})) {
    const m = /^<(.+)>$/.exec(mock.throw?.Error ?? '');
    if (m) return m[1].split('|').map((s) => s.trim());
  }
  return undefined;
}

interface Invocation {
  stateName: string;
  input: unknown;
  at: number;
}

interface RunResult {
  status: string;
  output?: unknown;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  invocations: Invocation[];
  elapsedSeconds: number;
}

/** Runs a definition once on a fresh engine with the case's mocks. */
async function run(c: Case, input: unknown, alternative?: string): Promise<RunResult> {
  const clock = new VirtualClock();
  // A case with a Context object names its execution and state machine by ARN; use that ARN's parts.
  const arn = /^arn:aws:states:([^:]+):(\d{12}):execution:([^:]+):(.+)$/.exec(c.context?.Execution?.Id ?? '');
  const invocations: Invocation[] = [];
  const attempts = new Map<string, number>();
  const mocked = async (payload: unknown, ctx: TaskContext) => {
    invocations.push({ stateName: ctx.stateName, input: payload, at: clock.now() });
    const n = attempts.get(ctx.stateName) ?? 0;
    attempts.set(ctx.stateName, n + 1);
    const mock = c.mocks?.[ctx.stateName];
    if (!mock) return payload;
    if (mock.sleep_seconds !== undefined) {
      await clock.sleep(mock.sleep_seconds * 1000, ctx.signal);
      return {};
    }
    const thrown = mock.throw_always ?? mock.throw_sequence?.[n] ?? mock.throw;
    if (thrown) throw new StatesError(alternative && /^<.+>$/.test(thrown.Error) ? alternative : thrown.Error, thrown.Cause);
    if (typeof mock.return === 'string' && mock.return.startsWith('$input')) return payload;
    return mock.return ?? {};
  };
  const sfn = new LocalStepFunctions({
    clock,
    region: arn?.[1],
    accountId: arn?.[2],
    integrations: {
      invokeLambda: (_fn, payload, ctx) => mocked(payload, ctx),
      callService: (_service, _action, params, ctx) => mocked(params, ctx),
    },
  });
  const { stateMachineArn } = sfn.createStateMachine({ name: arn?.[3] ?? 'conformance', definition: JSON.stringify(c.definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, name: arn?.[4], input: JSON.stringify(input) });
  const done = await sfn.awaitExecution(executionArn);
  const { events } = sfn.getExecutionHistory({ executionArn, maxResults: 1000 });
  return {
    status: done.status,
    output: done.output === undefined ? undefined : JSON.parse(done.output),
    error: done.error,
    cause: done.cause,
    events: events.map((e) => ({ ...e, timestamp: (e.timestamp as Date).getTime() })),
    invocations,
    elapsedSeconds: (done.stopDate!.getTime() - done.startDate.getTime()) / 1000,
  };
}

const enteredStates = (r: RunResult) => r.events.filter((e) => e.type.endsWith('StateEntered')).map((e) => (e.stateEnteredEventDetails as { name: string }).name);

/** Waits between consecutive invocations of the (first) mocked state. */
function retryWaits(r: RunResult): number[] {
  const calls = r.invocations.filter((i) => i.stateName === r.invocations[0]?.stateName);
  return calls.slice(1).map((call, i) => (call.at - calls[i].at) / 1000);
}

/** Input of the first state of Map iteration 0 (from the history). */
function firstIterationInput(r: RunResult): unknown {
  const started = r.events.find((e) => e.type === 'MapIterationStarted' && (e.mapIterationStartedEventDetails as { index: number }).index === 0)!;
  const entered = r.events.find((e) => e.previousEventId === started.id && e.type.endsWith('StateEntered'))!;
  return JSON.parse((entered.stateEnteredEventDetails as { input: string }).input);
}

function readProperty(root: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
}

/** Checks every expectation key the README defines. */
function check(r: RunResult, expected: Record<string, any>): void {
  const path = enteredStates(r);
  for (const [key, want] of Object.entries(expected)) {
    switch (key) {
      case 'output':
        expect(r.output, 'output').toEqual(want);
        break;
      case 'status':
        expect(r.status, 'status').toBe(want);
        break;
      case 'error':
        expect(r.error, 'error').toBe(want);
        break;
      case 'cause':
        expect(r.cause, 'cause').toBe(want);
        break;
      case 'next_state':
        expect(path[1], 'next_state').toBe(want);
        break;
      case 'path':
        expect(path, 'path').toEqual(want);
        break;
      case 'task_input':
        expect(r.invocations[0]?.input, 'task_input').toEqual(want);
        break;
      case 'first_iteration_input':
        expect(firstIterationInput(r), 'first_iteration_input').toEqual(want);
        break;
      case 'iterations':
        expect(r.events.filter((e) => e.type === 'MapIterationStarted').length, 'iterations').toBe(want);
        break;
      case 'iteration_inputs':
        expect(r.invocations.map((i) => i.input), 'iteration_inputs').toEqual(want);
        break;
      case 'attempts':
        expect(r.invocations.filter((i) => i.stateName === r.invocations[0]?.stateName).length, 'attempts').toBe(want);
        break;
      case 'task_invocations':
        expect(r.invocations.length, 'task_invocations').toBe(want);
        break;
      case 'retry_waits_seconds':
        expect(retryWaits(r), 'retry_waits_seconds').toEqual(want);
        break;
      case 'retry_wait_bounds_seconds': {
        const waits = retryWaits(r);
        expect(waits.length, 'number of retry waits').toBe(want.length);
        want.forEach(([lo, hi]: [number, number], i: number) => {
          expect(waits[i]).toBeGreaterThanOrEqual(lo);
          expect(waits[i]).toBeLessThanOrEqual(hi);
        });
        break;
      }
      case 'waited_seconds':
        expect(r.elapsedSeconds, 'waited_seconds').toBe(want);
        break;
      case 'output_property': {
        const [, property, pattern] = /^(\S+) matches (.+)$/.exec(want)!;
        expect(String(readProperty({ output: r.output }, property)), 'output_property').toMatch(new RegExp(pattern));
        break;
      }
      default: {
        const after = /^next_state_after_(.+)$/.exec(key);
        if (!after) throw new Error(`unknown expectation '${key}'`);
        expect(path[path.indexOf(after[1]) + 1], key).toBe(want);
      }
    }
  }
}

describe('ASL conformance (tests/conformance/cases/asl)', () => {
  it('has cases to run', () => expect(cases.length).toBeGreaterThan(50));

  for (const c of cases) {
    describe(c.id, () => {
      const alternatives = alternativesOf(c);
      if (alternatives) {
        for (const alt of alternatives) {
          it(`matches the documented outcome when the task throws ${alt}`, async () => {
            check(await run(c, c.input, alt), c.expected[`when_${alt}`] ?? c.expected.when_other);
          });
        }
      } else {
        it('matches the documented outcome', async () => check(await run(c, c.input), c.expected));
      }
      (c.also_check ?? []).forEach((extra, i) => {
        it(`matches the documented outcome for extra input #${i + 1}`, async () => check(await run(c, extra.input), extra.expected));
      });
    });
  }
});
