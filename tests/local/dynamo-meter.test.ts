/**
 * The capacity meter of the local DynamoDB (infra/local/dynamo/meter.ts) counts what DynamoDB
 * would bill an on-demand table. Expected units follow the Developer Guide: "Capacity unit
 * consumption for read/write operations" (1 KB per write unit, 4 KB per read unit, half for an
 * eventually consistent read, the larger of the old and new item for an overwrite, a failed
 * condition still consumes a write) and "Global secondary indexes — writes" (an index key change
 * is a delete and a put: two writes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoMeterCounts, itemBytes, resetDynamoMeter } from '../../infra/local/dynamo/meter.js';
import { startTestDynamo, type TestDynamo } from '../support/dynamo.js';

const TABLE = 'meter-test';
let dynamo: TestDynamo;
let client: DynamoDBDocumentClient;

beforeAll(async () => {
  dynamo = await startTestDynamo(TABLE, { name: TABLE, partitionKey: 'PK', sortKey: 'SK', globalIndexes: [{ name: 'byStatus', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }] });
  client = DynamoDBDocumentClient.from(dynamo.client);
});
afterAll(() => dynamo?.close());
beforeEach(() => resetDynamoMeter());

/** A string attribute that makes the whole item `bytes` long (names and values count, UTF-8). */
const sized = (key: Record<string, string>, bytes: number) => {
  const fixed = Object.entries(key).reduce((sum, [k, v]) => sum + k.length + v.length, 0) + 'data'.length;
  return { ...key, data: 'x'.repeat(bytes - fixed) };
};

describe('the DynamoDB capacity meter', () => {
  it('sizes items by attribute names and UTF-8 values, lists and maps with their overhead', () => {
    expect(itemBytes({ PK: { S: 'abc' } })).toBe(5);
    expect(itemBytes({ n: { S: '关税' } })).toBe(1 + 6);
    expect(itemBytes({ flag: { BOOL: true }, none: { NULL: true } })).toBe(4 + 1 + 4 + 1);
    // A list: 3 bytes + 1 per element + the elements.
    expect(itemBytes({ l: { L: [{ S: 'ab' }, { S: 'c' }] } })).toBe(1 + 3 + 2 + 3);
  });

  it('counts one write unit per started KB, and requests by operation', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'a', SK: '1' }, 1024) }));
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'a', SK: '2' }, 1025) }));
    expect(dynamoMeterCounts()).toMatchObject({ writeUnits: 1 + 2, indexWriteUnits: 0, requests: { PutItem: 2 } });
  });

  it('bills an overwrite by the larger of the old and the new item', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'b', SK: '1' }, 3000) }));
    resetDynamoMeter();
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'b', SK: '1' }, 100) }));
    expect(dynamoMeterCounts().writeUnits).toBe(3);
  });

  it('bills a write refused by its condition by the existing item, at least one unit', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'c', SK: '1' }, 2048) }));
    resetDynamoMeter();
    await expect(client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'c', SK: '1' }, ConditionExpression: 'attribute_not_exists(PK)' }))).rejects.toThrow();
    expect(dynamoMeterCounts()).toMatchObject({ writeUnits: 2, conditionalFailures: 1 });
  });

  it('counts an index write when an item enters an index, and two when its index key changes', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'd', SK: '1', GSI1PK: 'S#A', GSI1SK: 't1' } }));
    expect(dynamoMeterCounts().indexWriteUnits).toBe(1);
    resetDynamoMeter();
    await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'd', SK: '1', GSI1PK: 'S#A', GSI1SK: 't1', note: 'same key' } }));
    expect(dynamoMeterCounts().indexWriteUnits).toBe(1);
    resetDynamoMeter();
    await client.send(new PutCommand({ TableName: TABLE, Item: { PK: 'd', SK: '1', GSI1PK: 'S#B', GSI1SK: 't2' } }));
    expect(dynamoMeterCounts()).toMatchObject({ indexWriteUnits: 2, indexItemWrites: 2 });
    resetDynamoMeter();
    await client.send(new DeleteCommand({ TableName: TABLE, Key: { PK: 'd', SK: '1' } }));
    expect(dynamoMeterCounts()).toMatchObject({ writeUnits: 1, indexWriteUnits: 1 });
  });

  it('counts reads per started 4 KB, half for eventually consistent ones, one for a missing item', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'e', SK: '1' }, 5000) }));
    resetDynamoMeter();
    await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'e', SK: '1' }, ConsistentRead: true }));
    await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'e', SK: '1' } }));
    await client.send(new GetCommand({ TableName: TABLE, Key: { PK: 'e', SK: 'missing' }, ConsistentRead: true }));
    expect(dynamoMeterCounts().readUnits).toBe(2 + 1 + 1);
  });

  it('sums the items a query reads before rounding up to 4 KB', async () => {
    for (const sk of ['1', '2', '3']) await client.send(new PutCommand({ TableName: TABLE, Item: sized({ PK: 'f', SK: sk }, 1500) }));
    resetDynamoMeter();
    await client.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'f' }, ConsistentRead: true }));
    expect(dynamoMeterCounts()).toMatchObject({ readUnits: 2, requests: { Query: 1 } });
  });
});
