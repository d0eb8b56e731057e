import { gunzipSync, gzipSync } from 'node:zlib';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealEvent, genesisHash, type HistoryEvent } from '../../functions/domain/history/index.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { driveToEnd } from '../support/drive.js';
import { example, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let api: Api;
let table: string;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  ({ runtime, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
  table = process.env.CLEARWAY_TABLE!;
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.endpointUrl }));
});
afterAll(async () => {
  db?.destroy();
  await runtime?.stop();
});

const key = (id: string, seq: number) => ({ PK: `DECL#${id}`, SK: `EVT#${String(seq).padStart(10, '0')}` });

async function storedEvents(id: string): Promise<(HistoryEvent & Record<string, unknown>)[]> {
  const { Items } = await db.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)',
    ExpressionAttributeValues: { ':pk': `DECL#${id}`, ':evt': 'EVT#' },
  }));
  return Items as any;
}

/** The stored pages of a declaration's archived execution histories, as items. */
async function archivedPages(id: string): Promise<Record<string, any>[]> {
  const { Items } = await db.send(new QueryCommand({
    TableName: table,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :h)',
    ExpressionAttributeValues: { ':pk': `DECL#${id}`, ':h': 'SFNHIST#' },
  }));
  return Items!;
}

/** A stored page's JSON text (pages are gzipped). */
const pageText = (page: Record<string, any>) => gunzipSync(page.events as Uint8Array).toString('utf8');

/** A released declaration whose ended execution has been archived and its chain head anchored. */
async function releasedAndAnchored(lrn: string): Promise<string> {
  const body = JSON.parse(example('cn/CN-1.json'));
  const { body: answer } = await api.post('/declarations', { ...body, lrn });
  await driveToEnd(api, answer.id);
  for (let i = 0; i < 400; i++) {
    const verified = (await api.get(`/declarations/${answer.id}/history/verify`)).body;
    if (verified.anchor && verified.archives.length > 0) return answer.id;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no anchor for ${answer.id}`);
}

const verify = async (id: string) => (await api.get(`/declarations/${id}/history/verify`)).body;

describe('GET /declarations/{id}/history/verify', () => {
  it('recomputes an untouched chain: every link holds, and the anchored head and archive match', async () => {
    const id = await releasedAndAnchored('VERIFY-OK');
    const result = await verify(id);
    expect(result).toMatchObject({ id, ok: true, length: result.events });
    expect(result.anchor).toMatchObject({ declarationId: id, seq: result.head.seq, hash: result.head.hash });
    expect(result.archives).toEqual([{ execution: `${id}-v1`, ok: true }]);
  });

  it('archives the ended execution\'s Step Functions history in the store', async () => {
    const id = await releasedAndAnchored('VERIFY-ARCHIVE');
    const events = (await archivedPages(id)).flatMap((page) => JSON.parse(pageText(page)));
    expect(events[0].type).toBe('ExecutionStarted');
    expect(events.at(-1).type).toBe('ExecutionSucceeded');
    expect(events.filter((e: any) => e.type === 'TaskStateEntered').map((e: any) => e.stateEnteredEventDetails.name)).toContain('AssessTax');
  });

  it('names the edited event when a stored payload is changed', async () => {
    const id = await releasedAndAnchored('TAMPER-PAYLOAD');
    const [, , screened] = await storedEvents(id);
    await db.send(new PutCommand({ TableName: table, Item: { ...screened, data: { ...(screened.data as object), channel: 'RED', explanation: 'officer was here' } } }));
    expect(await verify(id)).toMatchObject({ ok: false, brokenAt: 3, reason: 'hash-mismatch', event: { seq: 3, type: 'RiskScreened' } });
  });

  it('finds two events swapped', async () => {
    const id = await releasedAndAnchored('TAMPER-ORDER');
    const events = await storedEvents(id);
    const [a, b] = [events[3], events[4]];
    await db.send(new PutCommand({ TableName: table, Item: { ...b, ...key(id, a.seq), seq: a.seq } }));
    await db.send(new PutCommand({ TableName: table, Item: { ...a, ...key(id, b.seq), seq: b.seq } }));
    expect(await verify(id)).toMatchObject({ ok: false, brokenAt: 4, reason: 'hash-mismatch' });
  });

  it('finds a deleted event in the middle', async () => {
    const id = await releasedAndAnchored('TAMPER-DELETE');
    await db.send(new DeleteCommand({ TableName: table, Key: key(id, 4) }));
    expect(await verify(id)).toMatchObject({ ok: false, brokenAt: 4, reason: 'gap' });
  });

  it('finds the newest events deleted, which leave a valid but shorter chain, against the anchor', async () => {
    const id = await releasedAndAnchored('TAMPER-TRUNCATE');
    const events = await storedEvents(id);
    await db.send(new DeleteCommand({ TableName: table, Key: key(id, events.at(-1)!.seq) }));
    expect(await verify(id)).toMatchObject({ ok: false, brokenAt: events.at(-1)!.seq, reason: 'anchor-mismatch' });
  });

  it('finds a whole chain rewritten with freshly computed hashes, against the anchor', async () => {
    const id = await releasedAndAnchored('TAMPER-REWRITE');
    const events = await storedEvents(id);
    let prevHash = genesisHash(id);
    for (const stored of events) {
      const { prevHash: _p, hash: _h, PK, SK, ...content } = stored as any;
      const data = content.type === 'TaxAssessed' ? { ...content.data, total: { amount: '1.00', currency: 'CNY' } } : content.data;
      const resealed = sealEvent({ ...content, data }, prevHash);
      await db.send(new PutCommand({ TableName: table, Item: { ...resealed, PK, SK } }));
      prevHash = resealed.hash;
    }
    const result = await verify(id);
    expect(result).toMatchObject({ ok: false, reason: 'anchor-mismatch', brokenAt: events.at(-1)!.seq });
  });

  it('finds an archived execution history that was edited', async () => {
    const id = await releasedAndAnchored('TAMPER-ARCHIVE');
    const [page] = await archivedPages(id);
    await db.send(new PutCommand({ TableName: table, Item: { ...page, events: gzipSync(pageText(page).replace('AssessTax', 'AssessTaxes')) } }));
    expect((await verify(id)).archives).toEqual([{ execution: `${id}-v1`, ok: false }]);
  });

  it('still reads a page archived as JSON text, before pages were gzipped', async () => {
    const id = await releasedAndAnchored('ARCHIVE-TEXT');
    const [page] = await archivedPages(id);
    await db.send(new PutCommand({ TableName: table, Item: { ...page, events: pageText(page) } }));
    expect((await verify(id)).archives).toEqual([{ execution: `${id}-v1`, ok: true }]);
  });

  it('answers 404 for a declaration that does not exist', async () => {
    expect(await api.get('/declarations/nope/history/verify')).toMatchObject({ status: 404, body: { code: 'NotFound' } });
  });
});
