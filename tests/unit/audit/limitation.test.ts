import { describe, expect, it } from 'vitest';
import {
  LIMITATION_CODES,
  assertInTime,
  auditWindowEnd,
  recoveryClock,
  recoveryLateFee,
  recoveryStart,
  refundClock,
  refundInterest,
} from '../../../functions/domain/audit/limitation.js';
import { LimitationExpiredError } from '../../../functions/domain/errors.js';
import { addMonths, addYears } from '../../../functions/domain/tax/index.js';
import { cnCalendar } from '../payment/support.js';
import { shippedCatalog } from '../tax/support.js';

/**
 * The post-clearance clocks, with expected values read off the statutes in reference-data/law:
 * 进出口关税条例 (2017) Arts. 51–52 before 2024-12-01, 关税法 Arts. 45–47, 51, 53 from that day;
 * periods counted by 民法典 Arts. 201–203 (start day not counted, the corresponding day ends a
 * period of years, a period ending on a rest day ends on the next working day — the CN 2025
 * holidays from 国办发明电〔2024〕12号).
 */
const { rules } = shippedCatalog();
const { isWorkingDay } = cnCalendar();
const CN = 'CN';
const paidAndReleased = (day: string) => ({ jurisdiction: CN, paidOn: day, releasedOn: day });

describe('recoveryStart — "the day the tax was paid or the goods were released" (关税法 Arts. 45–46; 条例 Art. 51)', () => {
  it('runs from the payment when the tax was paid before (or on) the release', () => {
    expect(recoveryStart({ jurisdiction: CN, paidOn: '2025-05-20', releasedOn: '2025-05-20' })).toEqual({ runsFrom: 'PAYMENT', startsOn: '2025-05-20' });
  });

  it('runs from the release when the goods left on a guarantee before the tax was paid', () => {
    expect(recoveryStart({ jurisdiction: CN, paidOn: '2025-07-07', releasedOn: '2025-06-10' })).toEqual({ runsFrom: 'RELEASE', startsOn: '2025-06-10' });
    expect(recoveryStart({ jurisdiction: CN, releasedOn: '2025-06-10' })).toEqual({ runsFrom: 'RELEASE', startsOn: '2025-06-10' });
  });
});

describe('recoveryClock — 1 year / 3 years before 2024-12-01, 3 years / no limit from it', () => {
  it('before: tax found short without fault is recovered within 1 year (条例 Art. 51 para 1, 海关法 Art. 62)', () => {
    // Paid Tue 2024-10-15 → the corresponding day a year later, Wed 2025-10-15, is the last day.
    const onLastDay = recoveryClock(paidAndReleased('2024-10-15'), 'NO_FAULT', '2025-10-15', rules, isWorkingDay).clock;
    expect(onLastDay).toEqual({
      rule: 'CN/rule/post-clearance-recovery@1', runsFrom: 'PAYMENT', startsOn: '2024-10-15', endsOn: '2025-10-15', actedOn: '2025-10-15', inTime: true,
    });
    expect(recoveryClock(paidAndReleased('2024-10-15'), 'NO_FAULT', '2025-10-16', rules, isWorkingDay).clock.inTime).toBe(false);
  });

  it('before: 3 years when the taxpayer breached the rules (条例 Art. 51 para 1, second sentence)', () => {
    const { clock } = recoveryClock(paidAndReleased('2024-10-15'), 'TRADER_BREACH', '2026-03-02', rules, isWorkingDay);
    expect(clock).toMatchObject({ rule: 'CN/rule/post-clearance-recovery@1', endsOn: '2027-10-15', inTime: true });
  });

  it('before: the 条例 gives smuggling no separate limit — it is a breach, 3 years', () => {
    expect(recoveryClock(paidAndReleased('2024-10-15'), 'SMUGGLING', '2027-10-18', rules, isWorkingDay).clock).toMatchObject({ endsOn: '2027-10-15', inTime: false });
  });

  it('from 2024-12-01: 3 years without fault (关税法 Art. 45) and on a breach (Art. 46)', () => {
    // Paid Mon 2024-12-02 → Thu 2027-12-02.
    for (const cause of ['NO_FAULT', 'TRADER_BREACH'] as const) {
      expect(recoveryClock(paidAndReleased('2024-12-02'), cause, '2027-12-02', rules, isWorkingDay).clock).toMatchObject({
        rule: 'CN/rule/post-clearance-recovery@2', endsOn: '2027-12-02', inTime: true,
      });
      expect(recoveryClock(paidAndReleased('2024-12-02'), cause, '2027-12-03', rules, isWorkingDay).clock.inTime).toBe(false);
    }
  });

  it('from 2024-12-01: smuggling is recovered without a time limit (关税法 Art. 47)', () => {
    expect(recoveryClock(paidAndReleased('2024-12-02'), 'SMUGGLING', '2040-01-02', rules, isWorkingDay).clock).toMatchObject({ endsOn: null, inTime: true });
  });

  it('the law in force on the day the period starts governs it: released 30 Nov 2024 (条例) vs 1 Dec 2024 (关税法)', () => {
    const before = recoveryClock({ jurisdiction: CN, releasedOn: '2024-11-30' }, 'NO_FAULT', '2025-12-01', rules, isWorkingDay).clock;
    const after = recoveryClock({ jurisdiction: CN, releasedOn: '2024-12-01' }, 'NO_FAULT', '2025-12-01', rules, isWorkingDay).clock;
    // 2025-11-30 is a Sunday: the 1-year period ends on Monday 2025-12-01 (民法典 Art. 203).
    expect(before).toMatchObject({ rule: 'CN/rule/post-clearance-recovery@1', runsFrom: 'RELEASE', endsOn: '2025-12-01', inTime: true });
    expect(after).toMatchObject({ rule: 'CN/rule/post-clearance-recovery@2', endsOn: '2027-12-01', inTime: true });
    // A finding a year and a day later is out of time under the 条例, well inside the 关税法's 3 years.
    expect(recoveryClock({ jurisdiction: CN, releasedOn: '2024-11-30' }, 'NO_FAULT', '2025-12-02', rules, isWorkingDay).clock.inTime).toBe(false);
    expect(recoveryClock({ jurisdiction: CN, releasedOn: '2024-12-01' }, 'NO_FAULT', '2025-12-02', rules, isWorkingDay).clock.inTime).toBe(true);
  });

  it('a period ending on a rest day ends on the next working day (民法典 Art. 203)', () => {
    // Paid Fri 2024-11-29 → Sat 2025-11-29 → Mon 2025-12-01.
    expect(recoveryClock(paidAndReleased('2024-11-29'), 'NO_FAULT', '2025-12-01', rules, isWorkingDay).clock).toMatchObject({ endsOn: '2025-12-01', inTime: true });
    // Paid Tue 2024-10-08 → Wed 2025-10-08, the last day of the 2025 National Day holiday → Thu 2025-10-09.
    expect(recoveryClock(paidAndReleased('2024-10-08'), 'NO_FAULT', '2025-10-09', rules, isWorkingDay).clock).toMatchObject({ endsOn: '2025-10-09', inTime: true });
  });

  it('refuses with CWY-AUD-001 and the clock that ran out', () => {
    const { clock } = recoveryClock(paidAndReleased('2024-10-15'), 'NO_FAULT', '2026-03-02', rules, isWorkingDay);
    const refusal = (() => {
      try {
        assertInTime(clock, LIMITATION_CODES.recoveryOutOfTime, 'Recovering the tax found short', '/cause');
      } catch (error) {
        return error as LimitationExpiredError;
      }
    })();
    expect(refusal).toBeInstanceOf(LimitationExpiredError);
    expect(refusal!.status).toBe(422);
    expect(refusal!.toJSON()).toMatchObject({ code: 'CWY-AUD-001', pointer: '/cause', clock: { endsOn: '2025-10-15', actedOn: '2026-03-02' } });
    expect(refusal!.message).toContain('ended on 2025-10-15');
  });
});

describe('recoveryLateFee — 0.05 % a day from the day of payment or release, on a breach or smuggling only', () => {
  it('关税法 Art. 46: CNY 17,253.00 found short on tax paid 2025-05-20, assessed 2026-03-02', () => {
    // 2025-05-20 → 2026-03-02: 365 days to 2026-05-20 less the 79 from 2026-03-02 to then = 286 days;
    // 17,253.00 × 0.0005 = 8.6265 a day × 286 = 2,467.179 → 2,467.18.
    const { clock, rule } = recoveryClock(paidAndReleased('2025-05-20'), 'TRADER_BREACH', '2026-03-02', rules, isWorkingDay);
    expect(recoveryLateFee('17253.00', 'TRADER_BREACH', clock, rule)).toEqual({
      from: '2025-05-20', to: '2026-03-02', days: 286, dailyRate: '0.0005', amount: '2467.18',
    });
  });

  it('条例 Art. 51: CNY 10,000.00 on tax paid 2024-10-15, assessed 2025-03-03', () => {
    // Oct 16–31: 16, Nov 30, Dec 31, Jan 31, Feb 28, Mar 1–3: 3 → 139 days; 10,000 × 0.0005 × 139 = 695.00.
    const { clock, rule } = recoveryClock(paidAndReleased('2024-10-15'), 'TRADER_BREACH', '2025-03-03', rules, isWorkingDay);
    expect(recoveryLateFee('10000.00', 'TRADER_BREACH', clock, rule)).toMatchObject({ days: 139, amount: '695.00' });
  });

  it('smuggling carries the late fee too (关税法 Art. 47: "追征税款、滞纳金")', () => {
    const { clock, rule } = recoveryClock(paidAndReleased('2025-05-20'), 'SMUGGLING', '2026-03-02', rules, isWorkingDay);
    expect(recoveryLateFee('17253.00', 'SMUGGLING', clock, rule)?.amount).toBe('2467.18');
  });

  it('charges none without fault (关税法 Art. 45: only a new notice left unpaid accrues one)', () => {
    const { clock, rule } = recoveryClock(paidAndReleased('2025-05-20'), 'NO_FAULT', '2026-03-02', rules, isWorkingDay);
    expect(recoveryLateFee('17253.00', 'NO_FAULT', clock, rule)).toBeUndefined();
  });
});

describe('refundClock — the taxpayer claims within 1 year (条例 Art. 52) / 3 years (关税法 Art. 51); the customs\' own finding has no limit', () => {
  it('before: a claim lodged on the last day of the year is in time, the day after is not', () => {
    const lastDay = refundClock(CN, '2024-10-15', 'TRADER_CLAIM', { claimedOn: '2025-10-15', refundOn: '2025-11-03' }, rules, isWorkingDay).clock;
    expect(lastDay).toEqual({
      rule: 'CN/rule/refund-claim@1', runsFrom: 'PAYMENT', startsOn: '2024-10-15', endsOn: '2025-10-15', actedOn: '2025-10-15', inTime: true,
    });
    expect(refundClock(CN, '2024-10-15', 'TRADER_CLAIM', { claimedOn: '2025-10-16', refundOn: '2025-11-03' }, rules, isWorkingDay).clock.inTime).toBe(false);
  });

  it('from 2024-12-01: 3 years from payment', () => {
    const { clock } = refundClock(CN, '2024-12-02', 'TRADER_CLAIM', { claimedOn: '2027-12-02', refundOn: '2027-12-20' }, rules, isWorkingDay);
    expect(clock).toMatchObject({ rule: 'CN/rule/refund-claim@2', endsOn: '2027-12-02', inTime: true });
  });

  it('a claim period ending in the National Day holiday runs to the next working day', () => {
    // Paid Tue 2024-10-08 → Wed 2025-10-08 (holiday) → Thu 2025-10-09.
    expect(refundClock(CN, '2024-10-08', 'TRADER_CLAIM', { claimedOn: '2025-10-09', refundOn: '2025-10-20' }, rules, isWorkingDay).clock).toMatchObject({ endsOn: '2025-10-09', inTime: true });
  });

  it('an over-collection the customs finds itself is refunded whenever found (关税法 Art. 51 para 1; 条例 Art. 52 para 1)', () => {
    expect(refundClock(CN, '2024-10-15', 'CUSTOMS_FOUND', { refundOn: '2027-01-04' }, rules, isWorkingDay).clock).toMatchObject({ endsOn: null, inTime: true, actedOn: '2027-01-04' });
  });
});

describe('refundInterest — current deposit rate, by the rule in force on the refund day', () => {
  it('关税法 Art. 53: CNY 8,626.50 paid 2025-05-20, refunded 2026-03-02 on the customs\' finding', () => {
    // 286 days; 8,626.50 × 0.35 % = 30.19275 a year × 286 ÷ 360 = 23.98646… → 23.99.
    expect(refundInterest('8626.50', CN, 'CUSTOMS_FOUND', { paidOn: '2025-05-20', refundOn: '2026-03-02' }, rules)).toEqual({
      rule: 'CN/rule/refund-interest@2', earned: true, from: '2025-05-20', to: '2026-03-02', days: 286, annualRatePct: '0.35', dayCountBasis: 360, amount: '23.99',
    });
  });

  it('条例 Art. 52 para 2: a refund made before 2024-12-01 earns interest on the taxpayer\'s claim…', () => {
    // 2024-10-15 → 2024-11-29: 16 + 29 = 45 days; 10,000 × 0.35 % × 45 ÷ 360 = 4.375 → 4.38 (half-up).
    expect(refundInterest('10000.00', CN, 'TRADER_CLAIM', { paidOn: '2024-10-15', refundOn: '2024-11-29' }, rules)).toMatchObject({
      rule: 'CN/rule/refund-interest@1', earned: true, days: 45, amount: '4.38',
    });
  });

  it('…and none on the customs\' own finding (条例 Art. 52 para 1 adds no interest)', () => {
    expect(refundInterest('10000.00', CN, 'CUSTOMS_FOUND', { paidOn: '2024-10-15', refundOn: '2024-11-29' }, rules)).toMatchObject({ earned: false, amount: '0.00' });
  });

  it('a refund made under the current law earns interest even on tax paid under the 条例', () => {
    // Paid 2024-10-15, refunded 2025-03-03: 139 days; 10,000 × 0.35 % × 139 ÷ 360 = 13.5138… → 13.51.
    expect(refundInterest('10000.00', CN, 'CUSTOMS_FOUND', { paidOn: '2024-10-15', refundOn: '2025-03-03' }, rules)).toMatchObject({
      rule: 'CN/rule/refund-interest@2', earned: true, days: 139, amount: '13.51',
    });
  });

  it('is undefined where no interest rule is in force (GB)', () => {
    expect(refundInterest('100.00', 'GB', 'CUSTOMS_FOUND', { paidOn: '2025-05-20', refundOn: '2026-03-02' }, rules)).toBeUndefined();
  });
});

describe('auditWindowEnd — 3 years from release (海关稽查条例 Art. 2)', () => {
  it('ends on the corresponding day, 29 February on 28 February of a common year (民法典 Art. 202)', () => {
    expect(auditWindowEnd(CN, '2025-05-20', rules)).toBe('2028-05-20');
    expect(auditWindowEnd(CN, '2024-02-29', rules)).toBe('2027-02-28');
    expect(auditWindowEnd('GB', '2025-05-20', rules)).toBeUndefined();
  });
});

describe('addMonths / addYears — the corresponding day (民法典 Art. 202)', () => {
  it('ends a month on the last day of a shorter month', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });
});
