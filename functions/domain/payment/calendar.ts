import { z } from 'zod';
import { IsoDate, Jurisdiction } from '../declaration/model.js';
import { isWeekday, type DayPredicate } from '../tax/calendar.js';

/**
 * A published working-day calendar for one jurisdiction and year (`reference-data/calendar/`):
 * the statutory rest days and the weekend days made working days (CN 调休).
 */
export const WorkingCalendarFile = z.object({
  kind: z.literal('working-calendar'),
  jurisdiction: Jurisdiction,
  year: z.number().int(),
  source: z.string().min(3),
  holidays: z.array(IsoDate),
  workingWeekends: z.array(IsoDate),
});
export type WorkingCalendarFile = z.infer<typeof WorkingCalendarFile>;

/** The two calendars the payment rules need for one jurisdiction. */
export interface JurisdictionCalendar {
  /** Working days for legal periods (民法典 Art. 203) and the monthly batch deadline (关税法 Art. 43). */
  isWorkingDay: DayPredicate;
  /** Interbank trading days for the FX reference date (GACC Order 272 Arts. 13–14). */
  isTradingDay: DayPredicate;
}

/**
 * Builds the calendars of `jurisdiction` from the published files. Working days are weekdays
 * minus holidays plus make-up weekends; trading days are weekdays minus holidays (the
 * interbank market stays closed on make-up weekends). A year with no file falls back to
 * Monday–Friday — configure the year before relying on its deadlines.
 */
export function jurisdictionCalendar(files: WorkingCalendarFile[], jurisdiction: string): JurisdictionCalendar {
  const mine = files.filter((f) => f.jurisdiction === jurisdiction);
  const holidays = new Set(mine.flatMap((f) => f.holidays));
  const workingWeekends = new Set(mine.flatMap((f) => f.workingWeekends));
  const isTradingDay: DayPredicate = (day) => isWeekday(day) && !holidays.has(day);
  return { isTradingDay, isWorkingDay: (day) => workingWeekends.has(day) || isTradingDay(day) };
}
