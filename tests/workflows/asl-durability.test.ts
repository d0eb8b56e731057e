/**
 * Durable mode of the local engine (JournalExecutionStore): an engine is "crashed" by
 * abandoning it mid-execution without any shutdown — nothing more reaches its journal, exactly
 * as after `kill -9` — and a new engine is started on the same journal. Executions continue
 * from where they were: task tokens stay valid, elapsed waits fire at once, nothing recorded is
 * recorded again and nothing done is done again. (tests/local/durability-e2e.test.ts does the
 * same with a real `kill -9` of the whole platform.)
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalExecutionStore, LocalStepFunctions, StatesError, VirtualClock, type TaskContext } from '../../infra/local/asl/index.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Call {
  fn: string;
  payload: any;
  ctx: TaskContext;
}

/** One engine "process" on the journal in `dir`, with its own clock and a recording Lambda. */
function boot(dir: string, at: number, behaviour: (call: Call) => unknown = () => ({})) {
  const clock = new VirtualClock({ start: at, autoAdvance: false });
  const calls: Call[] = [];
  const store = new JournalExecutionStore(join(dir, 'stepfunctions.jsonl'));
  const sfn = new LocalStepFunctions({
    clock,
    store,
    random: () => 0.5,
    integrations: {
      invokeLambda: async (name, payload, ctx) => {
        const call = { fn: name, payload, ctx };
        calls.push(call);
        return behaviour(call);
      },
      callService: async (_s, _a, params) => params,
    },
  });
  return { sfn, clock, calls, store };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clearway-asl-durable-'));
  dirs.push(dir);
  return dir;
}

/** Lets pending promise chains and immediates run. */
async function settle(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

const T0 = Date.parse('2025-05-20T02:00:00Z');

const eventTypes = (sfn: LocalStepFunctions, executionArn: string) => sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events.map((e) => e.type);
const count = (types: string[], type: string) => types.filter((t) => t === type).length;

describe('a durable engine restarted while an execution waits for a callback', () => {
  const definition = {
    StartAt: 'Accept',
    States: {
      Accept: { Type: 'Task', Resource: fn('accept'), ResultPath: '$.accepted', Next: 'AwaitPayment' },
      AwaitPayment: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: fn('await'), Payload: { 'token.$': '$$.Task.Token', 'id.$': '$.id' } },
        TimeoutSeconds: 15 * 24 * 3600,
        ResultPath: '$.payment',
        Next: 'Release',
      },
      Release: { Type: 'Task', Resource: fn('release'), ResultPath: '$.released', End: true },
    },
  };

  async function startAndWait(dir: string) {
    const first = boot(dir, T0, () => ({ ok: true }));
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'lifecycle', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: JSON.stringify({ id: 'D-1' }) });
    await settle();
    const token = first.calls.find((c) => c.fn === fn('await'))!.payload.token as string;
    return { first, executionArn, token };
  }

  it('accepts the token issued before the crash and finishes without running any step twice', async () => {
    const dir = tempDir();
    const { first, executionArn, token } = await startAndWait(dir);
    expect(first.calls.map((c) => c.fn)).toEqual([fn('accept'), fn('await')]);

    const second = boot(dir, T0 + 3 * 24 * 3600_000, () => ({ ok: true }));
    // The token is valid as soon as the engine exists, before any execution is resumed.
    second.sfn.sendTaskSuccess({ taskToken: token, output: JSON.stringify({ paid: '172530.00' }) });
    expect(second.sfn.resumeExecutions()).toEqual([executionArn]);
    const done = await second.sfn.awaitExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ id: 'D-1', accepted: { ok: true }, payment: { paid: '172530.00' }, released: { ok: true } });
    expect(second.calls.map((c) => c.fn)).toEqual([fn('release')]);
    const types = eventTypes(second.sfn, executionArn);
    expect(count(types, 'ExecutionStarted')).toBe(1);
    expect(count(types, 'TaskScheduled')).toBe(1);
    expect(count(types, 'TaskSubmitted')).toBe(1);
    expect(count(types, 'LambdaFunctionScheduled')).toBe(2);
    const events = second.sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
    events.forEach((e, i) => expect(e.id).toBe(i + 1));
  });

  it('keeps a SendTaskSuccess acknowledged just before the crash', async () => {
    const dir = tempDir();
    const { first, executionArn, token } = await startAndWait(dir);
    first.sfn.sendTaskSuccess({ taskToken: token, output: '{"paid":"1.00"}' });
    // Crash right after the answer was acknowledged: the engine did not get to move on.
    const second = boot(dir, T0 + 1000, () => ({ ok: true }));
    second.sfn.resumeExecutions();
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!).payment).toEqual({ paid: '1.00' });
    expect(() => second.sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ __type: 'TaskDoesNotExist' }));
  });

  it('times the task out at start when its deadline passed while the process was down', async () => {
    const dir = tempDir();
    const { executionArn, token } = await startAndWait(dir);
    const second = boot(dir, T0 + 16 * 24 * 3600_000);
    second.sfn.resumeExecutions();
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(second.calls).toHaveLength(0);
    expect(() => second.sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).toThrow(expect.objectContaining({ __type: 'TaskTimedOut' }));
  });

  it('counts a HeartbeatSeconds countdown from the last heartbeat sent before the crash', async () => {
    const dir = tempDir();
    const heartbeat = { StartAt: 'Officer', States: { Officer: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: fn('officer'), Payload: { 'token.$': '$$.Task.Token' } }, HeartbeatSeconds: 600, End: true } } };
    const first = boot(dir, T0);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'heartbeat', definition: JSON.stringify(heartbeat) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    const token = first.calls[0].payload.token;
    first.clock.advance(500_000);
    first.sfn.sendTaskHeartbeat({ taskToken: token });

    // Restarted 9 minutes after the heartbeat: 1 minute of the countdown is left.
    const second = boot(dir, T0 + 500_000 + 540_000);
    second.sfn.resumeExecutions();
    await settle();
    expect(second.sfn.describeExecution({ executionArn }).status).toBe('RUNNING');
    second.clock.advance(60_000);
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(done.stopDate!.getTime()).toBe(T0 + 500_000 + 600_000);
  });

  it('answers GetExecutionHistory and DescribeExecution after the restart exactly as before it', async () => {
    const dir = tempDir();
    const { first, executionArn } = await startAndWait(dir);
    const before = first.sfn.getExecutionHistory({ executionArn, maxResults: 1000 });
    const second = boot(dir, T0 + 5000);
    expect(second.sfn.getExecutionHistory({ executionArn, maxResults: 1000 })).toEqual(before);
    expect(second.sfn.describeExecution({ executionArn })).toEqual(first.sfn.describeExecution({ executionArn }));
  });
});

describe('a durable engine restarted during a Wait state', () => {
  const definition = {
    StartAt: 'Deadline',
    States: {
      Deadline: { Type: 'Wait', Seconds: 3600, Next: 'Overdue' },
      Overdue: { Type: 'Task', Resource: fn('overdue'), End: true },
    },
  };

  async function startWaiting(dir: string) {
    const first = boot(dir, T0);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'deadline', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    expect(first.clock.pendingSleeps).toBe(1);
    return executionArn;
  }

  it('fires at start when its time passed while the process was down', async () => {
    const dir = tempDir();
    const executionArn = await startWaiting(dir);
    const second = boot(dir, T0 + 2 * 3600_000);
    second.sfn.resumeExecutions();
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(second.calls.map((c) => c.fn)).toEqual([fn('overdue')]);
    const exited = second.sfn.getExecutionHistory({ executionArn }).events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp.getTime()).toBe(T0 + 2 * 3600_000);
  });

  it('waits only the rest of its time when restarted before it', async () => {
    const dir = tempDir();
    const executionArn = await startWaiting(dir);
    const second = boot(dir, T0 + 600_000);
    second.sfn.resumeExecutions();
    await settle();
    expect(second.calls).toHaveLength(0);
    second.clock.advance(3000_000 - 1);
    await settle();
    expect(second.calls).toHaveLength(0);
    second.clock.advance(1);
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    const exited = second.sfn.getExecutionHistory({ executionArn }).events.find((e) => e.type === 'WaitStateExited')!;
    expect(exited.timestamp.getTime()).toBe(T0 + 3600_000);
  });
});

describe('a durable engine restarted in the middle of other states', () => {
  it('keeps the retry back-off and the retrier counts', async () => {
    const dir = tempDir();
    const definition = {
      StartAt: 'Flaky',
      States: { Flaky: { Type: 'Task', Resource: fn('flaky'), Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 60, MaxAttempts: 2 }], End: true } },
    };
    const busy = () => {
      throw new StatesError('Busy', 'try later');
    };
    const first = boot(dir, T0, busy);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'flaky', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    expect(first.calls).toHaveLength(1);

    const second = boot(dir, T0 + 30_000, busy);
    second.sfn.resumeExecutions();
    await settle();
    expect(second.calls).toHaveLength(0);
    second.clock.advance(30_000);
    await settle();
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0].ctx.attempt).toBe(1);
    // The second retry waits 120 s (×2.0), then the retrier is spent: MaxAttempts 2 in total, across the restart.
    second.clock.advance(120_000);
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Busy' });
    expect(second.calls).toHaveLength(2);
  });

  it('re-runs, once, a call the crash interrupted, with the same task token', async () => {
    const dir = tempDir();
    const definition = {
      StartAt: 'Notify',
      States: {
        Notify: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: fn('notify'), Payload: { 'token.$': '$$.Task.Token' } }, End: true },
      },
    };
    // The first process dies while the function runs (it never returns).
    const first = boot(dir, T0, () => new Promise(() => undefined));
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'notify', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    const token = first.calls[0].payload.token;

    const second = boot(dir, T0 + 1000);
    second.sfn.resumeExecutions();
    await settle();
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0].payload.token).toBe(token);
    second.sfn.sendTaskSuccess({ taskToken: token, output: '"done"' });
    expect((await second.sfn.awaitExecution(executionArn)).output).toBe('"done"');
    expect(count(eventTypes(second.sfn, executionArn), 'TaskScheduled')).toBe(1);
  });

  it('resumes a Parallel state without re-running the branch that had finished', async () => {
    const dir = tempDir();
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Quick', States: { Quick: { Type: 'Task', Resource: fn('quick'), End: true } } },
            { StartAt: 'Officer', States: { Officer: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: fn('officer'), Payload: { 'token.$': '$$.Task.Token' } }, OutputPath: '$.decision', End: true } } },
          ],
          End: true,
        },
      },
    };
    const first = boot(dir, T0, (c) => (c.fn === fn('quick') ? { quick: 1 } : {}));
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'both', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    const token = first.calls.find((c) => c.fn === fn('officer'))!.payload.token;

    const second = boot(dir, T0 + 1000);
    second.sfn.resumeExecutions();
    second.sfn.sendTaskSuccess({ taskToken: token, output: '{"decision":"RELEASE"}' });
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ quick: 1 }, 'RELEASE']);
    expect(second.calls).toHaveLength(0);
  });

  it('resumes a Map state: finished iterations keep their results, waiting ones continue, the rest start', async () => {
    const dir = tempDir();
    const definition = {
      StartAt: 'Lines',
      States: {
        Lines: {
          Type: 'Map',
          MaxConcurrency: 2,
          ItemsPath: '$.lines',
          ItemProcessor: {
            StartAt: 'Price',
            States: {
              Price: { Type: 'Task', Resource: fn('price'), Next: 'Check' },
              Check: { Type: 'Wait', Seconds: 60, End: true },
            },
          },
          End: true,
        },
      },
    };
    const price = (c: Call) => ({ line: c.payload.line, price: c.payload.line * 10 });
    const first = boot(dir, T0, price);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'lines', definition: JSON.stringify(definition) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: JSON.stringify({ lines: [1, 2, 3, 4].map((line) => ({ line })) }) });
    await settle();
    first.clock.advance(60_000); // iterations 0 and 1 finish; 2 and 3 start and wait
    await settle();
    expect(first.calls.map((c) => c.payload.line)).toEqual([1, 2, 3, 4]);

    const second = boot(dir, T0 + 90_000, price);
    second.sfn.resumeExecutions();
    second.clock.advance(30_000);
    const done = await second.sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([1, 2, 3, 4].map((line) => ({ line, price: line * 10 })));
    expect(second.calls).toHaveLength(0);
    expect(count(eventTypes(second.sfn, executionArn), 'MapIterationStarted')).toBe(4);
  });

  it('rewrites the journal with only what is live when it starts', async () => {
    const dir = tempDir();
    const definition = { StartAt: 'P', States: { P: { Type: 'Task', Resource: fn('p'), End: true } } };
    const first = boot(dir, T0);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'many', definition: JSON.stringify(definition) });
    for (let i = 0; i < 50; i++) await first.sfn.awaitExecution(first.sfn.startExecution({ stateMachineArn, input: '{}' }).executionArn);
    const journal = join(dir, 'stepfunctions.jsonl');
    const linesBefore = readFileSync(journal, 'utf8').trim().split('\n').length;
    const second = boot(dir, T0);
    const linesAfter = readFileSync(journal, 'utf8').trim().split('\n').length;
    expect(linesAfter).toBe(1 + 50);
    expect(linesAfter).toBeLessThan(linesBefore);
    expect(statSync(journal).size).toBeGreaterThan(0);
    expect(second.sfn.listExecutions({ stateMachineArn, maxResults: 1000 }).executions).toHaveLength(50);
  });

  it('keeps running executions on the definition they started with when the state machine is updated', async () => {
    const dir = tempDir();
    const v1 = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, Next: 'Done' }, Done: { Type: 'Pass', Result: 'v1', End: true } } };
    const v2 = { StartAt: 'Done', States: { Done: { Type: 'Pass', Result: 'v2', End: true } } };
    const first = boot(dir, T0);
    const { stateMachineArn } = first.sfn.createStateMachine({ name: 'versions', definition: JSON.stringify(v1) });
    const { executionArn } = first.sfn.startExecution({ stateMachineArn, input: '{}' });
    await settle();
    const second = boot(dir, T0 + 60_000);
    second.sfn.updateStateMachine({ stateMachineArn, definition: JSON.stringify(v2) });
    second.sfn.resumeExecutions();
    expect((await second.sfn.awaitExecution(executionArn)).output).toBe('"v1"');
    const next = second.sfn.startExecution({ stateMachineArn, input: '{}' });
    expect((await second.sfn.awaitExecution(next.executionArn)).output).toBe('"v2"');
    expect(second.sfn.describeStateMachineForExecution({ executionArn }).definition).toBe(JSON.stringify(v1));
  });
});
