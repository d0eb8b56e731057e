import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/domain/history/index.js';
import { declarationStore } from '../../functions/shared/dependencies.js';
import type { Runtime } from '../../infra/local/runtime.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import { example, exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
});
afterAll(() => runtime?.stop());

const types = (view: any) => view.history.map((event: any) => event.type);
const queueTypes = (queue: string) => runtime.queues.peek(queue).map((m) => (m.body as any)['detail-type']);

describe('the lifecycle on the local runtime, over HTTP', () => {
  describe('HMRC sample TT_IM001a (WCO DMS 3.6, deferment)', () => {
    let id: string;

    it('is received with 202 and an id', async () => {
      const answer = await api.post('/declarations', example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml');
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({ version: 1, status: 'SUBMITTED', lrn: '7847767E1WB6' });
      id = answer.body.id;
    });

    it('ends RELEASED with the duty and VAT HMRC published in its DMSTAX notification', async () => {
      const view = await api.until(id, finished);
      expect(view.status).toBe('RELEASED');
      // examples/wco-dms/TT_IM001a/Example_Notifications/02_DMSTAX.xml: A00 20.00 at 2.00 %, B00 204.00 at 20.00 % on 1020.00.
      expect(view.taxLines).toEqual([
        expect.objectContaining({ type: 'DUTY', code: 'A00', base: '1000.00', rate: '2.00%', amount: '20.00', currency: 'GBP' }),
        expect.objectContaining({ type: 'VAT', code: 'B00', base: '1020.00', rate: '20.00%', amount: '204.00', currency: 'GBP' }),
      ]);
      expect(view.entryNumber).toMatch(/^24GB\d{14}$/);
    });

    it('records every step as a hash-chained history event, in order', async () => {
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(types(view)).toEqual([
        'DeclarationSubmitted', 'DeclarationAccepted', 'RiskScreened', 'TaxAssessed', 'PaymentSettled', 'DeclarationReleased', 'AuditSelectionMade',
      ]);
      expect(verifyChain(await declarationStore().getHistory(id))).toMatchObject({ ok: true, length: 7 });
    });

    it('emits the release notice through EventBridge to the releases queue', () => {
      expect(runtime.queues.peek('releases').map((m) => (m.body as any).detail.declarationId)).toContain(id);
    });

    it('answers a resubmission of the same LRN with the same declaration, never a second one', async () => {
      const again = await api.post('/declarations', example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml');
      expect(again).toMatchObject({ status: 200, body: { id, status: 'RELEASED' } });
      const executions = runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any;
      expect(executions.executions.filter((e: any) => e.name.startsWith(id))).toHaveLength(1);
    });

    it('refuses other content under an LRN already used, with a pointer to it, and keeps the first', async () => {
      const other = example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml').replace(/<ItemChargeAmount([^>]*)>1000<\/ItemChargeAmount>/, '<ItemChargeAmount$1>1500</ItemChargeAmount>');
      expect(other).not.toBe(example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'));
      const answer = await api.post('/declarations', other, 'application/xml');
      expect(answer).toMatchObject({ status: 409, body: { code: 'DuplicateReference', pointer: '/lrn' } });
      expect((await api.get(`/declarations/${id}`)).body.declaration.items[0].invoiceAmount).toBe('1000');
    });
  });

  describe('a CN import paid by e-payment (worked example CN-1)', () => {
    let id: string;

    it('waits for the bank with a tax notice due 15 days after completion (关税法 Art. 43)', async () => {
      clock.set(Date.parse('2025-05-20T02:00:00Z'));
      id = (await api.post('/declarations', exampleJson('cn/CN-1.json'))).body.id;
      const view = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      expect(view.taxTotal).toEqual({ amount: '172530.00', currency: 'CNY' });
      const notice = view.history.find((e: any) => e.type === 'TaxNoticeIssued');
      expect(notice.data).toMatchObject({ amount: '172530.00', deadline: '2025-06-04' });
    });

    it('refuses a payment that does not match the notice, with a code and a pointer', async () => {
      const answer = await api.post(`/declarations/${id}/payments`, { amount: '172529.99', currency: 'CNY', reference: 'BANK-1' });
      expect(answer).toMatchObject({ status: 422, body: { code: 'PaymentMismatch', pointer: '/amount' } });
    });

    it('raises PaymentOverdue the day after the deadline and charges 0.05 % a day at payment', async () => {
      clock.set(Date.parse('2025-06-06T02:00:00Z'));
      await expect.poll(() => queueTypes('paymentOverdue')).toContain('PaymentOverdue');
      // Deadline 2025-06-04, paid 2025-06-06: 2 days × 0.05 % × 172530.00 = 172.53 (CN-8's rule).
      const paid = await api.post(`/declarations/${id}/payments`, { amount: '172702.53', currency: 'CNY', reference: 'BANK-1' });
      expect(paid).toMatchObject({ status: 202, body: { payment: { amount: '172702.53', lateFee: '172.53' } } });
      expect((await api.until(id, finished)).status).toBe('RELEASED');
    });

    it('answers a repeated bank notification with the first result and never pays twice', async () => {
      const repeated = await api.post(`/declarations/${id}/payments`, { amount: '172702.53', currency: 'CNY', reference: 'BANK-1' });
      expect(repeated).toMatchObject({ status: 200, body: { payment: { reference: 'BANK-1' } } });
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(types(view).filter((t: string) => t === 'PaymentReceived')).toHaveLength(1);
    });
  });

  describe('officer holds and rejections', () => {
    /** CN-1 turned into a tobacco-leaf import: chapter 24 is screened to document review. */
    const tobacco = (lrn: string) => {
      const declaration = exampleJson('cn/CN-1.json');
      declaration.lrn = lrn;
      declaration.payment = { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' };
      declaration.items[0].commodityCode = '2401201000';
      declaration.items[0].description = 'Flue-cured tobacco leaf, partly stemmed';
      return declaration;
    };
    const heldFor = async (lrn: string) => {
      const { id } = (await api.post('/declarations', tobacco(lrn))).body;
      return { id, view: await api.until(id, (v) => v.status === 'HELD') };
    };

    it('holds a chapter 24 declaration for document review and routes DeclarationHeld to the officer queue', async () => {
      clock.set(Date.parse('2025-06-10T02:00:00Z'));
      const { id, view } = await heldFor('TOBACCO-HOLD-1');
      expect(view.channel).toBe('YELLOW');
      await expect.poll(() => runtime.queues.peek('officerHolds').map((m) => (m.body as any).detail.declarationId)).toContain(id);
    });

    it('goes on to tax and release when the officer releases it', async () => {
      const { id } = await heldFor('TOBACCO-RELEASE-1');
      const decided = await api.post(`/declarations/${id}/decisions`, { decision: 'RELEASE', officer: 'officer-7' });
      expect(decided.status).toBe(202);
      const view = await api.until(id, finished);
      expect(view.status).toBe('RELEASED');
      expect(types(view)).toEqual(expect.arrayContaining(['OfficerReviewRequested', 'OfficerDecisionRecorded', 'TaxAssessed']));
    });

    it('refuses a decision for a declaration that is not waiting for one', async () => {
      const { id } = await heldFor('TOBACCO-TWICE-1');
      await api.post(`/declarations/${id}/decisions`, { decision: 'RELEASE', officer: 'officer-7' });
      const again = await api.post(`/declarations/${id}/decisions`, { decision: 'RELEASE', officer: 'officer-7' });
      expect(again).toMatchObject({ status: 409, body: { code: 'Conflict' } });
    });

    it('ends REJECTED when the officer rejects, and routes the rejection', async () => {
      const { id } = await heldFor('TOBACCO-REJECT-1');
      const decided = await api.post(`/declarations/${id}/decisions`, { decision: 'REJECT', officer: 'officer-7', reason: 'licence missing' });
      expect(decided.status).toBe(202);
      const view = await api.until(id, finished);
      expect(view.status).toBe('REJECTED');
      expect(types(view)).toContain('OfficerDecisionRecorded');
      await expect.poll(() => runtime.queues.peek('rejections').map((m) => (m.body as any).detail.declarationId)).toContain(id);
    });

    it('rejects at receipt, with a coded reason, a commodity that has no tariff line on that date', async () => {
      const declaration = exampleJson('cn/CN-1.json');
      declaration.lrn = 'NO-TARIFF-1';
      declaration.items[0].commodityCode = '8501100000';
      const { id } = (await api.post('/declarations', declaration)).body;
      const view = await api.until(id, finished);
      expect(view.status).toBe('REJECTED');
      expect(JSON.stringify(view.history.at(-1).data)).toContain('CWY-REF-001');
    });

    it('answers an invalid submission 422 with every problem and its pointer, and stores nothing', async () => {
      const declaration = exampleJson('cn/CN-1.json');
      declaration.lrn = 'INVALID-1';
      declaration.items[0].commodityCode = '9999990000';
      declaration.items[0].netMassKg = '10';
      declaration.items[0].grossMassKg = '5';
      const answer = await api.post('/declarations', declaration);
      expect(answer.status).toBe(422);
      expect(answer.body.errors.map((e: any) => e.pointer)).toEqual(expect.arrayContaining(['/items/0/commodityCode']));
      const executions = runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any;
      const views = await Promise.all(executions.executions.map((e: any) => api.get(`/declarations/${e.name.replace(/-v\d+$/, '')}`)));
      expect(views.map((v) => v.body.lrn)).not.toContain('INVALID-1');
    });
  });
});
