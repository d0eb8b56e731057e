/**
 * Time: Task TimeoutSeconds, the state machine's TimeoutSeconds, and the time-skipping clock
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html).
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock } from '../../infra/local/asl/index.js';

const DAY = 24 * 3600;

function engine(definition: object, invokeLambda: (name: string) => Promise<unknown> = async () => ({})) {
  const clock = new VirtualClock();
  const sfn = new LocalStepFunctions({ clock, integrations: { invokeLambda, callService: async () => ({}) } });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'timing', definition: JSON.stringify(definition) });
  return { sfn, clock, stateMachineArn };
}

describe('VirtualClock', () => {
  it('runs a 15-day payment deadline Wait in (real) milliseconds, advancing virtual time by exactly 15 days', async () => {
    const { sfn, clock, stateMachineArn } = engine({
      StartAt: 'PaymentDeadline',
      States: { PaymentDeadline: { Type: 'Wait', Seconds: 15 * DAY, Next: 'Overdue' }, Overdue: { Type: 'Succeed' } },
    });
    const realStart = Date.now();
    const virtualStart = clock.now();
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
    const done = await sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(clock.now() - virtualStart).toBe(15 * DAY * 1000);
    expect(Date.now() - realStart).toBeLessThan(1000);
  });

  it('wakes sleepers in time order and lets manual advance() fire due ones', async () => {
    const clock = new VirtualClock({ autoAdvance: false, start: 0 });
    const woke: string[] = [];
    void clock.sleep(2000).then(() => woke.push('b'));
    void clock.sleep(1000).then(() => woke.push('a'));
    clock.advance(1500);
    await Promise.resolve();
    expect(woke).toEqual(['a']);
    clock.advance(500);
    await Promise.resolve();
    expect(woke).toEqual(['a', 'b']);
  });

  it('rejects an aborted sleep and forgets it', async () => {
    const clock = new VirtualClock({ autoAdvance: false });
    const controller = new AbortController();
    const sleeping = clock.sleep(1000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe('timeouts', () => {
  it('let the next states run normally when a callback task timed out while its call was still in flight, whenever the call returns', async () => {
    // The call returns `ticks` microtasks after the deadline passed: somewhere in those the
    // execution has moved on to the next state, which must not take the late return as its own.
    for (let ticks = 0; ticks <= 40; ticks++) {
      const calls: string[] = [];
      const { sfn, clock, stateMachineArn } = engine(
        {
          StartAt: 'Park',
          States: {
            Park: {
              Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSeconds: 60,
              Parameters: { FunctionName: 'park', 'Token.$': '$$.Task.Token' },
              Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Escalate' }], End: true,
            },
            Escalate: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'escalate' }, End: true },
          },
        },
        async (name: string) => {
          calls.push(name);
          if (name === 'park') {
            clock.advance(61_000);
            for (let tick = 0; tick < ticks; tick++) await Promise.resolve();
          }
          return { done: name };
        },
      );
      const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
      expect({ ticks, status: (await sfn.awaitExecution(executionArn)).status, calls }).toEqual({ ticks, status: 'SUCCEEDED', calls: ['park', 'escalate'] });
    }
  });

  it('fail a Task that runs longer than TimeoutSeconds with States.Timeout', async () => {
    let clockRef: VirtualClock | undefined;
    const { sfn, clock, stateMachineArn } = engine(
      { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:slow', TimeoutSeconds: 5, End: true } } },
      async () => {
        await clockRef!.sleep(60_000);
        return {};
      },
    );
    clockRef = clock;
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
    const done = await sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(done.stopDate!.getTime() - done.startDate.getTime()).toBe(5000);
    const types = sfn.getExecutionHistory({ executionArn }).events.map((e) => e.type);
    expect(types).toContain('LambdaFunctionTimedOut');
  });

  it('end an execution that exceeds the state machine TimeoutSeconds as TIMED_OUT', async () => {
    const { sfn, stateMachineArn } = engine({ TimeoutSeconds: 10, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{}' });
    const done = await sfn.awaitExecution(executionArn);
    expect(done.status).toBe('TIMED_OUT');
    expect(sfn.getExecutionHistory({ executionArn, reverseOrder: true }).events[0].type).toBe('ExecutionTimedOut');
  });
});
