import { addDays, dayOfWeek, isWeekday, nextDayThatCounts, type DayPredicate } from './calendar.js';

/**
 * What happens when the third Wednesday is not a trading day:
 * - `NEXT_TRADING_DAY`: the next trading day (GACC Order 272 Arts. 13–14, with 关税法 Art. 60,
 *   in force 2024-12-01);
 * - `FOURTH_WEDNESDAY`: the fourth Wednesday of that month (the earlier GACC collection rules
 *   applied under 进出口关税条例 2017).
 */
export type ReferenceDateFallback = 'NEXT_TRADING_DAY' | 'FOURTH_WEDNESDAY';

function nthWednesday(year: number, month: number, n: number): string {
  const first = `${year}-${String(month).padStart(2, '0')}-01`;
  const offset = (3 - dayOfWeek(first) + 7) % 7; // 3 = Wednesday
  return addDays(first, offset + (n - 1) * 7);
}

/**
 * The exchange-rate reference date for a declaration completed on `completedOn`: the third
 * Wednesday of the previous month, moved by `fallback` when that day is not a trading day
 * (关税法 Art. 60: the 计征汇率 is the central parity of the date GACC fixes; GACC Order 272
 * Arts. 13–14 fix that date).
 *
 * @param completedOn declaration completion date, `YYYY-MM-DD`
 * @param isTradingDay the interbank trading calendar; weekdays by default
 * @param fallback the rule for a non-trading third Wednesday (see {@link ReferenceDateFallback})
 */
export function selectReferenceDate(
  completedOn: string,
  isTradingDay: DayPredicate = isWeekday,
  fallback: ReferenceDateFallback = 'NEXT_TRADING_DAY',
): string {
  const [year, month] = completedOn.split('-').map(Number);
  const prevYear = month === 1 ? year - 1 : year;
  const prevMonth = month === 1 ? 12 : month - 1;
  const third = nthWednesday(prevYear, prevMonth, 3);
  if (isTradingDay(third)) return third;
  return fallback === 'FOURTH_WEDNESDAY'
    ? nthWednesday(prevYear, prevMonth, 4)
    : nextDayThatCounts(addDays(third, 1), isTradingDay);
}
