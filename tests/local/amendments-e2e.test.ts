import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/domain/history/index.js';
import { declarationStore } from '../../functions/shared/dependencies.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { addressedTo } from '../../scripts/demo-driver.js';
import { example, exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2022-11-14T10:00:00Z'));
});
afterAll(() => runtime?.stop());

const types = (view: any) => view.history.map((event: any) => event.type);
const execution = (name: string) =>
  (runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any).executions.find((e: any) => e.name === name);
const officer = () => api.as({ role: 'officer', sub: 'officer-9' });
const xml = 'application/xml';

/** Submits an HMRC sample and follows it to its end. */
async function lodged(path: string) {
  const { id } = (await api.post('/declarations', example(path), xml)).body;
  return api.until(id, finished);
}

describe('amendments and cancellations', () => {
  describe('HMRC\'s additional messages applied to their declarations (after release: an officer decides)', () => {
    it('TT_IM002b: the price of TT_IM002a amended to GBP 999, granted, recomputed in version 2', async () => {
      // Each sample on the date its source gives (examples/manifest.json), as the demo lodges it.
      const first = await lodged('wco-dms/TT_IM002b/TT_IM002a.xml');
      expect(first.status).toBe('RELEASED');
      const message = example('wco-dms/TT_IM002b/TT_IM002b_Amendment.xml');
      const misaddressed = await api.post(`/declarations/${first.id}/amendments`, message, xml);
      expect(misaddressed).toMatchObject({ status: 422, body: { code: 'CWY-AMEND-007', pointer: '/Declaration/ID' } });

      const asked = await api.post(`/declarations/${first.id}/amendments`, addressedTo(message, first.entryNumber), xml);
      expect(asked).toMatchObject({ status: 202, body: { outcome: 'REQUESTED', queue: 'additional-messages', version: 1 } });
      const queue = (await officer().get('/work-items?queue=additional-messages')).body.items;
      expect(queue.find((i: any) => i.declarationId === first.id).request).toMatchObject({ kind: 'AMENDMENT', reasonCode: '21', format: 'WCO-DMS-3.6' });

      expect((await officer().post(`/declarations/${first.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
      const view = await api.until(first.id, (v) => v.version === 2 && finished(v));
      expect(view.status).toBe('RELEASED');
      expect(view.declaration.items[0].invoiceAmount).toBe('999');
      expect(view.entryNumber).toBe(first.entryNumber);
      expect(types(view)).toEqual(expect.arrayContaining(['AmendmentRequested', 'AdditionalMessageDecided', 'DeclarationAmended', 'AmendmentAccepted']));
    });

    it('TT_IM003a: the net mass amended to 2.1 kg (reason 28) while the tax notice waits — applied at once, as version 2', async () => {
      clock.set(Date.parse('2024-02-22T09:00:00Z'));
      const { id } = (await api.post('/declarations', example('wco-dms/TT_IM003a/TT_IM003a.xml'), xml)).body;
      const first = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      const message = addressedTo(example('wco-dms/TT_IM003a/TT_IM003a_Amendment_(Step_3).xml'), first.entryNumber);
      const answer = await api.post(`/declarations/${id}/amendments`, message, xml);
      expect(answer.body).toMatchObject({ outcome: 'APPLIED', version: 2 });
      const view = await api.until(id, (v) => v.version === 2 && v.status === 'AWAITING_PAYMENT');
      expect(view.declaration.items[0].netMassKg).toBe('2.1');
      expect(view.history.find((e: any) => e.type === 'DeclarationAmended').data).toMatchObject({
        reasonCode: '28', format: 'WCO-DMS-3.6', changes: [{ op: 'replace', path: '/items/0/netMassKg', value: '2.1' }],
      });
      // An ad valorem duty and VAT: the mass changes nothing in the tax.
      expect(view.taxTotal).toEqual(first.taxTotal);
      await api.post(`/declarations/${id}/payments`, { amount: view.taxTotal.amount, currency: 'GBP', reference: 'BANK-IM003A' });
      expect((await api.until(id, finished)).status).toBe('RELEASED');
    });

    it('TT_IM011a: the C21i accepted with no tax, its amendment (62 kg) and its cancellation applied', async () => {
      const first = await lodged('wco-dms/TT_IM011a/TT_IM011a.xml');
      expect(first).toMatchObject({ status: 'RELEASED', taxLines: [], taxTotal: { amount: '0.00', currency: 'GBP' } });

      const amendment = addressedTo(example('wco-dms/TT_IM011a/TT_IM011a_Amendment.xml'), first.entryNumber);
      expect((await api.post(`/declarations/${first.id}/amendments`, amendment, xml)).body.outcome).toBe('REQUESTED');
      await officer().post(`/declarations/${first.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' });
      const amended = await api.until(first.id, (v) => v.version === 2 && finished(v));
      expect(amended.declaration.items[0].netMassKg).toBe('62');

      const cancellation = addressedTo(example('wco-dms/TT_IM011a/TT_IM011a_Cancellation.xml'), first.entryNumber);
      expect((await api.post(`/declarations/${first.id}/cancellation`, cancellation, xml)).body.outcome).toBe('REQUESTED');
      await officer().post(`/declarations/${first.id}/decisions`, { decision: 'GRANT', officer: 'officer-9', reason: 'duplicate confirmed' });
      const view = (await api.get(`/declarations/${first.id}`)).body;
      expect(view.status).toBe('CANCELLED');
      expect(view.history.find((e: any) => e.type === 'DeclarationCancelled').data).toMatchObject({
        reasonCode: '1', reason: 'This is a duplicate declaration, please cancel', format: 'WCO-DMS-3.6',
      });
    });

    it('leaves the declaration as it was when the officer refuses the request', async () => {
      const first = await lodged('wco-dms/TT_IM001a/Step1_TT_IM001a.xml');
      const asked = await api.post(`/declarations/${first.id}/cancellation`, { reason: 'changed my mind' });
      expect(asked.body.outcome).toBe('REQUESTED');
      expect((await api.post(`/declarations/${first.id}/cancellation`, { reason: 'again' })).status).toBe(409);
      const refused = await officer().post(`/declarations/${first.id}/decisions`, { decision: 'REFUSE', officer: 'officer-9', reason: 'goods released and used' });
      expect(refused.body).toMatchObject({ kind: 'CANCELLATION', decision: 'REFUSE' });
      const view = (await api.get(`/declarations/${first.id}`)).body;
      expect(view).toMatchObject({ status: 'RELEASED', version: 1 });
      expect(view.history.at(-1)).toMatchObject({ type: 'AdditionalMessageDecided', data: { decision: 'REFUSE', reason: 'goods released and used' } });
    });
  });

  describe('before the taxes are settled: applied at once, as the next version', () => {
    /** CN-1 (CIF USD 100000 at 7.1000, duty 10 %, VAT 13 %), waiting for the bank. */
    let id: string;

    it('supersedes the waiting execution and recomputes the tax of the amended value in <id>-v2', async () => {
      clock.set(Date.parse('2025-05-20T02:00:00Z'));
      const declaration = { ...exampleJson('cn/CN-1.json'), lrn: 'AMEND-CN1-1' };
      id = (await api.post('/declarations', declaration)).body.id;
      const waiting = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      expect(waiting.taxTotal).toEqual({ amount: '172530.00', currency: 'CNY' });

      const answer = await api.post(`/declarations/${id}/amendments`, {
        reasonCode: '21',
        reason: 'Invoice corrected: half the consignment was shipped',
        changes: [{ op: 'replace', path: '/items/0/invoiceAmount', value: '50000' }],
      });
      expect(answer).toMatchObject({ status: 202, body: { id, outcome: 'APPLIED', version: 2, previousVersion: 1 } });

      const view = await api.until(id, (v) => v.version === 2 && v.status === 'AWAITING_PAYMENT');
      // Same statutory formulas as CN-1 on USD 50000: value 355000.00, duty 10 % = 35500.00,
      // VAT 13 % × (355000.00 + 35500.00) = 50765.00 (关税法 Art. 23; 增值税暂行条例 Art. 14).
      expect(view.taxTotal).toEqual({ amount: '86265.00', currency: 'CNY' });
      expect(view.declaration.items[0].invoiceAmount).toBe('50000');
      expect(execution(`${id}-v1`).status).toBe('ABORTED');
      expect(execution(`${id}-v2`).status).toBe('RUNNING');
    });

    it('records the amendment, its reason and the superseded execution in the hash-chained history', async () => {
      const view = (await api.get(`/declarations/${id}`)).body;
      const amended = view.history.find((e: any) => e.type === 'DeclarationAmended');
      expect(amended.data).toMatchObject({ version: 2, previousVersion: 1, reasonCode: '21', format: 'canonical-json' });
      expect(view.history.find((e: any) => e.type === 'ExecutionSuperseded').data).toEqual({
        execution: `${id}-v1`, version: 1, by: 'AMENDMENT', nextVersion: 2,
      });
      expect(types(view).slice(types(view).indexOf('DeclarationAmended'))).toEqual([
        'DeclarationAmended', 'ExecutionSuperseded', 'AmendmentAccepted', 'RiskScreened', 'TaxAssessed', 'TaxNoticeIssued', 'PaymentAwaited',
      ]);
      expect(verifyChain(await declarationStore().getHistory(id))).toMatchObject({ ok: true });
    });

    it('withdraws the first notice on the ledger, and takes the bank\'s payment of the new one', async () => {
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(view.ledger.entries.map((e: any) => [e.kind, e.amount])).toEqual([
        ['ASSESSMENT', '172530.00'], ['ASSESSMENT_WITHDRAWN', '172530.00'], ['ASSESSMENT', '86265.00'],
      ]);
      expect(view.ledger.balance).toBe('86265.00');
      const paid = await api.post(`/declarations/${id}/payments`, { amount: '86265.00', currency: 'CNY', reference: 'BANK-AMEND-1' });
      expect(paid.status).toBe(202);
      expect((await api.until(id, finished)).status).toBe('RELEASED');
    });

    it('re-screens risk: a held declaration amended out of the risky heading goes on green', async () => {
      clock.set(Date.parse('2025-06-10T02:00:00Z'));
      const tobacco = { ...exampleJson('cn/CN-1.json'), lrn: 'AMEND-TOBACCO-1', payment: { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' } };
      tobacco.items[0].commodityCode = '2401201000';
      const { id: held } = (await api.post('/declarations', tobacco)).body;
      expect((await api.until(held, (v) => v.status === 'HELD')).channel).toBe('YELLOW');
      const answer = await api.post(`/declarations/${held}/amendments`, {
        reasonCode: '17', reason: 'Wrong commodity code keyed', changes: [{ op: 'replace', path: '/items/0/commodityCode', value: '8509400000' }],
      });
      expect(answer.body).toMatchObject({ outcome: 'APPLIED', version: 2 });
      const view = await api.until(held, finished);
      expect(view).toMatchObject({ status: 'RELEASED', version: 2, channel: 'GREEN' });
      expect((await officer().get('/work-items?queue=document-review&status=CLOSED')).body.items.map((i: any) => i.declarationId)).toContain(held);
      const late = await officer().post(`/declarations/${held}/decisions`, { decision: 'RELEASE', officer: 'officer-9' });
      expect(late.status).toBe(409);
    });

    it('cancels a held declaration with its reason: execution stopped, work item closed, CANCELLED', async () => {
      const tobacco = { ...exampleJson('cn/CN-1.json'), lrn: 'CANCEL-TOBACCO-1', payment: { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' } };
      tobacco.items[0].commodityCode = '2401201000';
      const { id: held } = (await api.post('/declarations', tobacco)).body;
      await api.until(held, (v) => v.status === 'HELD');
      const answer = await api.post(`/declarations/${held}/cancellation`, { reasonCode: '1', reason: 'Goods no longer imported' });
      expect(answer).toMatchObject({ status: 202, body: { outcome: 'APPLIED', status: 'CANCELLED' } });
      const view = (await api.get(`/declarations/${held}`)).body;
      expect(view.status).toBe('CANCELLED');
      expect(view.history.find((e: any) => e.type === 'DeclarationCancelled').data).toMatchObject({ reasonCode: '1', reason: 'Goods no longer imported' });
      expect(execution(`${held}-v1`).status).toBe('ABORTED');
      expect((await officer().post(`/declarations/${held}/decisions`, { decision: 'RELEASE', officer: 'officer-9' })).status).toBe(409);
      expect((await api.post(`/declarations/${held}/amendments`, { reasonCode: '21', reason: 'x', changes: [{ op: 'replace', path: '/items/0/invoiceAmount', value: '1' }] })).status).toBe(409);
    });
  });

  describe('refused amendments store nothing', () => {
    let id: string;
    let before: number;

    beforeAll(async () => {
      const declaration = { ...exampleJson('cn/CN-1.json'), lrn: 'AMEND-REFUSED-1' };
      id = (await api.post('/declarations', declaration)).body.id;
      before = (await api.until(id, (v) => v.status === 'AWAITING_PAYMENT')).history.length;
    });

    it('answers every broken rule of the amended declaration at once, with codes and pointers', async () => {
      const answer = await api.post(`/declarations/${id}/amendments`, {
        reasonCode: '28',
        reason: 'weights',
        changes: [
          { op: 'replace', path: '/items/0/netMassKg', value: '99999' },
          { op: 'replace', path: '/items/7/netMassKg', value: '1' },
          { op: 'replace', path: '/lrn', value: 'OTHER' },
        ],
      });
      expect(answer.status).toBe(422);
      expect(answer.body.errors.map((e: any) => [e.code, e.pointer])).toEqual([
        ['CWY-AMEND-004', '/items/7/netMassKg'],
        ['CWY-AMEND-005', '/lrn'],
      ]);
      const rules = await api.post(`/declarations/${id}/amendments`, { reasonCode: '28', reason: 'weights', changes: [{ op: 'replace', path: '/items/0/netMassKg', value: '99999' }] });
      expect(rules.body).toMatchObject({ code: 'CWY-MASS-001', pointer: '/items/0/netMassKg' });
      expect((await api.get(`/declarations/${id}`)).body.history).toHaveLength(before);
      expect(execution(`${id}-v1`).status).toBe('RUNNING');
    });
  });

});
