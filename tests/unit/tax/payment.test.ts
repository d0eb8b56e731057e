import { describe, expect, it } from 'vitest';
import {
  calendarWith,
  amountDue,
  computeLateFee,
  paymentDeadline,
  pickInForce,
  refOf,
  type LateFeeRule,
  type PaymentDeadlineRule,
} from '../../../functions/domain/tax/index.js';
import { shippedCatalog } from './support.js';

const catalog = shippedCatalog();
const deadlineRule = (completedOn: string) =>
  pickInForce(catalog.rules, completedOn, (r) => r.rule === 'payment-deadline') as PaymentDeadlineRule;
const lateFeeRule = (completedOn: string) => pickInForce(catalog.rules, completedOn, (r) => r.rule === 'late-fee') as LateFeeRule;

describe('paymentDeadline — 15 days, counted from the tax notice before 2024-12-01 and from completion after', () => {
  it('before 2024-12-01 runs from the tax notice (进出口关税条例 Art. 37)', () => {
    // Completed on Thu 2024-11-28, notice issued Mon 2024-12-02: 15 days from the notice → Tue 2024-12-17.
    expect(deadlineRule('2024-11-28').countFrom).toBe('TAX_NOTICE');
    expect(paymentDeadline('2024-11-28', '2024-12-02', deadlineRule('2024-11-28'))).toBe('2024-12-17');
  });

  it('from 2024-12-01 runs from declaration completion (关税法 Art. 43), whatever the notice date', () => {
    expect(deadlineRule('2024-12-01').countFrom).toBe('DECLARATION_COMPLETION');
    expect(paymentDeadline('2024-12-02', '2024-12-05', deadlineRule('2024-12-02'))).toBe('2024-12-17');
  });

  it('the rule in force on the completion day decides, even when the notice comes after the change', () => {
    expect(paymentDeadline('2024-11-30', '2024-12-03', deadlineRule('2024-11-30'))).toBe('2024-12-18');
    expect(paymentDeadline('2024-12-01', '2024-12-03', deadlineRule('2024-12-01'))).toBe('2024-12-16');
  });

  it('a deadline on a rest day moves to the next working day (民法典 Art. 203)', () => {
    // 2025-03-08 + 15 = Sunday 2025-03-23 → Monday 2025-03-24.
    expect(paymentDeadline('2025-03-08', undefined, deadlineRule('2025-03-08'))).toBe('2025-03-24');
    // With a holiday on that Monday, Tuesday.
    expect(paymentDeadline('2025-03-08', undefined, deadlineRule('2025-03-08'), calendarWith(['2025-03-24']))).toBe('2025-03-25');
  });

  it('requires the notice date under the old rule', () => {
    expect(() => paymentDeadline('2024-11-28', undefined, deadlineRule('2024-11-28'))).toThrow(/noticeOn/);
  });
});

describe('computeLateFee — 0.05 % per calendar day after the deadline, up to the payment day', () => {
  const rule = lateFeeRule('2025-01-01');

  it('charges nothing when paid on or before the deadline', () => {
    expect(computeLateFee('100000.00', '2025-03-18', '2025-03-18', rule)).toEqual({ days: 0, amount: '0.00' });
    expect(computeLateFee('100000.00', '2025-03-18', '2025-03-10', rule)).toEqual({ days: 0, amount: '0.00' });
  });

  it('counts across a month end (Jan 31 → Mar 3 2025: 28 days of February + 3 of March)', () => {
    expect(computeLateFee('100000.00', '2025-01-31', '2025-03-03', rule)).toEqual({ days: 31, amount: '1550.00' });
  });

  it('counts February 29 in a leap year', () => {
    expect(computeLateFee('100000.00', '2024-02-28', '2024-03-01', lateFeeRule('2024-02-01'))).toEqual({ days: 2, amount: '100.00' });
  });

  it('counts across the year end', () => {
    expect(computeLateFee('12345.67', '2024-12-31', '2025-01-02', rule)).toEqual({ days: 2, amount: '12.35' });
  });

  it('applies 0.05 %/day on both sides of 2024-12-01', () => {
    expect(lateFeeRule('2024-11-30').dailyRate).toBe('0.0005');
    expect(lateFeeRule('2024-12-01').dailyRate).toBe('0.0005');
    expect(refOf(lateFeeRule('2024-11-30'))).not.toBe(refOf(lateFeeRule('2024-12-01')));
  });
});

describe('amountDue — the tax notice plus the late fee accrued by the payment day', () => {
  const rule = lateFeeRule('2025-01-01');

  it('is the tax alone on or before the deadline, and without a late-fee rule', () => {
    expect(amountDue('172530.00', '2025-06-04', '2025-06-04', rule)).toEqual({ due: '172530.00', lateFee: { days: 0, amount: '0.00' } });
    expect(amountDue('172530.00', '2025-06-04', '2025-06-10', undefined)).toEqual({ due: '172530.00', lateFee: { days: 0, amount: '0.00' } });
  });

  it('adds 0.05 % a day after the deadline (2 days on CNY 172530.00 = 172.53)', () => {
    expect(amountDue('172530.00', '2025-06-04', '2025-06-06', rule)).toEqual({ due: '172702.53', lateFee: { days: 2, amount: '172.53' } });
  });
});
