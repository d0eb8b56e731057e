/**
 * An append built on the view a step already read (`AppendOptions.basis`) saves the second read
 * and must be exactly as safe as reading again: the history is the system of record (DESIGN.md
 * §5), each event one conditional put on its seq, so a basis that moved on fails — superseded
 * when another version took over, a concurrency conflict otherwise — and writes nothing. Checked
 * on both adapters: DynamoDB (dynalite, through the SDK) and the in-memory one the replay uses.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDeclarationStore } from '../../functions/adapters/dynamodb/declaration-store.js';
import { MemoryDeclarationStore } from '../../functions/adapters/memory/declaration-store.js';
import { ConflictError, VersionSupersededError } from '../../functions/domain/errors.js';
import { ledgerEntry, postToLedger } from '../../functions/domain/payment/ledger.js';
import type { DeclarationStore, DeclarationView, NewHistoryEvent } from '../../functions/ports/declaration-store.js';
import { tables } from '../../infra/app-model.js';
import { dynamoMeterCounts, resetDynamoMeter } from '../../infra/local/dynamo/meter.js';
import { startTestDynamo, type TestDynamo } from '../support/dynamo.js';
import { exampleJson } from '../support/platform.js';

const TABLE = 'declaration-store-test';
let dynamo: TestDynamo;

beforeAll(async () => {
  dynamo = await startTestDynamo(TABLE, tables.main);
});
afterAll(() => dynamo?.close());

const AT = '2025-07-01T02:00:00.000Z';
const event = (type: string): NewHistoryEvent => ({ type, actor: 'clearway:test', correlationId: 'test', occurredAt: AT, data: {} });
let count = 0;

/** A submitted declaration (CN-5) and its view as a step reads it. */
async function submitted(store: DeclarationStore): Promise<DeclarationView> {
  const id = `decl-${++count}`;
  const declaration = exampleJson('cn/CN-5.json');
  await store.create(
    { id, version: 1, status: 'SUBMITTED', jurisdiction: 'CN', traderId: declaration.declarant.id, lrn: `LRN-${count}`, declaration, updatedAt: AT },
    event('DeclarationSubmitted'),
  );
  return (await store.getView(id))!;
}

describe.each([
  ['DynamoDB', () => new DynamoDeclarationStore(DynamoDBDocumentClient.from(dynamo.client), TABLE)],
  ['in memory', () => new MemoryDeclarationStore()],
] as const)('DeclarationStore.append on a basis (%s)', (adapter, makeStore) => {
  let store: DeclarationStore;
  beforeEach(() => {
    store = makeStore();
  });

  it('continues the chain from the view it was given', async () => {
    const view = await submitted(store);
    const next = await store.append(view.id, [event('DeclarationAccepted')], { status: 'ACCEPTED' }, { expectedVersion: 1, basis: view });
    expect(next).toMatchObject({ status: 'ACCEPTED', headSeq: 2 });
    const history = await store.getHistory(view.id);
    expect(history.map((e) => e.type)).toEqual(['DeclarationSubmitted', 'DeclarationAccepted']);
    expect(history[1].prevHash).toBe(history[0].hash);
    expect(await store.getView(view.id)).toEqual(next);
  });

  it('fails with a conflict, writing nothing, when the history moved on since the view was read', async () => {
    const stale = await submitted(store);
    await store.append(stale.id, [event('OfficerNote')], {}, { basis: stale });
    await expect(store.append(stale.id, [event('DeclarationAccepted')], { status: 'ACCEPTED' }, { expectedVersion: 1, basis: stale })).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getHistory(stale.id)).map((e) => e.type)).toEqual(['DeclarationSubmitted', 'OfficerNote']);
    expect((await store.getView(stale.id))!.status).toBe('SUBMITTED');
  });

  it('answers superseded, writing nothing, when another version took over since the view was read', async () => {
    const stale = await submitted(store);
    await store.append(stale.id, [event('DeclarationAmended')], { version: 2 });
    await expect(store.append(stale.id, [event('RiskScreened')], { channel: 'GREEN' }, { expectedVersion: 1, basis: stale })).rejects.toBeInstanceOf(VersionSupersededError);
    expect((await store.getHistory(stale.id)).map((e) => e.type)).toEqual(['DeclarationSubmitted', 'DeclarationAmended']);
  });

  if (adapter === 'DynamoDB') {
    it('reads nothing to append on a basis (a fresh append reads the view and the head first)', async () => {
      const view = await submitted(store);
      resetDynamoMeter();
      await store.append(view.id, [event('DeclarationAccepted')], { status: 'ACCEPTED' }, { basis: view });
      expect(dynamoMeterCounts().requests).toEqual({ PutItem: 2 });
      resetDynamoMeter();
      await store.append(view.id, [event('RiskScreened')], { channel: 'GREEN' });
      expect(dynamoMeterCounts().requests).toEqual({ Query: 1, PutItem: 2 });
    });
  }
});

describe('DynamoDeclarationStore views', () => {
  const documents = () => DynamoDBDocumentClient.from(dynamo.client);

  const storedView = async (id: string) => (await documents().send(new GetCommand({ TableName: TABLE, Key: { PK: `DECL#${id}`, SK: 'VIEW' } }))).Item!;
  const rewrite = (item: Record<string, unknown>) => documents().send(new PutCommand({ TableName: TABLE, Item: item, ConditionExpression: 'attribute_exists(PK)' }));
  const declarationJson = (item: Record<string, unknown>) => gunzipSync(item.declaration as Uint8Array).toString('utf8');

  it('keeps the declaration as gzipped JSON, the other nested parts as JSON text, and gives them back as they were', async () => {
    const store = new DynamoDeclarationStore(documents(), TABLE);
    const view = await submitted(store);
    const ledger = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '12.34', 'CNY', AT, 'ENTRY-1')]);
    await store.append(view.id, [event('PaymentSettled')], { ledger, taxTotal: { amount: '12.34', currency: 'CNY' } }, { basis: view });
    const item = await storedView(view.id);
    expect(JSON.parse(declarationJson(item))).toEqual(view.declaration);
    expect((item.declaration as Uint8Array).length).toBeLessThan(declarationJson(item).length);
    expect(JSON.parse(item.ledger as string)).toEqual(ledger);
    const read = (await store.getView(view.id))!;
    expect(read.declaration).toEqual(view.declaration);
    expect(read.ledger).toEqual(ledger);
  });

  it('reads a view whose nested parts were stored as maps, as views were before', async () => {
    const store = new DynamoDeclarationStore(documents(), TABLE);
    const view = await submitted(store);
    await rewrite({ ...(await storedView(view.id)), declaration: JSON.parse(declarationJson(await storedView(view.id))) });
    expect((await store.getView(view.id))!.declaration).toEqual(view.declaration);
  });

  it('reads a view whose declaration was stored as JSON text', async () => {
    const store = new DynamoDeclarationStore(documents(), TABLE);
    const view = await submitted(store);
    await rewrite({ ...(await storedView(view.id)), declaration: declarationJson(await storedView(view.id)) });
    expect((await store.getView(view.id))!.declaration).toEqual(view.declaration);
  });
});
