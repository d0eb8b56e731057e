/**
 * Any definition, not only Clearway's, runs through the one local AWS endpoint
 * (infra/local/endpoint.ts) with the real `@aws-sdk/client-sfn`: CreateStateMachine (and its
 * validation), StartExecution, StartSyncExecution, DescribeExecution, ListExecutions,
 * GetExecutionHistory, StopExecution, RedriveExecution, the task-token calls.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  CreateStateMachineCommand, DescribeExecutionCommand, DescribeStateMachineForExecutionCommand, ExecutionNotRedrivable, GetExecutionHistoryCommand, InvalidDefinition,
  ListExecutionsCommand, RedriveExecutionCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand,
  StartSyncExecutionCommand, StateMachineTypeNotSupported, StopExecutionCommand, TaskDoesNotExist, UpdateStateMachineCommand, ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions, StatesError, VirtualClock } from '../../infra/local/asl/index.js';
import { createAwsEndpoint } from '../../infra/local/endpoint.js';

const role = 'arn:aws:iam::000000000000:role/local';
const tokens: string[] = [];
let failNext = false;
// Time moves only when a test says so (HTTP round trips would otherwise let it jump ahead).
const clock = new VirtualClock({ autoAdvance: false });
const sfn = new LocalStepFunctions({
  clock,
  integrations: {
    invokeLambda: async (_fn, payload: any, ctx) => {
      if (ctx.taskToken) tokens.push(ctx.taskToken);
      if (failNext) {
        failNext = false;
        throw new StatesError('Flaky', 'failed once');
      }
      return payload;
    },
    callService: async () => ({}),
  },
});
let server: Server;
let client: SFNClient;

beforeAll(async () => {
  const unused = { handle: async () => ({}) };
  server = createAwsEndpoint({ dynamo: { handle: (_req: unknown, res: { end(): void }) => res.end(), close: async () => undefined } as never, stepFunctions: sfn, events: unused, queues: unused });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // StartSyncExecution is addressed to a `sync-` host on AWS; a local endpoint has one host.
    disableHostPrefix: true,
  });
});
afterAll(() => {
  client?.destroy();
  server?.close();
});

const create = async (name: string, definition: object, type?: 'STANDARD' | 'EXPRESS') =>
  (await client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: role, type }))).stateMachineArn!;

const settled = async (executionArn: string) => {
  await sfn.awaitExecution(executionArn);
  return client.send(new DescribeExecutionCommand({ executionArn }));
};

describe('CreateStateMachine through the SDK', () => {
  it('runs any definition, JSONata included', async () => {
    const stateMachineArn = await create('any', {
      QueryLanguage: 'JSONata',
      StartAt: 'Total',
      States: { Total: { Type: 'Pass', Output: { total: '{% $sum($states.input.lines.amount) %}' }, End: true } },
    });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ lines: [{ amount: 2 }, { amount: 3 }] }) }));
    expect(await settled(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"total":5}' });
  });

  it('rejects a definition AWS rejects, with InvalidDefinition naming every problem', async () => {
    const error = await client
      .send(new CreateStateMachineCommand({ name: 'bad', roleArn: role, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' }, B: { Type: 'Succeed' } } }) }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect(error.message).toContain("/States/A: transition target 'Nowhere' does not exist");
    expect(error.message).toContain('/States/B: state is not reachable from StartAt');
  });

  it('validates a definition without creating anything (ValidateStateMachineDefinition)', async () => {
    const ok = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } }) }));
    expect(ok).toMatchObject({ result: 'OK', diagnostics: [] });
    const bad = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, Output: 2, End: true } } }) }));
    expect(bad.result).toBe('FAIL');
    expect(bad.diagnostics).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'field is not supported by JSONPath states', location: '/States/A/Output' }]);
  });

  it('updates a state machine; an execution keeps the definition it started with', async () => {
    const stateMachineArn = await create('versioned', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'V' }, V: { Type: 'Pass', Result: 1, End: true } } });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn }));
    const { revisionId } = await client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: JSON.stringify({ StartAt: 'V', States: { V: { Type: 'Pass', Result: 2, End: true } } }) }));
    expect(revisionId).toBeTruthy();
    clock.advance(5000);
    expect((await settled(executionArn!)).output).toBe('1');
    const forExecution = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(JSON.parse(forExecution.definition!).StartAt).toBe('W');
  });
});

describe('executions through the SDK', () => {
  const waiting = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 999_999, End: true } } };

  it('lists executions newest first, by status, page by page', async () => {
    const stateMachineArn = await create('listed', waiting);
    for (const name of ['one', 'two', 'three']) await client.send(new StartExecutionCommand({ stateMachineArn, name }));
    await client.send(new StopExecutionCommand({ executionArn: stateMachineArn.replace(':stateMachine:', ':execution:') + ':two' }));
    const first = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2 }));
    expect(first.executions).toHaveLength(2);
    const second = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 2, nextToken: first.nextToken }));
    expect([...first.executions!, ...second.executions!].map((e) => e.name).sort()).toEqual(['one', 'three', 'two']);
    const aborted = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(aborted.executions!.map((e) => e.name)).toEqual(['two']);
  });

  it('stops an execution with an error and cause, recorded as ExecutionAborted', async () => {
    const stateMachineArn = await create('stopped', waiting);
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn }));
    const { stopDate } = await client.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'the declarant withdrew it' }));
    expect(stopDate).toBeInstanceOf(Date);
    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'the declarant withdrew it' });
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events![0]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Withdrawn', cause: 'the declarant withdrew it' } });
  });

  it('runs an Express state machine synchronously (StartSyncExecution) and refuses a Standard one', async () => {
    const express = await create('sync', { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'doubled.$': 'States.MathAdd($.n, $.n)' }, End: true } } }, 'EXPRESS');
    const result = await client.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{"n":21}' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"doubled":42}', billingDetails: { billedDurationInMilliseconds: 100 } });
    expect(result.executionArn).toContain(':express:sync:');
    const standard = await create('not-sync', waiting);
    await expect(client.send(new StartSyncExecutionCommand({ stateMachineArn: standard }))).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  it('returns the history without data when includeExecutionData is false', async () => {
    const stateMachineArn = await create('history', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"secret":1}' }));
    await settled(executionArn!);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }));
    expect(events![0].executionStartedEventDetails).toEqual({ inputDetails: { truncated: false }, roleArn: role });
    expect(events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('redrives a failed execution (RedriveExecution) and reports it in DescribeExecution', async () => {
    const stateMachineArn = await create('redriven', { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:t', End: true } } });
    failNext = true;
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{"a":1}' }));
    expect(await settled(executionArn!)).toMatchObject({ status: 'FAILED', error: 'Flaky', redriveStatus: 'REDRIVABLE' });
    const { redriveDate } = await client.send(new RedriveExecutionCommand({ executionArn }));
    expect(await settled(executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}', redriveCount: 1, redriveDate, redriveStatus: 'NOT_REDRIVABLE' });
    await expect(client.send(new RedriveExecutionCommand({ executionArn }))).rejects.toBeInstanceOf(ExecutionNotRedrivable);
  });
});

describe('task tokens through the SDK', () => {
  const callback = {
    StartAt: 'Officer',
    States: {
      Officer: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: { FunctionName: 'officer', Payload: { 'token.$': '$$.Task.Token' } },
        HeartbeatSeconds: 600,
        End: true,
      },
    },
  };

  it('completes callbacks with SendTaskSuccess / SendTaskFailure and keeps them alive with SendTaskHeartbeat', async () => {
    const stateMachineArn = await create('callbacks', callback);
    const ok = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'ok' }));
    const ko = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'ko' }));
    await expect.poll(() => tokens.length).toBe(2);
    const [okToken, koToken] = tokens.splice(0);
    await client.send(new SendTaskHeartbeatCommand({ taskToken: okToken }));
    await client.send(new SendTaskSuccessCommand({ taskToken: okToken, output: '{"decision":"RELEASE"}' }));
    await client.send(new SendTaskFailureCommand({ taskToken: koToken, error: 'Rejected', cause: 'no licence' }));
    expect(await settled(ok.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"decision":"RELEASE"}' });
    expect(await settled(ko.executionArn!)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'no licence' });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken: okToken, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  });
});
