/**
 * RedriveExecution (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html):
 * a failed, aborted or timed-out Standard execution continues from its unsuccessful step with the
 * same input; successful steps keep their results and are not rerun; an Inline Map or Parallel
 * reruns only its failed or aborted iterations and branches; the execution timeout starts again;
 * `ExecutionRedriven` carries the new redrive count; only for 14 days after the execution stopped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalExecutionStore, LocalStepFunctions, StatesError, VirtualClock, type ExecutionStore, type TaskContext } from '../../infra/local/asl/index.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/** An engine whose Lambdas answer from `behaviour`, counting calls per state. */
function engine(behaviour: (state: string, payload: any, call: number, ctx: TaskContext) => unknown, options: { store?: ExecutionStore; clock?: VirtualClock } = {}) {
  const clock = options.clock ?? new VirtualClock();
  const calls: { state: string; payload: any; ctx: TaskContext }[] = [];
  const sfn = new LocalStepFunctions({
    clock,
    store: options.store,
    integrations: {
      invokeLambda: async (_fn, payload, ctx) => {
        const n = calls.filter((c) => c.state === ctx.stateName).length;
        calls.push({ state: ctx.stateName, payload, ctx });
        return behaviour(ctx.stateName, payload, n, ctx);
      },
      callService: async () => ({}),
    },
  });
  return { sfn, clock, calls };
}

async function run(sfn: LocalStepFunctions, definition: object, input: unknown = {}, type?: 'EXPRESS') {
  const { stateMachineArn } = sfn.createStateMachine({ name: 'redrive', definition: JSON.stringify(definition), type });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return { stateMachineArn, executionArn, done: await sfn.awaitExecution(executionArn) };
}

const failOnce = (state: string) => (s: string, payload: any, call: number, ctx: TaskContext) => {
  if (s === state && call === 0) throw new StatesError('BankUnavailable', 'the bank did not answer');
  return { state: s, redriveCount: ctx.attempt, input: payload };
};

const threeSteps = {
  StartAt: 'Accept',
  States: {
    Accept: { Type: 'Task', Resource: fn('accept'), ResultPath: '$.accept', Next: 'Settle' },
    Settle: { Type: 'Task', Resource: fn('settle'), Parameters: { 'redriveCount.$': '$$.Execution.RedriveCount' }, ResultPath: '$.settle', Next: 'Release' },
    Release: { Type: 'Task', Resource: fn('release'), ResultPath: '$.release', End: true },
  },
};

describe('RedriveExecution of a FAILED execution', () => {
  it('continues from the failed state with the same input and does not rerun the successful ones', async () => {
    const { sfn, calls } = engine(failOnce('Settle'));
    const { executionArn, done } = await run(sfn, threeSteps, { id: 'D-1' });
    expect(done).toMatchObject({ status: 'FAILED', error: 'BankUnavailable', redriveStatus: 'REDRIVABLE', redriveCount: 0 });

    const { redriveDate } = sfn.redriveExecution({ executionArn });
    expect(redriveDate).toBeInstanceOf(Date);
    const redriven = await sfn.awaitExecution(executionArn);

    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveDate, redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven.' });
    expect(calls.map((c) => c.state)).toEqual(['Accept', 'Settle', 'Settle', 'Release']);
    const output = JSON.parse(redriven.output!);
    expect(output.accept.state).toBe('Accept');
    // $$.Execution.RedriveCount is the redrive count of the attempt running the state.
    expect(calls[2].payload).toEqual({ redriveCount: 1 });
  });

  it('appends to the same history: ExecutionFailed, then ExecutionRedriven with the redrive count, then the rerun state', async () => {
    const { sfn } = engine(failOnce('Settle'));
    const { executionArn } = await run(sfn, threeSteps);
    sfn.redriveExecution({ executionArn });
    await sfn.awaitExecution(executionArn);
    const events = sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
    const types = events.map((e) => e.type);
    const failed = types.indexOf('ExecutionFailed');
    expect(types.slice(failed, failed + 3)).toEqual(['ExecutionFailed', 'ExecutionRedriven', 'LambdaFunctionScheduled']);
    expect(events[failed + 1].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(events[failed + 1].previousEventId).toBe(events[failed].id);
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(3);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    events.forEach((e, i) => expect(e.id).toBe(i + 1));
  });

  it('gives the rerun state its retries again', async () => {
    let failures = 0;
    const { sfn, calls } = engine((state) => {
      if (state === 'Settle' && failures++ < 4) throw new StatesError('BankBusy', 'busy');
      return {};
    });
    const definition = { StartAt: 'Settle', States: { Settle: { Type: 'Task', Resource: fn('settle'), Retry: [{ ErrorEquals: ['BankBusy'], MaxAttempts: 1, IntervalSeconds: 1 }], End: true } } };
    const { executionArn, done } = await run(sfn, definition);
    expect(done.status).toBe('FAILED');
    expect(calls).toHaveLength(2);
    sfn.redriveExecution({ executionArn });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('FAILED');
    expect(calls).toHaveLength(4);
    sfn.redriveExecution({ executionArn });
    expect(await sfn.awaitExecution(executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 2 });
  });

  it('reruns only the failed branch of a Parallel state', async () => {
    const { sfn, calls } = engine(failOnce('Screen'));
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Tax', States: { Tax: { Type: 'Task', Resource: fn('tax'), End: true } } },
            { StartAt: 'Screen', States: { Screen: { Type: 'Task', Resource: fn('screen'), End: true } } },
          ],
          End: true,
        },
      },
    };
    const { executionArn } = await run(sfn, definition);
    sfn.redriveExecution({ executionArn });
    const done = await sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.state).sort()).toEqual(['Screen', 'Screen', 'Tax']);
    expect(JSON.parse(done.output!).map((r: { state: string }) => r.state)).toEqual(['Tax', 'Screen']);
  });

  it('reruns only the failed and aborted iterations of an Inline Map', async () => {
    const { sfn, calls } = engine((state, payload, call) => {
      if (payload.line === 3 && calls.filter((c) => c.payload.line === 3).length === 1) throw new StatesError('PriceMissing', 'no price for line 3');
      return { line: payload.line, price: payload.line * 10 };
    });
    const definition = {
      StartAt: 'Lines',
      States: { Lines: { Type: 'Map', MaxConcurrency: 1, ItemsPath: '$.lines', ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Task', Resource: fn('price'), End: true } } }, End: true } },
    };
    const { executionArn, done } = await run(sfn, definition, { lines: [1, 2, 3, 4, 5].map((line) => ({ line })) });
    expect(done).toMatchObject({ status: 'FAILED', error: 'PriceMissing' });
    expect(calls.map((c) => c.payload.line)).toEqual([1, 2, 3]);
    sfn.redriveExecution({ executionArn });
    const redriven = await sfn.awaitExecution(executionArn);
    expect(redriven.status).toBe('SUCCEEDED');
    expect(calls.map((c) => c.payload.line)).toEqual([1, 2, 3, 3, 4, 5]);
    expect(JSON.parse(redriven.output!).map((r: { price: number }) => r.price)).toEqual([10, 20, 30, 40, 50]);
  });
});

describe('RedriveExecution of ABORTED and TIMED_OUT executions', () => {
  it('reruns the state an aborted execution was stopped in', async () => {
    const { sfn, clock } = engine(() => ({}));
    const definition = { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 600, Next: 'Done' }, Done: { Type: 'Pass', Result: 'released', End: true } } };
    const { stateMachineArn } = sfn.createStateMachine({ name: 'hold', definition: JSON.stringify(definition) });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
    await sfn.stopExecution({ executionArn, error: 'Operator', cause: 'paused' });
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    const at = clock.now();
    sfn.redriveExecution({ executionArn });
    const done = await sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"released"' });
    expect(done.stopDate!.getTime() - at).toBe(600_000);
    expect(done).not.toHaveProperty('error');
  });

  it('starts the execution timeout again', async () => {
    const { sfn, clock } = engine(() => ({}));
    const { executionArn, done } = await run(sfn, { TimeoutSeconds: 10, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    expect(done.status).toBe('TIMED_OUT');
    clock.advance(5000);
    const { redriveDate } = sfn.redriveExecution({ executionArn });
    const again = await sfn.awaitExecution(executionArn);
    expect(again.status).toBe('TIMED_OUT');
    expect(again.stopDate!.getTime() - redriveDate.getTime()).toBe(10_000);
  });
});

describe('executions that cannot be redriven', () => {
  const failing = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Rejected' } } };

  it('answers ExecutionNotRedrivable for a RUNNING or SUCCEEDED execution', async () => {
    const { sfn } = engine(() => ({}));
    const { stateMachineArn } = sfn.createStateMachine({ name: 'w', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } }) });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
    expect(() => sfn.redriveExecution({ executionArn })).toThrow(expect.objectContaining({ __type: 'ExecutionNotRedrivable', message: 'Execution is RUNNING and cannot be redriven.' }));
    await sfn.awaitExecution(executionArn);
    expect(() => sfn.redriveExecution({ executionArn })).toThrow(expect.objectContaining({ __type: 'ExecutionNotRedrivable', message: 'Execution is SUCCEEDED and cannot be redriven.' }));
  });

  it('redrives for 14 days after the execution stopped, not after', async () => {
    const { sfn, clock } = engine(() => ({}));
    const { executionArn } = await run(sfn, failing);
    clock.advance(14 * 24 * 3600_000);
    expect(sfn.describeExecution({ executionArn }).redriveStatus).toBe('REDRIVABLE');
    clock.advance(1);
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded.' });
    expect(() => sfn.redriveExecution({ executionArn })).toThrow(expect.objectContaining({ __type: 'ExecutionNotRedrivable' }));
  });

  it('does not redrive Express executions', async () => {
    const { sfn } = engine(() => ({}));
    const { executionArn, done } = await run(sfn, failing, {}, 'EXPRESS');
    expect(done.status).toBe('FAILED');
    expect(() => sfn.redriveExecution({ executionArn })).toThrow(expect.objectContaining({ __type: 'ExecutionNotRedrivable' }));
  });

  it('answers the same redrive for a client token it has seen, without redriving again', async () => {
    const { sfn } = engine(() => ({}));
    const { executionArn } = await run(sfn, failing);
    const first = sfn.redriveExecution({ executionArn, clientToken: 'ops-1' });
    await sfn.awaitExecution(executionArn);
    expect(sfn.redriveExecution({ executionArn, clientToken: 'ops-1' })).toEqual(first);
    expect(sfn.describeExecution({ executionArn }).redriveCount).toBe(1);
  });

  it('lists redriven executions with redriveFilter', async () => {
    const { sfn } = engine(() => ({}));
    const { stateMachineArn } = sfn.createStateMachine({ name: 'f', definition: JSON.stringify(failing) });
    const a = sfn.startExecution({ stateMachineArn, name: 'a' });
    const b = sfn.startExecution({ stateMachineArn, name: 'b' });
    await sfn.awaitExecution(a.executionArn);
    await sfn.awaitExecution(b.executionArn);
    sfn.redriveExecution({ executionArn: a.executionArn });
    await sfn.awaitExecution(a.executionArn);
    expect(sfn.listExecutions({ stateMachineArn, redriveFilter: 'REDRIVEN' }).executions.map((e) => e.name)).toEqual(['a']);
    expect(sfn.listExecutions({ stateMachineArn, redriveFilter: 'NOT_REDRIVEN' }).executions.map((e) => e.name)).toEqual(['b']);
  });
});

describe('RedriveExecution after a restart of a durable engine', () => {
  it('continues from the position journaled when the execution failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-redrive-'));
    try {
      const journal = join(dir, 'stepfunctions.jsonl');
      const first = engine(failOnce('Settle'), { store: new JournalExecutionStore(journal) });
      const { executionArn, done } = await run(first.sfn, threeSteps, { id: 'D-9' });
      expect(done.status).toBe('FAILED');
      const second = engine(() => ({ ok: true }), { store: new JournalExecutionStore(journal), clock: new VirtualClock({ start: first.clock.now() + 3600_000 }) });
      second.sfn.redriveExecution({ executionArn });
      const redriven = await second.sfn.awaitExecution(executionArn);
      expect(redriven.status).toBe('SUCCEEDED');
      expect(second.calls.map((c) => c.state)).toEqual(['Settle', 'Release']);
      expect(JSON.parse(redriven.output!)).toMatchObject({ id: 'D-9', accept: { state: 'Accept' }, settle: { ok: true }, release: { ok: true } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
