import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
let id: string;
const DAY = 86_400_000;

/** CN-1 from North Korea, paid by the bank: the risk profiles hold it for inspection. */
const fromNorthKorea = (lrn: string) => {
  const declaration = exampleJson('cn/CN-1.json');
  declaration.lrn = lrn;
  declaration.items[0].origin = 'KP';
  return declaration;
};

const waitFor = async (done: (view: any) => boolean) => api.until(id, done);

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
  id = (await api.post('/declarations', fromNorthKorea('REPLAY-HELD-1'))).body.id;
  await waitFor((v) => v.status === 'HELD');
  // Nobody decides for three days: the workflow escalates to the supervisor (a deadline fired).
  clock.advance(3 * DAY);
  await waitFor((v) => v.history.filter((e: any) => e.type === 'OfficerReviewRequested').length === 2);
  const decision = await api.post(`/declarations/${id}/decisions`, {
    decision: 'INSPECTION_RESULT', officer: 'officer-7', result: 'DISCREPANCY', reason: 'second invoice found',
    findings: [{ type: 'value', item: 1, invoiceAmount: '150000' }],
  });
  expect(decision.status).toBe(202);
  const assessed = await waitFor((v) => v.status === 'AWAITING_PAYMENT');
  clock.advance(DAY);
  const paid = await api.post(`/declarations/${id}/payments`, { amount: assessed.taxTotal.amount, currency: 'CNY', reference: 'BANK-REPLAY-1' });
  expect(paid.status).toBe(202);
  await waitFor(finished);
}, 120_000);
afterAll(() => runtime?.stop());

describe('replay of a held declaration: deadlines, an officer\'s inspection and the bank, from the history', () => {
  it('re-runs the escalation, the amended assessment and the payment identically', async () => {
    const { status, body } = await api.post('/audits/replays', { declarationId: id });
    expect(status).toBe(200);
    expect(body.comparison.steps.filter((s: any) => s.status !== 'IDENTICAL')).toEqual([]);
    expect(body).toMatchObject({ status: 'RELEASED', comparison: { outcome: 'IDENTICAL' } });
    expect(body.comparison.steps.map((s: any) => s.type)).toEqual(expect.arrayContaining(['OfficerReviewRequested', 'InspectionRecorded', 'TaxAssessed', 'PaymentReceived']));
    expect(body.inputs.map((i: any) => [i.type, i.how])).toEqual([['OfficerDecisionRecorded', 'RECORDED'], ['PaymentReceived', 'RECORDED']]);
  });

  it('writes nothing live: the stored history is unchanged by replaying', async () => {
    const before = (await api.get(`/declarations/${id}`)).body.history;
    await api.post('/audits/replays', { declarationId: id });
    expect((await api.get(`/declarations/${id}`)).body.history).toEqual(before);
  });

  it('reports the step whose recorded decision the rules no longer produce, with both values', async () => {
    // Someone rewrote the recorded tax notice (keys and hashes aside, the chain check catches that):
    // the replay recomputes the assessment and names every field that differs.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.endpointUrl }));
    const { Items } = await db.send(new QueryCommand({
      TableName: process.env.CLEARWAY_TABLE!,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :evt)',
      ExpressionAttributeValues: { ':pk': `DECL#${id}`, ':evt': 'EVT#' },
    }));
    const taxed = Items!.find((e) => e.type === 'TaxAssessed')!;
    const recordedTotal = taxed.data.total.amount;
    await db.send(new PutCommand({ TableName: process.env.CLEARWAY_TABLE!, Item: { ...taxed, data: { ...taxed.data, total: { ...taxed.data.total, amount: '1.00' } } } }));
    db.destroy();

    const { body } = await api.post('/audits/replays', { declarationId: id });
    expect(body.comparison.outcome).toBe('DIVERGED');
    const step = body.comparison.steps.find((s: any) => s.type === 'TaxAssessed');
    expect(step).toMatchObject({ status: 'DIVERGED', step: 'AssessTax', differences: [{ path: '/data/total/amount', recorded: '1.00', replayed: recordedTotal }] });
  });

  it('answers 404 for a declaration with no history, 422 for a malformed request', async () => {
    expect(await api.post('/audits/replays', { declarationId: 'nope' })).toMatchObject({ status: 404, body: { code: 'NotFound', pointer: '/declarationId' } });
    expect(await api.post('/audits/replays', { id: 'x' })).toMatchObject({ status: 422 });
  });
});
