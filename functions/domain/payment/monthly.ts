import { addDays, type DayPredicate } from '../tax/calendar.js';

/**
 * The last day of a monthly batch payment (汇总征税): the `nthWorkingDay`-th working day of the
 * month after the declaration's completion (关税法 Art. 43 para 1: "于次月第五个工作日结束前汇总缴纳税款").
 *
 * @param completedOn declaration completion date, `YYYY-MM-DD`
 * @param nthWorkingDay which working day of the next month (5 under Art. 43)
 * @param isWorkingDay the jurisdiction's working-day calendar
 */
export function monthlyBatchDeadline(completedOn: string, nthWorkingDay: number, isWorkingDay: DayPredicate): string {
  const [year, month] = completedOn.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
  let day = next;
  let counted = 0;
  // A month with fewer working days than asked for is a calendar configuration error.
  for (let i = 0; i < 62; i += 1) {
    if (isWorkingDay(day) && ++counted === nthWorkingDay) return day;
    day = addDays(day, 1);
  }
  throw new RangeError(`no ${nthWorkingDay}th working day in the two months after ${completedOn}`);
}

/** The monthly statement a batch-paid declaration goes to: the month it was completed in (`YYYY-MM`). */
export function statementPeriod(completedOn: string): string {
  return completedOn.slice(0, 7);
}
