import { addDays, daysBetween, isWeekday, nextDayThatCounts, type DayPredicate } from './calendar.js';
import type { LateFeeRule, PaymentDeadlineRule } from './catalog.js';
import { Dec, formatMoney } from './money.js';

/**
 * The last day to pay the taxes: `rule.days` days from declaration completion (关税法 Art. 43,
 * in force 2024-12-01) or, under the earlier rule, from the day the customs issued the tax
 * notice (进出口关税条例 2017 Art. 37). The start day is not counted (民法典 Art. 201), and a
 * period ending on a rest day ends on the next working day (民法典 Art. 203).
 *
 * @param completedOn declaration completion date
 * @param noticeOn the day the tax notice (税款缴款书) was issued; needed under the earlier rule
 * @param rule the payment-deadline rule in force on `completedOn`
 * @param isWorkingDay working-day calendar; weekdays by default
 */
export function paymentDeadline(
  completedOn: string,
  noticeOn: string | undefined,
  rule: PaymentDeadlineRule,
  isWorkingDay: DayPredicate = isWeekday,
): string {
  if (rule.countFrom === 'TAX_NOTICE' && noticeOn === undefined) {
    throw new RangeError(`${rule.id}@${rule.version} counts from the tax notice: noticeOn is required`);
  }
  const start = rule.countFrom === 'TAX_NOTICE' ? noticeOn! : completedOn;
  const end = addDays(start, rule.days);
  return rule.rollToWorkingDay ? nextDayThatCounts(end, isWorkingDay) : end;
}

/** A late-payment fee: the number of days charged and the amount. */
export interface LateFee {
  days: number;
  amount: string;
}

/**
 * The late-payment fee: `rule.dailyRate` (0.05 %, 万分之五) of the overdue tax for each calendar
 * day from the day after the deadline up to and including the day of payment (关税法 Art. 43:
 * from the day the period expires; 进出口关税条例 2017 Art. 37). Rounded half-up to 0.01.
 *
 * @param taxAmount the overdue tax, a decimal string
 * @param deadline the last day to pay (see {@link paymentDeadline})
 * @param paidOn the day the payment was made
 * @param rule the late-fee rule bound to the declaration
 */
export function computeLateFee(taxAmount: string, deadline: string, paidOn: string, rule: LateFeeRule): LateFee {
  const days = Math.max(0, daysBetween(deadline, paidOn));
  return { days, amount: formatMoney(new Dec(taxAmount).times(rule.dailyRate).times(days)) };
}

/**
 * What paying a tax notice on `paidOn` takes: the tax plus the late fee accrued by then
 * ({@link computeLateFee}; none when no late-fee rule is bound). A payment of any other amount
 * is refused.
 */
export function amountDue(taxAmount: string, deadline: string, paidOn: string, rule: LateFeeRule | undefined): { due: string; lateFee: LateFee } {
  const lateFee = rule ? computeLateFee(taxAmount, deadline, paidOn, rule) : { days: 0, amount: '0.00' };
  return { due: formatMoney(new Dec(taxAmount).plus(lateFee.amount)), lateFee };
}
