/**
 * `.waitForTaskToken` callbacks and the SendTask* API
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html).
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock, type TaskContext } from '../../infra/local/asl/index.js';

const callbackDefinition = (extra: Record<string, unknown> = {}) => ({
  StartAt: 'AwaitDecision',
  States: {
    AwaitDecision: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'notify-officer', Payload: { 'token.$': '$$.Task.Token', 'declarationId.$': '$.id' } },
      ...extra,
      End: true,
    },
  },
});

/** An engine whose Lambda records the payloads (and thus the tokens) it receives. */
function setup(definition: object) {
  const clock = new VirtualClock();
  const calls: { payload: any; ctx: TaskContext }[] = [];
  const sfn = new LocalStepFunctions({
    clock,
    integrations: {
      invokeLambda: async (_fn, payload, ctx) => {
        calls.push({ payload, ctx });
        return {};
      },
      callService: async () => ({}),
    },
  });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'callbacks', definition: JSON.stringify(definition) });
  return { sfn, clock, calls, stateMachineArn };
}

/** Lets the engine reach the point where the task has been handed its token. */
async function untilInvoked(calls: unknown[]): Promise<void> {
  while (calls.length === 0) await new Promise((r) => setImmediate(r));
}

describe('waitForTaskToken tasks', () => {
  it('hand the token to the task and resume with the output sent by SendTaskSuccess', async () => {
    const { sfn, calls, stateMachineArn } = setup(callbackDefinition());
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify({ id: 'D-1' }) });
    await untilInvoked(calls);
    expect(calls[0].payload.declarationId).toBe('D-1');
    expect(calls[0].payload.token).toBe(calls[0].ctx.taskToken);
    sfn.sendTaskSuccess({ taskToken: calls[0].payload.token, output: JSON.stringify({ decision: 'release' }) });
    const done = await sfn.awaitExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ decision: 'release' });
  });

  it('fail with the error and cause given to SendTaskFailure', async () => {
    const { sfn, calls, stateMachineArn } = setup(callbackDefinition());
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"id":"D-2"}' });
    await untilInvoked(calls);
    sfn.sendTaskFailure({ taskToken: calls[0].payload.token, error: 'OfficerRejected', cause: 'documents missing' });
    const done = await sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'OfficerRejected', cause: 'documents missing' });
  });

  it('time out with States.HeartbeatTimeout when no heartbeat arrives within HeartbeatSeconds', async () => {
    const { sfn, calls, clock, stateMachineArn } = setup(callbackDefinition({ HeartbeatSeconds: 60, TimeoutSeconds: 3600 }));
    const started = clock.now();
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"id":"D-3"}' });
    const done = await sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(clock.now() - started).toBe(60_000);
    // A late callback gets TaskTimedOut, as on AWS.
    expect(() => sfn.sendTaskSuccess({ taskToken: calls[0].payload.token, output: '{}' })).toThrow(expect.objectContaining({ __type: 'TaskTimedOut' }));
  });

  it('stay alive while heartbeats keep arriving', async () => {
    const { sfn, calls, clock, stateMachineArn } = setup(callbackDefinition({ HeartbeatSeconds: 60 }));
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"id":"D-4"}' });
    await untilInvoked(calls);
    const token = calls[0].payload.token;
    for (let i = 0; i < 3; i++) {
      clock.advance(50_000);
      sfn.sendTaskHeartbeat({ taskToken: token });
    }
    expect(sfn.describeExecution({ executionArn }).status).toBe('RUNNING');
    sfn.sendTaskSuccess({ taskToken: token, output: '"ok"' });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
  });

  it('answer InvalidToken for garbage and TaskDoesNotExist for a token already used', async () => {
    const { sfn, calls, stateMachineArn } = setup(callbackDefinition());
    expect(() => sfn.sendTaskSuccess({ taskToken: 'not-a-token', output: '{}' })).toThrow(expect.objectContaining({ __type: 'InvalidToken' }));
    const { executionArn } = sfn.startExecution({ stateMachineArn, input: '{"id":"D-5"}' });
    await untilInvoked(calls);
    sfn.sendTaskSuccess({ taskToken: calls[0].payload.token, output: '{}' });
    await sfn.awaitExecution(executionArn);
    expect(() => sfn.sendTaskSuccess({ taskToken: calls[0].payload.token, output: '{}' })).toThrow(expect.objectContaining({ __type: 'TaskDoesNotExist' }));
  });
});
