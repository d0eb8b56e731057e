import { describe, expect, it } from 'vitest';
import { amendmentEntries, postReleaseAmendmentEffect, reissuedHold, type AmendmentTaxFacts } from '../../../functions/domain/audit/amendment-effect.js';
import { ValidationError, type LimitationExpiredError } from '../../../functions/domain/errors.js';
import { postToLedger, ledgerEntry } from '../../../functions/domain/payment/ledger.js';
import { cnCalendar } from '../payment/support.js';
import { shippedCatalog } from '../tax/support.js';
import { refusal as refusalOf } from '../../support/refusal.js';

const refusal = (run: () => unknown) => refusalOf<LimitationExpiredError | ValidationError>(run);

/**
 * The tax effect of an amendment granted after release (海关法 Art. 26; 关税法 Arts. 45–47, 51, 53):
 * worked example CN-1 (CIF USD 100,000 at 7.1000, duty 10 %, VAT 13 %: 172,530.00 established),
 * paid and released on 2025-05-20, the amendment asked on 2026-03-01 and granted on 2026-03-02.
 */
const { rules } = shippedCatalog();
const { isWorkingDay } = cnCalendar();
const effect = (changes: Partial<AmendmentTaxFacts>) =>
  postReleaseAmendmentEffect({
    established: '172530.00',
    reassessed: '172530.00',
    currency: 'CNY',
    facts: { jurisdiction: 'CN', paidOn: '2025-05-20', releasedOn: '2025-05-20' },
    securedUnpaid: false,
    requestedOn: '2026-03-01',
    grantedOn: '2026-03-02',
    rules,
    isWorkingDay,
    ...changes,
  });

describe('postReleaseAmendmentEffect — a declarant\'s correction after release', () => {
  it('lowering the tax paid: a refund on the taxpayer\'s claim, lodged the day the amendment was asked, with interest (关税法 Arts. 51 para 2, 53)', () => {
    // Invoice corrected to USD 95,000: 674,500; duty 67,450.00; VAT 13 % × 741,950 = 96,453.50; 163,903.50 — 8,626.50 overpaid.
    // Interest 8,626.50 × 0.35 % × 286 days (2025-05-20 → 2026-03-02) ÷ 360 = 23.98646… → 23.99.
    const result = effect({ reassessed: '163903.50' });
    expect(result).toMatchObject({
      kind: 'REFUND', amount: '8626.50', initiator: 'TRADER_CLAIM', claimLodgedOn: '2026-03-01',
      clock: { startsOn: '2025-05-20', endsOn: '2028-05-22', actedOn: '2026-03-01', inTime: true },
      interest: { days: 286, amount: '23.99' },
    });
    expect(amendmentEntries(result, undefined, '2026-03-02T02:00:00.000Z', 'E-v2').map((e) => [e.kind, e.delta])).toEqual([['REFUND', '-8626.50'], ['REFUND_INTEREST', '-23.99']]);
  });

  it('raising the tax paid: a supplementary assessment with the late fee of a breach from the day of payment (关税法 Art. 46)', () => {
    // USD 10,000 of royalties added: 781,000; duty 78,100.00; VAT 13 % × 859,100 = 111,683.00; 189,783.00 — 17,253.00 short.
    // Late fee 286 days × 0.05 % × 17,253.00 = 2,467.179 → 2,467.18.
    const result = effect({ reassessed: '189783.00', cause: 'TRADER_BREACH' });
    expect(result).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17253.00', cause: 'TRADER_BREACH', lateFee: { days: 286, amount: '2467.18' } });
  });

  it('refuses to raise the tax without the officer naming the cause (CWY-AUD-003, at /cause of the decision)', () => {
    const refused = refusal(() => effect({ reassessed: '189783.00' }));
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused.toJSON()).toMatchObject({ code: 'CWY-AUD-003', pointer: '/cause' });
  });

  it('refuses a refund asked more than a year after a payment made under the 条例 (CWY-AUD-002; 进出口关税条例 2017 Art. 52)', () => {
    const refused = refusal(() => effect({ reassessed: '163903.50', facts: { jurisdiction: 'CN', paidOn: '2024-10-15', releasedOn: '2024-10-15' }, requestedOn: '2025-10-16', grantedOn: '2025-10-20' }));
    expect(refused.toJSON()).toMatchObject({ code: 'CWY-AUD-002', clock: { rule: 'CN/rule/refund-claim@1', endsOn: '2025-10-15', actedOn: '2025-10-16' } });
  });

  it('tax secured on an account and not yet paid: the notice is reissued at the new amount, the old one withdrawn', () => {
    const result = effect({ reassessed: '163903.50', securedUnpaid: true, facts: { jurisdiction: 'CN', releasedOn: '2025-05-20' } });
    expect(result).toEqual({ kind: 'NOTICE_REISSUED', amount: '163903.50', previous: '172530.00', currency: 'CNY' });
    const ledger = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '172530.00', 'CNY', '2025-05-20T02:00:00.000Z', 'N-1')]);
    const entries = amendmentEntries(result, ledger, '2026-03-02T02:00:00.000Z', 'E-v2');
    expect(entries.map((e) => [e.kind, e.delta])).toEqual([['ASSESSMENT_WITHDRAWN', '-172530.00'], ['ASSESSMENT', '163903.50']]);
    expect(postToLedger(ledger, entries).balance).toBe('163903.50');
  });

  it('the account holds what the reissued notice asks when it is less (担保条例 Art. 14(2)), nothing when nothing is due (Art. 20)', () => {
    const hold = { method: 'GUARANTEE', accountId: 'GUA-1', amount: '172530.00', currency: 'CNY', securedAt: '2025-05-20T02:00:00.000Z' };
    const lower = effect({ reassessed: '163903.50', securedUnpaid: true, facts: { jurisdiction: 'CN', releasedOn: '2025-05-20' } });
    expect(reissuedHold(lower, hold, 't')).toEqual({ ...hold, amount: '163903.50' });
    const none = effect({ reassessed: '0.00', securedUnpaid: true, facts: { jurisdiction: 'CN', releasedOn: '2025-05-20' } });
    expect(reissuedHold(none, hold, 't')).toEqual({ ...hold, releasedAt: 't' });
    // A higher notice keeps the hold it had: the rest is owed by the deadline (Art. 19).
    const higher = effect({ reassessed: '189783.00', securedUnpaid: true, facts: { jurisdiction: 'CN', releasedOn: '2025-05-20' } });
    expect(reissuedHold(higher, hold, 't')).toBeUndefined();
    expect(reissuedHold(lower, { ...hold, releasedAt: 'paid' }, 't')).toBeUndefined();
    expect(reissuedHold(lower, undefined, 't')).toBeUndefined();
  });

  it('a correction that leaves the tax as it was: no tax effect, no entries', () => {
    expect(effect({})).toEqual({ kind: 'NO_TAX_EFFECT', currency: 'CNY' });
    expect(effect({ securedUnpaid: true })).toEqual({ kind: 'NO_TAX_EFFECT', currency: 'CNY' });
  });

  it('GB: a repayment claimed within 3 years of payment (UCC Art. 121(1)(a); SI 2018/1248 Part 7), no interest (UCC Art. 116(6)); later refused', () => {
    const gb = { established: '250.00', reassessed: '200.00', currency: 'GBP', facts: { jurisdiction: 'GB', paidOn: '2024-02-22', releasedOn: '2024-02-22' } };
    expect(effect({ ...gb, requestedOn: '2027-02-22', grantedOn: '2027-03-01' })).toEqual(
      expect.objectContaining({ kind: 'REFUND', amount: '50.00', clock: expect.objectContaining({ rule: 'GB/rule/refund-claim@1', endsOn: '2027-02-22', inTime: true }) }),
    );
    expect(effect({ ...gb, requestedOn: '2027-02-22', grantedOn: '2027-03-01' })).not.toHaveProperty('interest');
    expect(refusal(() => effect({ ...gb, requestedOn: '2027-02-23', grantedOn: '2027-03-01' })).toJSON()).toMatchObject({ code: 'CWY-AUD-002' });
  });

  it('GB: tax raised on a breach within 3 years of release (UCC Art. 103(1)), with no late fee modelled', () => {
    const result = effect({ established: '200.00', reassessed: '250.00', currency: 'GBP', cause: 'TRADER_BREACH', facts: { jurisdiction: 'GB', paidOn: '2024-02-22', releasedOn: '2024-02-22' }, requestedOn: '2026-03-01', grantedOn: '2026-03-02' });
    expect(result).toMatchObject({ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '50.00', clock: { rule: 'GB/rule/post-clearance-recovery@1', endsOn: '2027-02-22', inTime: true } });
    expect(result).not.toHaveProperty('lateFee');
  });
});
