/**
 * Post-clearance audit on the local runtime, over HTTP (issue 7): declarations declaring royalties
 * payable are selected for audit at release (reference-data/audit/selection.json,
 * AUDIT-CN-ROYALTIES: 关税法 Art. 25(5)) and queued as audit cases; the auditor's findings raise the
 * tax (a supplementary assessment with the late fee of 关税法 Art. 46) or lower it (a refund with the
 * interest of Art. 53); a no-fault recovery on tax paid under the 条例 more than a year earlier is
 * refused (进出口关税条例 2017 Art. 51) with its code and nothing stored; officers' releases against
 * the engine's advice are reported. Every figure is worked by hand in the comments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditOverrides } from '../../bin/commands/audit-overrides.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { driveToEnd } from '../support/drive.js';
import { exampleJson, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
let auditor: Api;
const TRADER = '91310115MA1FL5G29G';

const royalties = { specialRelationship: false, priceInfluence: false, royaltiesPayable: true };
const withRoyalties = (file: string, lrn: string) => ({ ...exampleJson(file), lrn, valuationConfirmations: royalties });
const lodge = async (body: unknown) => {
  const { id } = (await api.post('/declarations', body)).body;
  return (await driveToEnd(api, id)) as any;
};
const caseOf = (view: any) => `AC-${view.id}-${view.version}`;
const history = async (id: string) => (await api.get(`/declarations/${id}`)).body.history as any[];

let paidIn2024: any;
let underDeclared: any;
let overDeclared: any;
let redReleased: any;
let correctedAfterRelease: any;
let askedBeforeFindings: any;
let cancelledAfterRelease: any;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-10-15T02:00:00Z'));
  auditor = api.as({ role: 'auditor', sub: 'auditor-7' });
  // CN-3 (completed and paid 2024-10-15, under the 条例): CFR USD 20,000 → duty 7,021.00, VAT 19,167.33.
  paidIn2024 = await lodge(withRoyalties('cn/CN-3.json', 'AUDIT-2024-1'));
  clock.set(Date.parse('2025-05-20T02:00:00Z'));
  // CN-1 (completed and paid 2025-05-20, under the 关税法): CIF USD 100,000 → 172,530.00.
  underDeclared = await lodge(withRoyalties('cn/CN-1.json', 'AUDIT-2025-1'));
  overDeclared = await lodge(withRoyalties('cn/CN-1.json', 'AUDIT-2025-2'));
  correctedAfterRelease = await lodge(withRoyalties('cn/CN-1.json', 'AUDIT-2025-3'));
  askedBeforeFindings = await lodge(withRoyalties('cn/CN-1.json', 'AUDIT-2025-4'));
  cancelledAfterRelease = await lodge(withRoyalties('cn/CN-1.json', 'AUDIT-2025-5'));
  // CN-1 from North Korea: RP-ORIGIN-KP holds it RED; officer-9 inspects and finds nothing.
  const kp = { ...exampleJson('cn/CN-1.json'), lrn: 'AUDIT-KP-1' };
  kp.items[0].origin = 'KP';
  redReleased = await driveToEnd(api.as({ role: 'officer', sub: 'officer-9' }), (await api.post('/declarations', kp)).body.id, {
    decision: 'INSPECTION_RESULT', officer: 'officer-9', result: 'NO_DISCREPANCY', reason: 'long-standing importer',
  });
  // The audit happens on Monday 2 March 2026, 10:00 Beijing time.
  clock.set(Date.parse('2026-03-02T02:00:00Z'));
}, 120_000);
afterAll(() => runtime?.stop());

describe('selection after release', () => {
  it('selects the declarations declaring royalties and records the selection and the case in their history', async () => {
    for (const view of [paidIn2024, underDeclared, overDeclared]) {
      expect(view).toMatchObject({ status: 'RELEASED', auditSelected: true });
      const types = (await history(view.id)).map((e) => e.type);
      expect(types.slice(-2)).toEqual(['AuditSelectionMade', 'AuditCaseOpened']);
    }
    const selection = (await history(underDeclared.id)).find((e) => e.type === 'AuditSelectionMade');
    expect(selection).toMatchObject({ actor: 'clearway:audit', data: { selected: true, releasedOn: '2025-05-20', dueOn: '2025-11-20', auditWindowEndsOn: '2028-05-20' } });
    expect(selection.data.selectedBy).toContain('AUDIT-CN-ROYALTIES@1');
  });

  it('queues the cases for auditors, due soonest first, inside the legal window', async () => {
    const { status, body } = await auditor.get('/audits/cases?status=OPEN');
    expect(status).toBe(200);
    const ids = body.items.map((c: any) => c.id);
    // 2024-10-15 + 6 months = 2025-04-15 (before the no-fault year ends, 2025-10-15); 2025-05-20 + 6 months = 2025-11-20.
    expect(ids.indexOf(caseOf(paidIn2024))).toBeLessThan(ids.indexOf(caseOf(underDeclared)));
    expect(body.items.find((c: any) => c.id === caseOf(paidIn2024))).toMatchObject({ dueOn: '2025-04-15', auditWindowEndsOn: '2027-10-15' });
    expect(body.items.find((c: any) => c.id === caseOf(underDeclared))).toMatchObject({
      declarationId: underDeclared.id, status: 'OPEN', traderId: TRADER, releasedOn: '2025-05-20', dueOn: '2025-11-20',
      assessedTax: { amount: '172530.00', currency: 'CNY' }, findings: [], actions: [],
    });
  });

  it('is for auditors only', async () => {
    expect((await api.as({ role: 'declarant', org: TRADER }).get('/audits/cases')).status).toBe(403);
    expect((await api.as({ role: 'officer' }).get('/audits/cases')).status).toBe(403);
  });
});

describe('findings → supplementary assessment with late fee (关税法 Arts. 45–46)', () => {
  const findings = {
    reference: 'STC-2026-0001',
    findings: [{ type: 'value', item: 1, invoiceAmount: '110000' }],
    cause: 'TRADER_BREACH',
    reason: 'USD 10,000 of royalties paid to the licensor were left out of the price (关税法 Art. 25(5))',
  };

  it('assesses the tax found short and the late fee from the day of payment', async () => {
    // CIF USD 110,000 × 7.1000 = 781,000.00; duty 10 % 78,100.00; VAT 13 % × 859,100.00 = 111,683.00;
    // 189,783.00 − 172,530.00 = 17,253.00. Late fee from 2025-05-20 to 2026-03-02: 286 days ×
    // 0.05 % × 17,253.00 = 2,467.179 → 2,467.18.
    const { status, body } = await auditor.post(`/audits/cases/${caseOf(underDeclared)}/findings`, findings);
    expect(status).toBe(201);
    expect(body).toMatchObject({
      caseId: caseOf(underDeclared),
      reference: 'STC-2026-0001',
      auditor: 'auditor:auditor-7',
      outcome: {
        kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00', currency: 'CNY', cause: 'TRADER_BREACH',
        clock: { rule: 'CN/rule/post-clearance-recovery@2', runsFrom: 'PAYMENT', startsOn: '2025-05-20', endsOn: '2028-05-22', inTime: true },
        lateFee: { from: '2025-05-20', to: '2026-03-02', days: 286, amount: '2467.18' },
      },
      establishedTax: { amount: '189783.00', currency: 'CNY' },
    });
  });

  it('posts both to the ledger and records the findings and the assessment in the history', async () => {
    const view = (await api.get(`/declarations/${underDeclared.id}`)).body;
    expect(view.ledger.entries.slice(-2).map((e: any) => [e.kind, e.amount, e.reference])).toEqual([
      ['SUPPLEMENTARY_ASSESSMENT', '17253.00', 'STC-2026-0001'],
      ['LATE_FEE', '2467.18', 'STC-2026-0001'],
    ]);
    // Paid in full before; now owed: 17,253.00 + 2,467.18.
    expect(view.ledger.balance).toBe('19720.18');
    expect(view.history.slice(-2).map((e: any) => [e.type, e.actor])).toEqual([
      ['AuditFindingsRecorded', 'auditor:auditor-7'],
      ['SupplementaryAssessmentIssued', 'auditor:auditor-7'],
    ]);
  });

  it('tells the declarant of the assessment (DMSTAX), not of the audit selection', async () => {
    const pulled = async () => (await api.as({ role: 'declarant', org: TRADER }).get(`/notifications?declarationId=${underDeclared.id}`)).body.notifications as any[];
    // Notifications reach the pull queue through the event bus, asynchronously.
    await expect.poll(async () => (await pulled()).filter((n) => n.code === 'DMSTAX').map((n) => n.details.stage), { timeout: 10_000 }).toContain('SUPPLEMENTARY_ASSESSMENT');
    expect((await pulled()).map((n) => n.event.type)).not.toContain('AuditCaseOpened');
  });

  it('answers the same findings again with what they led to, storing nothing new', async () => {
    const before = (await history(underDeclared.id)).length;
    const again = await auditor.post(`/audits/cases/${caseOf(underDeclared)}/findings`, findings);
    expect(again).toMatchObject({ status: 200, body: { reference: 'STC-2026-0001', outcome: { amount: '17253.00' } } });
    expect((await history(underDeclared.id)).length).toBe(before);
  });

  it('still replays the lifecycle identically: audit work is skipped, the selection re-made', async () => {
    const { status, body } = await auditor.post('/audits/replays', { declarationId: underDeclared.id });
    expect(status).toBe(200);
    expect(body.comparison.steps.filter((s: any) => s.status !== 'IDENTICAL')).toEqual([]);
    expect(body.comparison.steps.slice(-2).map((s: any) => s.type)).toEqual(['AuditSelectionMade', 'AuditCaseOpened']);
  });

  it('closes the case with a conclusion; a closed case takes no more findings', async () => {
    const closed = await auditor.post(`/audits/cases/${caseOf(underDeclared)}/closure`, { conclusion: 'Royalties added to the dutiable value; supplementary assessment issued' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'CLOSED', closedAt: '2026-03-02T02:00:00.000Z' } });
    const events = await history(underDeclared.id);
    expect(events.at(-1)).toMatchObject({ type: 'AuditCaseClosed', actor: 'auditor:auditor-7' });
    // The audit work is anchored outside the table as it is recorded: the chain verifies up to its new head.
    const verified = (await auditor.get(`/declarations/${underDeclared.id}/history/verify`)).body;
    expect(verified).toMatchObject({ ok: true, length: events.length, anchor: { seq: events.length, hash: events.at(-1).hash } });
    expect((await auditor.get('/audits/cases?status=CLOSED')).body.items.map((c: any) => c.id)).toContain(caseOf(underDeclared));
    expect((await auditor.get('/audits/cases?status=OPEN')).body.items.map((c: any) => c.id)).not.toContain(caseOf(underDeclared));
    const more = await auditor.post(`/audits/cases/${caseOf(underDeclared)}/findings`, { reference: 'STC-2026-0009', findings: [{ type: 'value', item: 1, invoiceAmount: '120000' }], cause: 'NO_FAULT' });
    expect(more).toMatchObject({ status: 409, body: { code: 'Conflict' } });
  });
});

describe('findings → refund with interest (关税法 Arts. 51, 53)', () => {
  it('refunds the overpayment the customs found, with current-deposit interest', async () => {
    // CIF USD 95,000 × 7.1000 = 674,500.00; duty 67,450.00; VAT 13 % × 741,950.00 = 96,453.50;
    // 163,903.50: 172,530.00 − 163,903.50 = 8,626.50 overpaid. Interest 0.35 % a year for 286 days
    // on a 360-day year: 8,626.50 × 0.0035 × 286 ÷ 360 = 23.98646… → 23.99.
    const { status, body } = await auditor.post(`/audits/cases/${caseOf(overDeclared)}/findings`, {
      reference: 'RF-2026-0001',
      findings: [{ type: 'value', item: 1, invoiceAmount: '95000' }],
      reason: 'The invoice included a buying commission, which is not part of the dutiable value (关税法 Art. 25(1))',
    });
    expect(status).toBe(201);
    expect(body.outcome).toMatchObject({
      kind: 'REFUND', amount: '8626.50', initiator: 'CUSTOMS_FOUND', clock: { rule: 'CN/rule/refund-claim@2', endsOn: null, inTime: true },
      interest: { rule: 'CN/rule/refund-interest@2', earned: true, days: 286, annualRatePct: '0.35', amount: '23.99' },
    });
    const view = (await api.get(`/declarations/${overDeclared.id}`)).body;
    expect(view.ledger.entries.slice(-2).map((e: any) => [e.kind, e.delta])).toEqual([['REFUND', '-8626.50'], ['REFUND_INTEREST', '-23.99']]);
    expect(view.ledger.balance).toBe('-8650.49');
    expect(view.history.at(-1)).toMatchObject({ type: 'RefundAssessed', data: { reference: 'RF-2026-0001', amount: '8626.50' } });
  });
});

describe('an out-of-time finding is refused with its code, and nothing is stored', () => {
  // CN-3 at CFR USD 22,000: insurance 3‰ → CIF USD 22,066 × 7.0000 = 154,462.00; duty 5 % 7,723.10;
  // VAT 13 % × 162,185.10 = 21,084.06; 28,807.16 − 26,188.33 = 2,618.83 found short.
  const findings = { reference: 'STC-2026-0002', findings: [{ type: 'value', item: 1, invoiceAmount: '22000' }], cause: 'NO_FAULT' };

  it('refuses a no-fault recovery of tax paid on 2024-10-15: one year, ended 2025-10-15 (条例 Art. 51)', async () => {
    const before = (await api.get(`/declarations/${paidIn2024.id}`)).body;
    const refused = await auditor.post(`/audits/cases/${caseOf(paidIn2024)}/findings`, findings);
    expect(refused).toMatchObject({
      status: 422,
      body: {
        code: 'CWY-AUD-001',
        pointer: '/cause',
        clock: { rule: 'CN/rule/post-clearance-recovery@1', startsOn: '2024-10-15', endsOn: '2025-10-15', actedOn: '2026-03-02', inTime: false },
      },
    });
    expect(refused.body.message).toContain('ended on 2025-10-15');
    const after = (await api.get(`/declarations/${paidIn2024.id}`)).body;
    expect(after.history.length).toBe(before.history.length);
    expect(after.ledger).toEqual(before.ledger);
    expect((await auditor.get(`/audits/cases/${caseOf(paidIn2024)}`)).body).toMatchObject({ findings: [], actions: [] });
  });

  it('recovers the same shortfall on a breach by the taxpayer: three years, late fee from the payment', async () => {
    // 2024-10-15 → 2026-03-02: 503 days × 0.05 % × 2,618.83 = 658.637745 → 658.64.
    const { status, body } = await auditor.post(`/audits/cases/${caseOf(paidIn2024)}/findings`, { ...findings, cause: 'TRADER_BREACH' });
    expect(status).toBe(201);
    expect(body.outcome).toMatchObject({ amount: '2618.83', clock: { endsOn: '2027-10-15' }, lateFee: { days: 503, amount: '658.64' } });
  });

  it('refuses findings without a cause when they raise the tax (CWY-AUD-003), and bad input with pointers', async () => {
    const missing = await auditor.post(`/audits/cases/${caseOf(overDeclared)}/findings`, { reference: 'X-1', findings: [{ type: 'value', item: 1, invoiceAmount: '200000' }] });
    expect(missing).toMatchObject({ status: 422, body: { code: 'CWY-AUD-003', pointer: '/cause' } });
    const malformed = await auditor.post(`/audits/cases/${caseOf(overDeclared)}/findings`, { reference: 'X-2', findings: [] });
    expect(malformed).toMatchObject({ status: 422, body: { pointer: '/findings' } });
    expect((await auditor.post('/audits/cases/AC-nope-1/findings', { reference: 'X-3', findings: [{ type: 'value', item: 1, invoiceAmount: '1' }] })).status).toBe(404);
  });
});

describe('officers\' overrides of the risk engine', () => {
  it('reports who released a RED declaration with no discrepancy found, over the API', async () => {
    const { status, body } = await auditor.get('/audits/overrides?from=2025-05-20&to=2025-05-20');
    expect(status).toBe(200);
    const override = body.overrides.find((o: any) => o.declarationId === redReleased.id);
    expect(override).toMatchObject({
      officer: 'officer-9', decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', reason: 'long-standing importer', channel: 'RED', queue: 'inspection', engineChannel: 'RED',
      kinds: ['RELEASED_WITHOUT_DISCREPANCY'], screening: { channel: 'RED', hits: ['RP-ORIGIN-KP@1'] },
    });
    expect(body.byOfficer['officer-9']).toMatchObject({ overrides: 1, byKind: { RELEASED_WITHOUT_DISCREPANCY: 1 } });
  });

  it('is printed by `clearway audit overrides --from … --to …`', async () => {
    const printed: string[] = [];
    const code = await auditOverrides(['--from', '2025-05-20', '--to', '2025-05-20', '--url', api.baseUrl, '--token', api.token({ role: 'auditor' })], { fetch, out: (text) => printed.push(text) });
    expect(code).toBe(0);
    expect(printed.join('\n')).toMatch(/officer-9\s+1\s+1\s+1/);
    expect(printed.join('\n')).toContain(`officer-9  ${redReleased.id}  RED     INSPECTION_RESULT NO_DISCREPANCY  RELEASED_WITHOUT_DISCREPANCY  long-standing importer`);
  });
});

describe('an amendment granted after release while the case is open', () => {
  it('moves the case to version 2 and its tax, so the audit does not assess the same shortfall twice', async () => {
    const id = correctedAfterRelease.id;
    // The declarant corrects the invoice to USD 110,000 (the royalties): 189,783.00, 17,253.00 more (see the first describe).
    const changes = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '110000' }];
    expect((await api.post(`/declarations/${id}/amendments`, { reasonCode: '21', reason: 'Royalties added', changes })).body.outcome).toBe('REQUESTED');
    const granted = await api.as({ role: 'officer', sub: 'officer-9' }).post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' });
    expect(granted.status).toBe(202);
    expect((await history(id)).at(-1).data.effect).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00' });

    const auditCase = (await auditor.get(`/audits/cases/${caseOf(correctedAfterRelease)}`)).body;
    expect(auditCase).toMatchObject({ version: 2, status: 'OPEN', assessedTax: { amount: '172530.00' }, establishedTax: { amount: '189783.00', currency: 'CNY' } });
    // It shows what version 2 declares.
    expect(auditCase.summary.invoiceTotal).toMatchObject({ amount: '110000.00' });
    // The auditor finds the same royalties: the tax they establish is already established.
    const findings = { reference: 'STC-2026-AMENDED', findings: [{ type: 'value', item: 1, invoiceAmount: '110000' }], cause: 'TRADER_BREACH' };
    const recorded = await auditor.post(`/audits/cases/${caseOf(correctedAfterRelease)}/findings`, findings);
    expect(recorded).toMatchObject({ status: 201, body: { outcome: { kind: 'NO_TAX_EFFECT' }, establishedTax: { amount: '189783.00' }, ledgerEntries: [] } });
    const closed = await auditor.post(`/audits/cases/${caseOf(correctedAfterRelease)}/closure`, { conclusion: 'Corrected by the declarant; nothing further' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'CLOSED' } });
  });
});

describe('a correction asked once an audit has re-established the tax', () => {
  const royaltiesIn = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '110000' }];

  it('is refused at once (409 CWY-AMEND-009): it would assess the shortfall the audit already assessed', async () => {
    // underDeclared's case found the royalties (supplementary 17,253.00, see the first describe).
    const asked = await api.post(`/declarations/${underDeclared.id}/amendments`, { reasonCode: '21', reason: 'Royalties added', changes: royaltiesIn });
    expect(asked).toMatchObject({ status: 409, body: { code: 'CWY-AMEND-009', pointer: '' } });
    expect(asked.body.message).toContain(caseOf(underDeclared));
    expect((await history(underDeclared.id)).map((e) => e.type)).not.toContain('AmendmentRequested');
  });

  it('asked before the findings, cannot be granted after them: nothing stored, the officer refuses it', async () => {
    const id = askedBeforeFindings.id;
    expect((await api.post(`/declarations/${id}/amendments`, { reasonCode: '21', reason: 'Royalties added', changes: royaltiesIn })).body.outcome).toBe('REQUESTED');
    const findings = { reference: 'STC-2026-BEFORE', findings: [{ type: 'value', item: 1, invoiceAmount: '110000' }], cause: 'TRADER_BREACH' };
    expect((await auditor.post(`/audits/cases/${caseOf(askedBeforeFindings)}/findings`, findings)).body.outcome).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00' });
    const before = await history(id);
    const officer = api.as({ role: 'officer', sub: 'officer-9' });
    const granted = await officer.post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' });
    expect(granted).toMatchObject({ status: 409, body: { code: 'CWY-AMEND-009' } });
    expect(await history(id)).toHaveLength(before.length);
    const refused = await officer.post(`/declarations/${id}/decisions`, { decision: 'REFUSE', officer: 'officer-9', reason: 'settled by the audit' });
    expect(refused).toMatchObject({ status: 202, body: { decision: 'REFUSE' } });
  });
});

describe('the case of a declaration cancelled after release', () => {
  it('takes no findings (409 CWY-AUD-007: its tax was withdrawn) but is closed, and leaves the open queue', async () => {
    const id = cancelledAfterRelease.id;
    expect((await api.post(`/declarations/${id}/cancellation`, { reasonCode: '1', reason: 'Duplicate declaration' })).body.outcome).toBe('REQUESTED');
    const officer = api.as({ role: 'officer', sub: 'officer-9' });
    expect((await officer.post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
    expect((await api.get(`/declarations/${id}`)).body.status).toBe('CANCELLED');

    const findings = { reference: 'STC-2026-CANCELLED', findings: [{ type: 'value', item: 1, invoiceAmount: '110000' }], cause: 'TRADER_BREACH' };
    const found = await auditor.post(`/audits/cases/${caseOf(cancelledAfterRelease)}/findings`, findings);
    expect(found).toMatchObject({ status: 409, body: { code: 'CWY-AUD-007', pointer: '/id' } });
    const closed = await auditor.post(`/audits/cases/${caseOf(cancelledAfterRelease)}/closure`, { conclusion: 'Declaration cancelled as a duplicate; nothing to audit' });
    expect(closed).toMatchObject({ status: 200, body: { status: 'CLOSED' } });
    const open = (await auditor.get('/audits/cases?status=OPEN')).body.items.map((c: any) => c.id);
    expect(open).not.toContain(caseOf(cancelledAfterRelease));
  });
});
