/**
 * Task states of any definition reach the services of the local runtime: `aws-sdk:` calls for
 * DynamoDB (any action dynalite has), S3 (the local object store), SQS, EventBridge and Step
 * Functions, and the optimized DynamoDB integration
 * (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { startTestPlatform } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;

beforeAll(async () => {
  ({ runtime, clock } = await startTestPlatform('2025-05-20T02:00:00Z'));
});
afterAll(() => runtime?.stop());

let machines = 0;
async function run(definition: object, input: unknown = {}) {
  const sfn = runtime.stepFunctions;
  const { stateMachineArn } = sfn.createStateMachine({ name: `integrations-${++machines}`, definition: JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const done = await sfn.awaitExecution(executionArn);
  return { ...done, result: done.output === undefined ? undefined : JSON.parse(done.output) };
}

const task = (resource: string, parameters: object, extra: object = {}) => ({ Type: 'Task', Resource: `arn:aws:states:::${resource}`, Parameters: parameters, ...extra });

describe('aws-sdk integrations on the local runtime', () => {
  it('create a DynamoDB table and write, read and query it (aws-sdk:dynamodb:*), without SDK metadata', async () => {
    const table = 'integration-notes';
    const done = await run({
      StartAt: 'CreateTable',
      States: {
        CreateTable: task('aws-sdk:dynamodb:createTable', {
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          BillingMode: 'PAY_PER_REQUEST',
        }, { ResultPath: null, Next: 'Put' }),
        Put: task('dynamodb:putItem', { TableName: table, Item: { pk: { S: 'D-1' }, sk: { S: 'note#1' }, text: { 'S.$': '$.text' } } }, { ResultPath: null, Next: 'Query' }),
        Query: task('aws-sdk:dynamodb:query', { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'D-1' } } }, { ResultPath: '$.query', Next: 'Get' }),
        Get: task('dynamodb:getItem', { TableName: table, Key: { pk: { S: 'D-1' }, sk: { S: 'note#1' } } }, { ResultPath: '$.get', End: true }),
      },
    }, { text: 'documents requested' });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.result.query).toMatchObject({ Count: 1, Items: [{ text: { S: 'documents requested' } }] });
    expect(done.result.get.Item.text).toEqual({ S: 'documents requested' });
    expect(done.result.get).not.toHaveProperty('$metadata');
  });

  it('name a DynamoDB error the aws-sdk way (DynamoDb.<Exception>) so Catch can route it', async () => {
    const done = await run({
      StartAt: 'Get',
      States: {
        Get: task('aws-sdk:dynamodb:getItem', { TableName: 'no-such-table', Key: { pk: { S: 'x' } } }, { Catch: [{ ErrorEquals: ['DynamoDb.ResourceNotFoundException'], Next: 'Missing' }], End: true }),
        Missing: { Type: 'Pass', End: true },
      },
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.result.Error).toBe('DynamoDb.ResourceNotFoundException');
  });

  it('put and get an object in the local object store (aws-sdk:s3:*)', async () => {
    const done = await run({
      StartAt: 'Put',
      States: {
        Put: task('aws-sdk:s3:putObject', { Bucket: 'clearway-reports', Key: 'risk/2025-05.json', 'Body.$': '$.report' }, { ResultPath: null, Next: 'Get' }),
        Get: task('aws-sdk:s3:getObject', { Bucket: 'clearway-reports', Key: 'risk/2025-05.json' }, { ResultSelector: { 'report.$': 'States.StringToJson($.Body)' }, End: true }),
      },
    }, { report: { hits: 3 } });
    expect(done.result).toEqual({ report: { hits: 3 } });
  });

  it('send a message to a local queue (aws-sdk:sqs:sendMessage) and put events on the bus (aws-sdk:eventbridge:putEvents)', async () => {
    const queueUrl = `${runtime.endpointUrl}/000000000000/failures`;
    const done = await run({
      StartAt: 'Send',
      States: {
        Send: task('aws-sdk:sqs:sendMessage', { QueueUrl: queueUrl, MessageBody: '{"declarationId":"D-77"}' }, { ResultPath: null, Next: 'Publish' }),
        Publish: task('aws-sdk:eventbridge:putEvents', { Entries: [{ EventBusName: 'clearway', Source: 'integration.test', DetailType: 'Noted', Detail: '{"n":1}' }] }, { End: true }),
      },
    });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.result).toMatchObject({ FailedEntryCount: 0 });
    expect(runtime.queues.peek('failures').map((m) => m.body)).toContainEqual({ declarationId: 'D-77' });
  });

  it('call the Step Functions API itself (aws-sdk:sfn:*)', async () => {
    const done = await run({ StartAt: 'List', States: { List: task('aws-sdk:sfn:listStateMachines', {}, { End: true }) } });
    expect(done.result.stateMachines.map((sm: { name: string }) => sm.name)).toContain('clearway-lifecycle');
    expect(clock.now()).toBe(Date.parse('2025-05-20T02:00:00Z'));
  });
});
