/**
 * The bank's payments after the lifecycle ended, over HTTP: a supplementary assessment (from an
 * amendment granted after release, or from an auditor's findings) is paid by the bank — exactly
 * the ledger balance, once per bank reference, resuming no workflow — and replays identically;
 * a refund owed to the trader is not paid by the bank; nothing is paid on a cancelled declaration.
 * Every figure is worked by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/domain/history/index.js';
import { declarationStore, securityAccounts } from '../../functions/shared/dependencies.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { driveToEnd } from '../support/drive.js';
import { example, exampleJson, startTestPlatform, type Api } from '../support/platform.js';
import { replayedIdentically } from '../support/audit.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
let bank: Api;
let officer: Api;
let auditor: Api;

const types = (view: any): string[] => view.history.map((event: any) => event.type);
const view = async (id: string) => (await api.get(`/declarations/${id}`)).body;
const executions = (id: string) =>
  (runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any).executions
    .filter((e: any) => e.name.startsWith(`${id}-v`))
    .map((e: any) => [e.name, e.status]);
const pay = (id: string, amount: string, reference: string, currency = 'CNY') => bank.post(`/declarations/${id}/payments`, { amount, currency, reference });
const invoiceAt = (amount: string) => ({ reasonCode: '21', reason: 'Invoice corrected after release', changes: [{ op: 'replace', path: '/items/0/invoiceAmount', value: amount }] });
const royalties = { specialRelationship: false, priceInfluence: false, royaltiesPayable: true };

/** TT_IM001a (DAN 1108654, deferment): released before payment, 224.00 GBP secured. */
let deferred: any;
/** The same, under another LRN: its price corrected after release while the notice is still only secured. */
let reissued: any;
/** CN-1 paid and released on 2025-06-10, then amended after release: raised (a breach) and lowered. */
let raised: any;
let lowered: any;
/** CN-1 declaring royalties, paid and released on 2025-06-10, selected for audit (AUDIT-CN-ROYALTIES). */
let audited: any;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
  bank = api.as({ role: 'bank', sub: 'bank-1' });
  officer = api.as({ role: 'officer', sub: 'officer-9' });
  auditor = api.as({ role: 'auditor', sub: 'auditor-7' });
  // HMRC's DMSTAX for TT_IM001a: A00 2 % × 1000.00 = 20.00; B00 20 % × 1020.00 = 204.00; 224.00 GBP.
  const { id } = (await api.post('/declarations', example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml')).body;
  deferred = await driveToEnd(api, id);
  const another = example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml').replace('<FunctionalReferenceID>7847767E1WB6<', '<FunctionalReferenceID>7847767E1WB7<');
  reissued = await driveToEnd(api, (await api.post('/declarations', another, 'application/xml')).body.id);
  // CN-1 on 2025-06-10: CIF USD 100,000 × 7.0000 = 700,000.00; duty 10 % 70,000.00; VAT 13 % × 770,000.00 = 100,100.00; 170,100.00.
  clock.set(Date.parse('2025-06-10T02:00:00Z'));
  const lodge = async (body: any) => driveToEnd(api, (await api.post('/declarations', body)).body.id);
  raised = await lodge({ ...exampleJson('cn/CN-1.json'), lrn: 'PAY-AFTER-RELEASE-RAISED' });
  lowered = await lodge({ ...exampleJson('cn/CN-1.json'), lrn: 'PAY-AFTER-RELEASE-LOWERED' });
  audited = await lodge({ ...exampleJson('cn/CN-1.json'), lrn: 'PAY-AFTER-RELEASE-AUDITED', valuationConfirmations: royalties });
  clock.set(Date.parse('2026-03-02T02:00:00Z'));
}, 120_000);
afterAll(() => runtime?.stop());

describe('a supplementary assessment of an amendment granted after release', () => {
  it('is owed on the ledger once the officer grants the higher invoice with the trader at fault', async () => {
    expect(raised).toMatchObject({ status: 'RELEASED', taxTotal: { amount: '170100.00' }, ledger: { balance: '0.00' } });
    expect((await api.post(`/declarations/${raised.id}/amendments`, invoiceAt('110000'))).body.outcome).toBe('REQUESTED');
    clock.advance(3_600_000);
    const granted = await officer.post(`/declarations/${raised.id}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' });
    expect(granted.status).toBe(202);
    // USD 110,000 × 7.0000 = 770,000.00; duty 77,000.00; VAT 13 % × 847,000.00 = 110,110.00; 187,110.00 − 170,100.00 = 17,010.00 short.
    // Late fee from the payment (2025-06-10) to the grant (2026-03-02): 265 days × 0.05 % × 17,010.00 = 2,253.825 → 2,253.83.
    const amended = await view(raised.id);
    expect(amended.ledger.entries.slice(-2).map((e: any) => [e.kind, e.amount])).toEqual([['SUPPLEMENTARY_ASSESSMENT', '17010.00'], ['LATE_FEE', '2253.83']]);
    expect(amended.ledger.balance).toBe('19263.83');
  });

  it('refuses another amount than the balance with PaymentMismatch at /amount, and stores nothing', async () => {
    const before = await view(raised.id);
    const short = await pay(raised.id, '17010.00', 'BANK-SUPP-SHORT');
    expect(short).toMatchObject({ status: 422, body: { code: 'PaymentMismatch', pointer: '/amount' } });
    expect(short.body.message).toContain('19263.83');
    expect((await pay(raised.id, '19263.83', 'BANK-SUPP-GBP', 'GBP'))).toMatchObject({ status: 422, body: { code: 'PaymentMismatch', pointer: '/currency' } });
    const after = await view(raised.id);
    expect(after.history).toHaveLength(before.history.length);
    expect(after.ledger).toEqual(before.ledger);
  });

  it('takes the bank\'s payment of the balance: a PAYMENT ledger entry, a history event saying what it settled, the balance 0.00', async () => {
    clock.advance(3_600_000);
    const before = await view(raised.id);
    const paid = await pay(raised.id, '19263.83', 'BANK-SUPP-1');
    expect(paid.status).toBe(202);
    expect(paid.body).toMatchObject({ id: raised.id, payment: { amount: '19263.83', currency: 'CNY', reference: 'BANK-SUPP-1', settles: [{ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17010.00' }, { kind: 'LATE_FEE', amount: '2253.83' }] } });

    const after = await view(raised.id);
    expect(after.ledger.entries.at(-1)).toMatchObject({ kind: 'PAYMENT', amount: '19263.83', delta: '-19263.83', reference: 'BANK-SUPP-1' });
    expect(after.ledger.balance).toBe('0.00');
    expect(types(after).slice(before.history.length)).toEqual(['PostClearancePaymentReceived']);
    expect(after.history.at(-1)).toMatchObject({
      actor: 'bank:bank-1',
      data: { amount: '19263.83', currency: 'CNY', reference: 'BANK-SUPP-1', balanceBefore: '19263.83', settles: [{ kind: 'SUPPLEMENTARY_ASSESSMENT' }, { kind: 'LATE_FEE' }] },
    });
    // The lifecycle's payment — the day the limitation clocks run from — is left as it was; the goods stay released.
    expect(after).toMatchObject({ status: 'RELEASED', version: 2, payment: before.payment });
    expect(verifyChain(await declarationStore().getHistory(raised.id)).ok).toBe(true);
  });

  it('resumes and starts no workflow: the lifecycle had ended', async () => {
    expect(executions(raised.id)).toEqual([[`${raised.id}-v1`, 'SUCCEEDED']]);
  });

  it('answers the same bank reference again with the first answer, and pays nothing twice', async () => {
    const before = await view(raised.id);
    const first = (await view(raised.id)).history.at(-1);
    const again = await pay(raised.id, '19263.83', 'BANK-SUPP-1');
    expect(again).toMatchObject({ status: 200, body: { id: raised.id, payment: { amount: '19263.83', reference: 'BANK-SUPP-1', paidAt: first.occurredAt } } });
    const after = await view(raised.id);
    expect(after.history).toHaveLength(before.history.length);
    expect(after.ledger).toEqual(before.ledger);
  });

  it('refuses a payment under another reference: nothing is owed any more', async () => {
    const before = await view(raised.id);
    expect(await pay(raised.id, '19263.83', 'BANK-SUPP-2')).toMatchObject({ status: 409, body: { code: 'Conflict' } });
    expect((await view(raised.id)).history).toHaveLength(before.history.length);
  });

  it('tells the declarant the supplementary assessment was paid (DMSTAX)', async () => {
    const declarant = api.as({ role: 'declarant', org: raised.declaration.declarant.id });
    const pulled = async () => (await declarant.get(`/notifications?declarationId=${raised.id}`)).body.notifications as any[];
    await expect.poll(async () => (await pulled()).at(-1)?.event.type, { timeout: 10_000 }).toBe('PostClearancePaymentReceived');
    expect((await pulled()).at(-1)).toMatchObject({
      code: 'DMSTAX', status: 'RELEASED', details: { stage: 'PAID', amount: '19263.83', currency: 'CNY', reference: 'BANK-SUPP-1', settles: ['SUPPLEMENTARY_ASSESSMENT', 'LATE_FEE'] },
    });
  });

  it('replays identically: the payment fed to the bank\'s handler at its recorded time, after the grant', async () => {
    const report = await replayedIdentically(auditor, raised.id);
    expect(report.inputs.map((i: any) => i.type).slice(-3)).toEqual(['AmendmentRequested', 'AdditionalMessageDecided', 'PostClearancePaymentReceived']);
    expect(report.comparison.steps.at(-1).type).toBe('PostClearancePaymentReceived');
    expect(report.waitingFor).toBeUndefined();
  });
});

describe('a refund owed to the trader', () => {
  it('is not paid by the bank: refused with CWY-PAY-007, nothing stored', async () => {
    expect((await api.post(`/declarations/${lowered.id}/amendments`, invoiceAt('95000'))).body.outcome).toBe('REQUESTED');
    expect((await officer.post(`/declarations/${lowered.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
    const before = await view(lowered.id);
    // USD 95,000: 665,000.00; duty 66,500.00; VAT 13 % × 731,500.00 = 95,095.00; 161,595.00 — 8,505.00 overpaid,
    // with interest 8,505.00 × 0.35 % × 265 days ÷ 360 = 21.91: −8,526.91, owed to the trader.
    expect(before.ledger.balance).toBe('-8526.91');
    const refused = await pay(lowered.id, '8526.91', 'BANK-REFUND-1');
    expect(refused).toMatchObject({ status: 409, body: { code: 'CWY-PAY-007' } });
    expect(refused.body.message).toContain('8526.91');
    const after = await view(lowered.id);
    expect(after.history).toHaveLength(before.history.length);
    expect(after.ledger).toEqual(before.ledger);
  });
});

describe('a supplementary assessment of an auditor\'s findings', () => {
  const caseId = () => `AC-${audited.id}-${audited.version}`;

  it('is paid by the bank: the balance, once', async () => {
    expect(audited).toMatchObject({ status: 'RELEASED', auditSelected: true });
    const findings = { reference: 'STC-PAY-0001', findings: [{ type: 'value', item: 1, invoiceAmount: '110000' }], cause: 'TRADER_BREACH' };
    expect((await auditor.post(`/audits/cases/${caseId()}/findings`, findings)).status).toBe(201);
    // The same figures as the amendment above: 17,010.00 short, late fee 2,253.83 for 265 days; owed 19,263.83.
    expect((await view(audited.id)).ledger.balance).toBe('19263.83');
    clock.advance(3_600_000);
    const paid = await pay(audited.id, '19263.83', 'BANK-AUDIT-1');
    expect(paid).toMatchObject({ status: 202, body: { payment: { amount: '19263.83', settles: [{ kind: 'SUPPLEMENTARY_ASSESSMENT', reference: 'STC-PAY-0001' }, { kind: 'LATE_FEE', reference: 'STC-PAY-0001' }] } } });
    const after = await view(audited.id);
    expect(after).toMatchObject({ status: 'RELEASED', ledger: { balance: '0.00' } });
    expect(types(after).slice(-3)).toEqual(['AuditFindingsRecorded', 'SupplementaryAssessmentIssued', 'PostClearancePaymentReceived']);
    expect(executions(audited.id)).toEqual([[`${audited.id}-v1`, 'SUCCEEDED']]);
    expect((await pay(audited.id, '19263.83', 'BANK-AUDIT-1')).status).toBe(200);
  });

  it('still replays the lifecycle identically: the payment of audit work is skipped with that work', async () => {
    const report = await replayedIdentically(auditor, audited.id);
    expect(report.comparison.steps.slice(-2).map((s: any) => s.type)).toEqual(['AuditSelectionMade', 'AuditCaseOpened']);
    expect(report.inputs.map((i: any) => i.type)).not.toContain('PostClearancePaymentReceived');
  });
});

describe('a deferment declaration whose price is lowered after release, the notice still only secured', () => {
  it('reissues the notice and holds only what it asks on the account (担保条例 Art. 14(2)), which the bank then pays', async () => {
    expect(reissued).toMatchObject({ status: 'RELEASED', security: { accountId: '1108654', amount: '224.00' }, ledger: { balance: '224.00' } });
    const inUseBefore = await securityAccounts().inUse('1108654');
    const changes = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '500' }];
    expect((await api.post(`/declarations/${reissued.id}/amendments`, { reasonCode: '21', reason: 'Price corrected', changes })).body.outcome).toBe('REQUESTED');
    expect((await officer.post(`/declarations/${reissued.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
    // A00 2 % × 500.00 = 10.00; B00 20 % × 510.00 = 102.00; 112.00 GBP, 112.00 less than the notice withdrawn.
    const after = await view(reissued.id);
    expect(after.history.at(-1).data).toMatchObject({ effect: { kind: 'NOTICE_REISSUED', amount: '112.00', previous: '224.00' }, security: { amount: '112.00' } });
    expect(after).toMatchObject({ status: 'RELEASED', security: { amount: '112.00' }, ledger: { balance: '112.00' } });
    expect(after.security.releasedAt).toBeUndefined();
    expect(await securityAccounts().inUse('1108654')).toBe(inUseBefore - 11200);

    clock.advance(3_600_000);
    expect(await pay(reissued.id, '112.00', 'BANK-REISSUED-1', 'GBP')).toMatchObject({ status: 202 });
    expect(await securityAccounts().inUse('1108654')).toBe(inUseBefore - 22400);
  });
});

describe('a deferment declaration released, then cancelled by an officer\'s grant', () => {
  it('takes no payment: 409 not waiting for a payment (status CANCELLED), nothing stored, the hold\'s release kept', async () => {
    expect(deferred).toMatchObject({ status: 'RELEASED', security: { accountId: '1108654', amount: '224.00' }, ledger: { balance: '224.00' } });
    expect((await api.post(`/declarations/${deferred.id}/cancellation`, { reason: 'Goods returned unopened' })).body.outcome).toBe('REQUESTED');
    expect((await officer.post(`/declarations/${deferred.id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
    const before = await view(deferred.id);
    // The notice withdrawn: 224.00 − 224.00 = 0.00; the hold released on the account.
    expect(before).toMatchObject({ status: 'CANCELLED', ledger: { balance: '0.00' } });
    expect(before.security.releasedAt).toBeDefined();
    expect(await securityAccounts().inUse('1108654')).toBe(0);

    clock.advance(3_600_000);
    const refused = await pay(deferred.id, '224.00', 'BANK-CANCELLED-1', 'GBP');
    expect(refused).toMatchObject({ status: 409, body: { code: 'Conflict' } });
    expect(refused.body.message).toContain('not waiting for a payment (status CANCELLED)');
    const after = await view(deferred.id);
    expect(after.history).toHaveLength(before.history.length);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.security).toEqual(before.security);
    expect(after.payment).toBeUndefined();
  });
});
