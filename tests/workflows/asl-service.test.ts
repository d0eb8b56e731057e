/**
 * LocalStepFunctions as the Step Functions API: history shape, idempotent StartExecution,
 * integrations' result/error shapes, variables, Map/Parallel, nested executions, and the JSON
 * protocol as `@aws-sdk/client-sfn` speaks it
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient, StartExecutionCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, ExecutionAlreadyExists } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions, SfnServiceError, VirtualClock, type Integrations } from '../../infra/local/asl/index.js';

const noIntegrations: Integrations = { invokeLambda: async (_f, p) => p, callService: async (_s, _a, p) => p };

function engine(integrations: Integrations = noIntegrations) {
  return new LocalStepFunctions({ clock: new VirtualClock(), integrations });
}

async function runToEnd(sfn: LocalStepFunctions, definition: object, input: unknown = {}, name = 'sm') {
  const { stateMachineArn } = sfn.createStateMachine({ name, definition: JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return { executionArn, done: await sfn.awaitExecution(executionArn) };
}

describe('execution history', () => {
  it('has the GetExecutionHistory event types, chained ids and details of a Lambda task run', async () => {
    const sfn = engine();
    const { executionArn } = await runToEnd(sfn, {
      StartAt: 'Invoke',
      States: { Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
    }, { a: 1 });
    const { events } = sfn.getExecutionHistory({ executionArn });
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    events.forEach((e, i) => {
      expect(e.id).toBe(i + 1);
      expect(e.previousEventId).toBe(i);
      expect(e.timestamp).toBeInstanceOf(Date);
    });
    expect(events[1].stateEnteredEventDetails).toEqual({ name: 'Invoke', input: '{"a":1}', inputDetails: { truncated: false } });
    expect(events[2].taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"f","Payload":{"a":1}}' });
    expect(events[6].executionSucceededEventDetails).toEqual({ output: '{"a":1}', outputDetails: { truncated: false } });
  });
});

describe('startExecution', () => {
  const waiting = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } };

  it('returns the running execution for the same name and input, and ExecutionAlreadyExists for another input', async () => {
    const sfn = engine();
    const { stateMachineArn } = sfn.createStateMachine({ name: 'lifecycle', definition: JSON.stringify(waiting) });
    const first = sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: '{"v":1}' });
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:lifecycle:D-1-v1');
    expect(sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: '{"v":1}' })).toEqual(first);
    expect(() => sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: '{"v":2}' })).toThrow(expect.objectContaining({ __type: 'ExecutionAlreadyExists' }));
    await sfn.awaitExecution(first.executionArn);
    // AWS: "If the execution is closed … it returns a 400 ExecutionAlreadyExists error."
    expect(() => sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: '{"v":1}' })).toThrow(SfnServiceError);
  });

  it('rejects input that is not JSON with InvalidExecutionInput', () => {
    const sfn = engine();
    const { stateMachineArn } = sfn.createStateMachine({ name: 'x', definition: JSON.stringify(waiting) });
    expect(() => sfn.startExecution({ stateMachineArn, input: '{oops' })).toThrow(expect.objectContaining({ __type: 'InvalidExecutionInput' }));
  });

  it('stops a running execution as ABORTED', async () => {
    const sfn = engine();
    const { stateMachineArn } = sfn.createStateMachine({ name: 'x', definition: JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 999999, End: true } } }) });
    const { executionArn } = sfn.startExecution({ stateMachineArn });
    await sfn.stopExecution({ executionArn, error: 'Cancelled', cause: 'declaration withdrawn' });
    expect(sfn.describeExecution({ executionArn })).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    expect(sfn.listExecutions({ stateMachineArn, statusFilter: 'ABORTED' }).executions).toHaveLength(1);
  });
});

describe('Lambda integrations', () => {
  const fail = async () => {
    const e = new Error('declaration D-9 is unknown');
    e.name = 'NotFound';
    throw e;
  };

  it('shape lambda:invoke results like AWS (Payload, StatusCode 200, ExecutedVersion $LATEST)', async () => {
    const { done } = await runToEnd(engine({ ...noIntegrations, invokeLambda: async () => ({ ok: true }) }), {
      StartAt: 'I',
      States: { I: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', Payload: {} }, End: true } },
    });
    expect(JSON.parse(done.output!)).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { ok: true }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
  });

  it('surface a function error as its errorType, with a JSON cause carrying errorMessage', async () => {
    const { done } = await runToEnd(engine({ ...noIntegrations, invokeLambda: fail }), {
      StartAt: 'I',
      States: { I: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', End: true } },
    });
    expect(done.error).toBe('NotFound');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorType: 'NotFound', errorMessage: 'declaration D-9 is unknown' });
  });

  it('let a Catch on the errorType route the execution', async () => {
    const { done } = await runToEnd(engine({ ...noIntegrations, invokeLambda: fail }), {
      StartAt: 'I',
      States: {
        I: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', Catch: [{ ErrorEquals: ['NotFound'], ResultPath: '$.err', Next: 'Rejected' }], End: true },
        Rejected: { Type: 'Pass', End: true },
      },
    });
    expect(JSON.parse(done.output!).err.Error).toBe('NotFound');
  });
});

describe('JSONata states', () => {
  it('evaluate Assign with the variables as they were on entry, and expose them to later states', async () => {
    const { done } = await runToEnd(engine(), {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { count: 1, total: '{% $states.input.amount %}' }, Next: 'Bump' },
        Bump: { Type: 'Pass', Assign: { count: '{% $count + 1 %}', seen: '{% $count %}' }, Next: 'Done' },
        Done: { Type: 'Pass', Output: { count: '{% $count %}', seen: '{% $seen %}', total: '{% $total %}' }, End: true },
      },
    }, { amount: 42 });
    expect(JSON.parse(done.output!)).toEqual({ count: 2, seen: 1, total: 42 });
  });

  it('run Map iterations with $states.context.Map.Item and keep the items in order', async () => {
    const { done } = await runToEnd(engine(), {
      QueryLanguage: 'JSONata',
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          Items: '{% $states.input.lines %}',
          MaxConcurrency: 2,
          ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value * 10 %}' },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    }, { lines: [1, 2, 3] });
    expect(JSON.parse(done.output!)).toEqual([{ index: 0, value: 10 }, { index: 1, value: 20 }, { index: 2, value: 30 }]);
  });
});

describe('Parallel and nested executions', () => {
  it('fail a Parallel state with the first branch error and let its Catch handle it', async () => {
    const { done } = await runToEnd(engine(), {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 100, End: true } } },
            { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'RiskEngineDown', Cause: 'x' } } },
          ],
          Catch: [{ ErrorEquals: ['RiskEngineDown'], Next: 'Fallback' }],
          End: true,
        },
        Fallback: { Type: 'Pass', End: true },
      },
    });
    expect(JSON.parse(done.output!)).toEqual({ Error: 'RiskEngineDown', Cause: 'x' });
  });

  it('run states:startExecution.sync:2 and return the child output as JSON', async () => {
    const sfn = engine();
    const { stateMachineArn: child } = sfn.createStateMachine({ name: 'child', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { tax: '12.50' }, End: true } } }) });
    const { done } = await runToEnd(sfn, {
      StartAt: 'Child',
      States: { Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: { a: 1 } }, End: true } },
    }, {}, 'parent');
    expect(JSON.parse(done.output!)).toMatchObject({ Status: 'SUCCEEDED', Output: { tax: '12.50' }, Input: { a: 1 } });
  });
});

describe('the JSON protocol through @aws-sdk/client-sfn', () => {
  let server: Server;
  let client: SFNClient;
  const sfn = engine();

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', async () => {
        try {
          const out = await sfn.handle(String(req.headers['x-amz-target']), JSON.parse(body || '{}'));
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(out));
        } catch (e) {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: (e as SfnServiceError).__type, message: (e as Error).message }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = new SFNClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(() => {
    client?.destroy();
    server?.close();
  });

  it('starts, describes and reads the history of an execution, and maps errors to SDK exceptions', async () => {
    const { stateMachineArn } = sfn.createStateMachine({ name: 'sdk', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 'done', End: true } } }) });
    const started = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'one', input: '{}' }));
    expect(started.startDate).toBeInstanceOf(Date);
    await sfn.awaitExecution(started.executionArn!);
    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(described).toMatchObject({ status: 'SUCCEEDED', output: '"done"', name: 'one' });
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(history.events?.at(-1)?.type).toBe('ExecutionSucceeded');
    await expect(client.send(new StartExecutionCommand({ stateMachineArn, name: 'one', input: '{"other":1}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });
});
