/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), pure and time-zone free: every date is
 * handled as a UTC calendar day, so no clock or locale is involved.
 */

/** Decides whether a day counts (a trading day for FX, a working day for deadlines). */
export type DayPredicate = (isoDate: string) => boolean;

const DAY_MS = 86_400_000;

function toUtcMs(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtcMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The date `days` calendar days after (or, when negative, before) `isoDate`. */
export function addDays(isoDate: string, days: number): string {
  return fromUtcMs(toUtcMs(isoDate) + days * DAY_MS);
}

/**
 * The corresponding day `months` months later (民法典 Art. 202: a period in months or years ends
 * on the corresponding day of its last month; when that month has no such day, on its last day —
 * 31 January + 1 month is 28 or 29 February).
 */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The corresponding day `years` years later (民法典 Art. 202; 29 February → 28 February in a common year). */
export function addYears(isoDate: string, years: number): string {
  return addMonths(isoDate, years * 12);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(isoDate: string): number {
  return new Date(toUtcMs(isoDate)).getUTCDay();
}

/** The default calendar: Monday to Friday count, weekends do not (holidays are configured). */
export const isWeekday: DayPredicate = (isoDate) => {
  const dow = dayOfWeek(isoDate);
  return dow !== 0 && dow !== 6;
};

/** The first date on or after `isoDate` for which `counts` holds. */
export function nextDayThatCounts(isoDate: string, counts: DayPredicate): string {
  let day = isoDate;
  // A calendar with more than a year of consecutive closed days is a configuration error.
  for (let i = 0; i < 366; i += 1) {
    if (counts(day)) return day;
    day = addDays(day, 1);
  }
  throw new RangeError(`no counting day within a year after ${isoDate}`);
}

/** Builds a calendar that is the weekday calendar minus the given holidays plus the given make-up working days (CN 调休). */
export function calendarWith(holidays: Iterable<string>, extraWorkingDays: Iterable<string> = []): DayPredicate {
  const closed = new Set(holidays);
  const open = new Set(extraWorkingDays);
  return (isoDate) => open.has(isoDate) || (isWeekday(isoDate) && !closed.has(isoDate));
}
