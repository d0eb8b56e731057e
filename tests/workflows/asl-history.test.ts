/**
 * Execution history in the shape of GetExecutionHistory
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html): the
 * event types AWS records for each state and integration, their `…EventDetails` fields and
 * nothing else, data fields as JSON text, and `previousEventId` chaining each thread of control
 * (a Parallel branch or Map iteration starts from its state's `…Started` event).
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, StatesError, VirtualClock, type ApiHistoryEvent } from '../../infra/local/asl/index.js';

async function historyOf(definition: object, input: unknown = {}, invoke: (payload: any) => unknown = (p) => p) {
  const clock = new VirtualClock();
  const tokens: string[] = [];
  const sfn = new LocalStepFunctions({
    clock,
    integrations: {
      invokeLambda: async (_f, payload: any, ctx) => {
        if (ctx.taskToken) {
          tokens.push(ctx.taskToken);
          queueMicrotask(() => sfn.sendTaskSuccess({ taskToken: ctx.taskToken!, output: '{"answered":true}' }));
          return {};
        }
        return invoke(payload);
      },
      callService: async (_s, _a, params) => params,
    },
  });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'history', definition: JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  await sfn.awaitExecution(executionArn);
  return sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events;
}

const byType = (events: ApiHistoryEvent[], type: string) => events.find((e) => e.type === type)!;
const details = (e: ApiHistoryEvent) => Object.fromEntries(Object.entries(e).filter(([k]) => k.endsWith('EventDetails')));

describe('GetExecutionHistory shape', () => {
  it('records a callback service task as TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded with exactly their AWS fields', async () => {
    const events = await historyOf({
      StartAt: 'Await',
      States: {
        Await: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'officer', Payload: { 'token.$': '$$.Task.Token' } },
          TimeoutSeconds: 3600,
          HeartbeatSeconds: 600,
          End: true,
        },
      },
    });
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const scheduled = byType(events, 'TaskScheduled').taskScheduledEventDetails as Record<string, unknown>;
    expect(Object.keys(scheduled).sort()).toEqual(['heartbeatInSeconds', 'parameters', 'region', 'resource', 'resourceType', 'timeoutInSeconds']);
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'us-east-1', timeoutInSeconds: 3600, heartbeatInSeconds: 600 });
    expect(JSON.parse(scheduled.parameters as string).Payload.token).toMatch(/^AQB/);
    expect(details(byType(events, 'TaskStarted'))).toEqual({ taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' } });
    expect(details(byType(events, 'TaskSubmitted'))).toEqual({ taskSubmittedEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', output: 'null', outputDetails: { truncated: false } } });
    expect(details(byType(events, 'TaskSucceeded'))).toEqual({ taskSucceededEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken', output: '{"answered":true}', outputDetails: { truncated: false } } });
  });

  it('records a Lambda ARN task as LambdaFunction* events and a failure with error and cause', async () => {
    const events = await historyOf({ StartAt: 'F', States: { F: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', TimeoutSeconds: 30, End: true } } }, { a: 1 }, () => {
      throw new StatesError('NotFound', 'no such declaration');
    });
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed']);
    expect(details(byType(events, 'LambdaFunctionScheduled'))).toEqual({
      lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', input: '{"a":1}', inputDetails: { truncated: false }, timeoutInSeconds: 30 },
    });
    expect(details(byType(events, 'LambdaFunctionStarted'))).toEqual({});
    expect(details(byType(events, 'LambdaFunctionFailed'))).toEqual({ lambdaFunctionFailedEventDetails: { error: 'NotFound', cause: 'no such declaration' } });
    expect(details(byType(events, 'ExecutionFailed'))).toEqual({ executionFailedEventDetails: { error: 'NotFound', cause: 'no such declaration' } });
  });

  it('chains Parallel branches from ParallelStateStarted and records assigned variables as JSON text', async () => {
    const events = await historyOf({
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Wait', Seconds: 1, End: true } } },
          ],
          Assign: { 'first.$': '$[0]' },
          End: true,
        },
      },
    });
    const started = byType(events, 'ParallelStateStarted');
    expect(details(started)).toEqual({});
    const firstOfBranches = events.filter((e) => e.type === 'PassStateEntered' || e.type === 'WaitStateEntered');
    firstOfBranches.forEach((e) => expect(e.previousEventId).toBe(started.id));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ParallelStateEntered', 'ParallelStateStarted', 'WaitStateExited', 'ParallelStateSucceeded', 'ParallelStateExited']));
    expect(byType(events, 'ParallelStateExited').stateExitedEventDetails).toEqual({
      name: 'Both',
      output: '[1,{}]',
      outputDetails: { truncated: false },
      assignedVariables: { first: '1' },
      assignedVariablesDetails: { truncated: false },
    });
  });

  it('records Map iterations with their index and chains each from MapIterationStarted', async () => {
    const events = await historyOf({ StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.xs', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }, { xs: ['a', 'b'] });
    expect(details(byType(events, 'MapStateStarted'))).toEqual({ mapStateStartedEventDetails: { length: 2 } });
    const iterations = events.filter((e) => e.type === 'MapIterationStarted');
    expect(iterations.map((e) => e.mapIterationStartedEventDetails)).toEqual([{ name: 'M', index: 0 }, { name: 'M', index: 1 }]);
    for (const it of iterations) expect(events.find((e) => e.previousEventId === it.id)!.type).toBe('PassStateEntered');
    expect(events.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(2);
    expect(events.map((e) => e.type).slice(-3)).toEqual(['MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  });
});
