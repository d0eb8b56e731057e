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
    it('TT_IM002b: the price of TT_IM002a amended to GBP 999, granted, reassessed as version 2 — the goods stay released', async () => {
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
      const view = (await api.get(`/declarations/${first.id}`)).body;
      expect(view).toMatchObject({ status: 'RELEASED', version: 2, entryNumber: first.entryNumber });
      expect(view.declaration.items[0].invoiceAmount).toBe('999');
      // Released goods are not screened or released again: no second execution, no second DMSCLE.
      expect(types(view).slice(types(first).length)).toEqual(['AmendmentRequested', 'AdditionalMessageDecided', 'DeclarationAmended', 'TaxReassessed']);
      expect(execution(`${first.id}-v2`)).toBeUndefined();
      // Cocoa at 0 % duty (illustrative GB tariff line) and VAT 0 % (the declaration's VATZ): nothing to settle.
      expect(view.history.at(-1).data).toMatchObject({ version: 2, total: { amount: '0.00', currency: 'GBP' }, effect: { kind: 'NO_TAX_EFFECT' } });
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
      // Decided once: the same answer again finds no request waiting (not a malformed body).
      const again = await officer().post(`/declarations/${first.id}/decisions`, { decision: 'REFUSE', officer: 'officer-9', reason: 'goods released and used' });
      expect(again).toMatchObject({ status: 409, body: { code: 'Conflict', pointer: '/decision' } });
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


  describe('after release: the granted amendment is reassessed on the spot, the difference settled as post-clearance work', () => {
    /** CN-1 lodged, paid and released on 2025-06-10 (USD at 7.0000: 700,000; duty 10 % 70,000.00; VAT 13 % × 770,000 = 100,100.00; 170,100.00). */
    async function releasedCn1(lrn: string) {
      const { id } = (await api.post('/declarations', { ...exampleJson('cn/CN-1.json'), lrn })).body;
      const waiting = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      await api.as({ role: 'bank', sub: 'bank-1' }).post(`/declarations/${id}/payments`, { amount: waiting.taxTotal.amount, currency: 'CNY', reference: `BANK-${lrn}` });
      const released = await api.until(id, finished);
      expect(released).toMatchObject({ status: 'RELEASED', taxTotal: { amount: '170100.00' } });
      return released;
    }
    let lowered: any;
    let raised: any;
    // Both released on 2025-06-10 (where the tests before left the clock: it only moves forward), amended on 2026-03-02.
    beforeAll(async () => {
      clock.set(Date.parse('2025-06-10T02:00:00Z'));
      lowered = await releasedCn1('POSTREL-CN1-REFUND');
      raised = await releasedCn1('POSTREL-CN1-SHORT');
      clock.set(Date.parse('2026-03-02T02:00:00Z'));
    });
    const invoiceAt = (amount: string) => ({ reasonCode: '21', reason: 'Invoice corrected after release', changes: [{ op: 'replace', path: '/items/0/invoiceAmount', value: amount }] });

    it('a lower invoice: a refund on the declarant\'s claim with interest (关税法 Arts. 51 para 2, 53), the notice of DMSTAX', async () => {
      const released = lowered;
      expect((await api.post(`/declarations/${released.id}/amendments`, invoiceAt('95000'))).body.outcome).toBe('REQUESTED');
      expect((await officer().post(`/declarations/${released.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
      const view = (await api.get(`/declarations/${released.id}`)).body;
      // USD 95,000: 665,000; duty 66,500.00; VAT 13 % × 731,500 = 95,095.00; 161,595.00 — 8,505.00 overpaid;
      // interest 8,505.00 × 0.35 % × 265 days (2025-06-10 → 2026-03-02) ÷ 360 = 21.912… → 21.91.
      expect(view).toMatchObject({ status: 'RELEASED', version: 2, taxTotal: { amount: '161595.00', currency: 'CNY' } });
      expect(view.history.at(-1)).toMatchObject({
        type: 'TaxReassessed',
        actor: 'officer:officer-9',
        data: { established: { amount: '170100.00' }, effect: { kind: 'REFUND', amount: '8505.00', initiator: 'TRADER_CLAIM', claimLodgedOn: '2026-03-02', interest: { days: 265, amount: '21.91' } } },
      });
      expect(view.ledger.balance).toBe('-8526.91');
      const notices = (await api.as({ role: 'declarant', org: released.declaration.declarant.id }).get(`/notifications?declarationId=${released.id}`)).body.notifications;
      expect(notices.at(-1)).toMatchObject({ code: 'DMSTAX', details: { stage: 'REASSESSED', effect: 'REFUND', amount: '8505.00', interest: '21.91' } });
      expect(verifyChain(await declarationStore().getHistory(released.id)).ok).toBe(true);
    });

    it('a higher invoice granted without saying who caused the shortfall: refused (CWY-AUD-003), nothing stored, the request still waits', async () => {
      const released = raised;
      await api.post(`/declarations/${released.id}/amendments`, invoiceAt('110000'));
      const before = (await api.get(`/declarations/${released.id}`)).body;
      const refused = await officer().post(`/declarations/${released.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' });
      expect(refused).toMatchObject({ status: 422, body: { code: 'CWY-AUD-003', pointer: '/cause' } });
      expect((await api.get(`/declarations/${released.id}`)).body.history).toHaveLength(before.history.length);
      const queue = (await officer().get('/work-items?queue=additional-messages')).body.items;
      expect(queue.find((i: any) => i.declarationId === released.id)).toMatchObject({ status: 'OPEN' });

      // USD 110,000: 770,000; duty 77,000.00; VAT 13 % × 847,000 = 110,110.00; 187,110.00 — 17,010.00 short.
      // Named a breach: late fee 17,010.00 × 0.05 % × 265 days = 2,253.825 → 2,253.83 (关税法 Art. 46).
      expect((await officer().post(`/declarations/${released.id}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' })).status).toBe(202);
      const view = (await api.get(`/declarations/${released.id}`)).body;
      expect(view.history.at(-1).data.effect).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17010.00', cause: 'TRADER_BREACH', lateFee: { days: 265, amount: '2253.83' } });
      expect(view.ledger.balance).toBe('19263.83');
    });
  });
});
