import { describe, expect, it } from 'vitest';
import { auditOutcome, outcomeEntries } from '../../../functions/domain/audit/case-work.js';
import { projectCase, type AuditCase } from '../../../functions/domain/audit/case.js';
import { LimitationExpiredError, ValidationError } from '../../../functions/domain/errors.js';
import { cnCalendar } from '../payment/support.js';
import { shippedCatalog } from '../tax/support.js';
import { refusal as refusalOf } from '../../support/refusal.js';

const refusal = (run: () => unknown) => refusalOf<LimitationExpiredError | ValidationError>(run);

/**
 * What audit findings lead to (关税法 Arts. 45–47, 51, 53; 进出口关税条例 2017 Arts. 51–52), with the
 * figures worked by hand in each test.
 */
const { rules } = shippedCatalog();
const { isWorkingDay } = cnCalendar();
const CN = 'CN';
const outcome = (changes: Partial<Parameters<typeof auditOutcome>[0]>) =>
  auditOutcome({
    established: '172530.00',
    reassessed: '189783.00',
    currency: 'CNY',
    facts: { jurisdiction: CN, paidOn: '2025-05-20', releasedOn: '2025-05-20' },
    request: {},
    foundOn: '2026-03-02',
    rules,
    isWorkingDay,
    ...changes,
  });

describe('auditOutcome — tax found short: a supplementary assessment within the recovery clock', () => {
  it('on a breach by the taxpayer: the difference and the late fee from the day of payment (关税法 Art. 46)', () => {
    // CN-1 with USD 10,000 of royalties left out: CIF 110,000 × 7.1 = 781,000; duty 10 % = 78,100.00;
    // VAT 13 % × 859,100 = 111,683.00; 189,783.00 − 172,530.00 = 17,253.00 short.
    // Late fee: 286 days (2025-05-20 → 2026-03-02) × 0.05 % × 17,253.00 = 2,467.179 → 2,467.18.
    const result = outcome({ request: { cause: 'TRADER_BREACH' } });
    expect(result).toMatchObject({
      kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00', currency: 'CNY', cause: 'TRADER_BREACH',
      clock: { rule: 'CN/rule/post-clearance-recovery@2', startsOn: '2025-05-20', endsOn: '2028-05-22', inTime: true },
      lateFee: { days: 286, amount: '2467.18' },
    });
    // 2028-05-20 is a Saturday: the three years end on Monday 2028-05-22 (民法典 Art. 203).
    expect(outcomeEntries(result, '2026-03-02T02:00:00.000Z', 'STC-1')).toEqual([
      { kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00', delta: '17253.00', currency: 'CNY', postedAt: '2026-03-02T02:00:00.000Z', reference: 'STC-1' },
      { kind: 'LATE_FEE', amount: '2467.18', delta: '2467.18', currency: 'CNY', postedAt: '2026-03-02T02:00:00.000Z', reference: 'STC-1' },
    ]);
  });

  it('without fault: the difference only (关税法 Art. 45)', () => {
    const result = outcome({ request: { cause: 'NO_FAULT' } });
    expect(result).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00' });
    expect(result).not.toHaveProperty('lateFee');
    expect(outcomeEntries(result, 't', 'r').map((e) => e.kind)).toEqual(['SUPPLEMENTARY_ASSESSMENT']);
  });

  it('refuses a shortfall without its cause (CWY-AUD-003)', () => {
    expect(refusal(() => outcome({})).toJSON()).toMatchObject({ code: 'CWY-AUD-003', pointer: '/cause' });
  });

  it('refuses a no-fault recovery a year after payment under the 条例 (CWY-AUD-001), allows it on a breach', () => {
    const before = { jurisdiction: CN, paidOn: '2024-10-15', releasedOn: '2024-10-15' };
    const refused = refusal(() => outcome({ facts: before, request: { cause: 'NO_FAULT' } }));
    expect(refused).toBeInstanceOf(LimitationExpiredError);
    expect(refused.toJSON()).toMatchObject({ code: 'CWY-AUD-001', pointer: '/cause', clock: { rule: 'CN/rule/post-clearance-recovery@1', endsOn: '2025-10-15' } });
    // On a breach: 3 years; late fee 2024-10-15 → 2026-03-02 = 503 days × 0.05 % × 17,253.00 = 4,339.1295 → 4,339.13.
    expect(outcome({ facts: before, request: { cause: 'TRADER_BREACH' } })).toMatchObject({ clock: { endsOn: '2027-10-15' }, lateFee: { days: 503, amount: '4339.13' } });
  });
});

describe('auditOutcome — tax found overpaid: a refund', () => {
  // CN-1 at USD 95,000: 674,500; duty 67,450.00; VAT 13 % × 741,950 = 96,453.50; 163,903.50; 8,626.50 overpaid.
  const overpaid = { reassessed: '163903.50' };

  it('found by the customs, from 2024-12-01: with interest (关税法 Arts. 51 para 1, 53)', () => {
    // 8,626.50 × 0.35 % × 286 ÷ 360 = 23.98646… → 23.99.
    const result = outcome(overpaid);
    expect(result).toMatchObject({ kind: 'REFUND', amount: '8626.50', initiator: 'CUSTOMS_FOUND', clock: { endsOn: null, inTime: true }, interest: { days: 286, amount: '23.99' } });
    expect(outcomeEntries(result, 't', 'RF-1').map((e) => [e.kind, e.delta])).toEqual([['REFUND', '-8626.50'], ['REFUND_INTEREST', '-23.99']]);
  });

  it('on the taxpayer\'s claim: within 1 year of payment under the 条例 (CWY-AUD-002 after)', () => {
    const before = { jurisdiction: CN, paidOn: '2024-10-15', releasedOn: '2024-10-15' };
    expect(outcome({ ...overpaid, facts: before, request: { claimLodgedOn: '2025-10-15' } })).toMatchObject({ initiator: 'TRADER_CLAIM', claimLodgedOn: '2025-10-15', clock: { endsOn: '2025-10-15', inTime: true } });
    expect(refusal(() => outcome({ ...overpaid, facts: before, request: { claimLodgedOn: '2025-10-16' } })).toJSON()).toMatchObject({
      code: 'CWY-AUD-002', pointer: '/claimLodgedOn', clock: { rule: 'CN/rule/refund-claim@1', endsOn: '2025-10-15', actedOn: '2025-10-16' },
    });
  });

  it('refuses a refund of tax never paid (CWY-AUD-004) and a claim dated after today (CWY-AUD-005)', () => {
    expect(refusal(() => outcome({ ...overpaid, facts: { jurisdiction: CN, releasedOn: '2025-05-20' } })).toJSON()).toMatchObject({ code: 'CWY-AUD-004' });
    expect(refusal(() => outcome({ ...overpaid, request: { claimLodgedOn: '2026-03-03' } })).toJSON()).toMatchObject({ code: 'CWY-AUD-005', pointer: '/claimLodgedOn' });
  });

  it('no difference: no tax effect, no entries', () => {
    const result = outcome({ reassessed: '172530.00' });
    expect(result).toEqual({ kind: 'NO_TAX_EFFECT', currency: 'CNY' });
    expect(outcomeEntries(result, 't', 'r')).toEqual([]);
  });
});

describe('projectCase — the case as the declaration\'s history makes it', () => {
  const opened = {
    id: 'AC-d-1', declarationId: 'd', version: 1, status: 'OPEN', jurisdiction: CN, traderId: 't', openedAt: 't0', releasedOn: '2025-05-20',
    dueOn: '2025-11-20', selectedBy: ['AUDIT-CN-ROYALTIES@1'], explanation: '', summary: {} as AuditCase['summary'],
    assessedTax: { amount: '172530.00', currency: 'CNY' }, establishedTax: { amount: '172530.00', currency: 'CNY' }, findings: [], actions: [], updatedAt: 't0',
  } satisfies AuditCase;
  const finding = { type: 'value', item: 1, invoiceAmount: '110000' };

  it('adds each record\'s findings and outcome, then closes', () => {
    const supplementary = outcome({ request: { cause: 'TRADER_BREACH' } });
    const history = [
      { type: 'AuditCaseOpened', actor: 'clearway:audit', occurredAt: 't0', data: opened },
      { type: 'AuditFindingsRecorded', actor: 'auditor:a', occurredAt: 't1', data: { caseId: 'AC-d-1', reference: 'STC-1', findings: [finding], reassessed: { total: { amount: '189783.00', currency: 'CNY' } } } },
      { type: 'SupplementaryAssessmentIssued', actor: 'auditor:a', occurredAt: 't1', data: { caseId: 'AC-d-1', reference: 'STC-1', ...supplementary, ledgerEntries: [] } },
      { type: 'AuditFindingsRecorded', actor: 'auditor:a', occurredAt: 't1', data: { caseId: 'AC-other', reference: 'X', findings: [], reassessed: { total: {} } } },
      { type: 'AuditCaseClosed', actor: 'auditor:b', occurredAt: 't2', data: { caseId: 'AC-d-1', conclusion: 'royalties added' } },
    ];
    expect(projectCase(history, 'AC-d-1')).toEqual({
      ...opened,
      status: 'CLOSED',
      findings: [finding],
      establishedTax: { amount: '189783.00', currency: 'CNY' },
      actions: [{ reference: 'STC-1', auditor: 'auditor:a', at: 't1', outcome: supplementary }],
      updatedAt: 't2',
      closedAt: 't2',
      conclusion: 'royalties added',
    });
    expect(projectCase(history, 'AC-unknown')).toBeUndefined();
  });

  it('follows an amendment granted after release: the case is then about version 2 and the tax it established', () => {
    const reassessed = { version: 2, total: { amount: '189783.00', currency: 'CNY' }, established: opened.establishedTax, effect: {}, ledgerEntries: [] };
    const history = [
      { type: 'AuditCaseOpened', actor: 'clearway:audit', occurredAt: 't0', data: opened },
      { type: 'TaxReassessed', actor: 'officer:o', occurredAt: 't1', data: reassessed },
    ];
    expect(projectCase(history, 'AC-d-1')).toEqual({ ...opened, version: 2, establishedTax: { amount: '189783.00', currency: 'CNY' }, updatedAt: 't1' });
    // A closed case is a record of what was done: it stays as it was closed.
    const closed = [history[0], { type: 'AuditCaseClosed', actor: 'auditor:b', occurredAt: 't1', data: { caseId: 'AC-d-1', conclusion: 'c' } }, { ...history[1], occurredAt: 't2' }];
    expect(projectCase(closed, 'AC-d-1')).toMatchObject({ status: 'CLOSED', version: 1, establishedTax: opened.establishedTax, updatedAt: 't1' });
  });
});
