import { ReferenceDataMissingError } from '../errors.js';
import type { DayPredicate } from '../tax/calendar.js';
import type { BoundReference } from '../tax/binding.js';
import { paymentDeadline } from '../tax/payment.js';
import { refOf } from '../tax/records.js';
import { monthlyBatchDeadline } from './monthly.js';

/** When a tax notice must be paid, and under which rule version. */
export interface TaxNoticeDue {
  deadline: string;
  rule: string;
}

/**
 * The last day to pay a tax notice: the end of the fifth working day of the next month for a
 * monthly batch payment secured by a guarantee, otherwise 15 days from completion (from the tax
 * notice before 2024-12-01), rolled to the next working day (关税法 Art. 43; 民法典 Art. 203).
 *
 * @param batch true when the taxes go to the monthly statement (汇总征税)
 * @param completedOn declaration completion date
 * @param noticeOn the day the tax notice is issued
 * @param rules the rules bound to the declaration
 * @param isWorkingDay the jurisdiction's working-day calendar
 * @throws ReferenceDataMissingError when no rule for the method is bound
 */
export function taxNoticeDue(
  batch: boolean,
  completedOn: string,
  noticeOn: string,
  rules: BoundReference['rules'],
  isWorkingDay: DayPredicate,
): TaxNoticeDue {
  if (batch) {
    const monthly = rules['monthly-payment-deadline'];
    if (!monthly) throw new ReferenceDataMissingError(`No monthly batch payment rule in force on ${completedOn}`, '/payment/method');
    return { deadline: monthlyBatchDeadline(completedOn, monthly.nthWorkingDayOfNextMonth, isWorkingDay), rule: refOf(monthly) };
  }
  const rule = rules['payment-deadline'];
  if (!rule) throw new ReferenceDataMissingError(`No payment-deadline rule in force on ${completedOn}`);
  return { deadline: paymentDeadline(completedOn, noticeOn, rule, isWorkingDay), rule: refOf(rule) };
}
