import type { Jurisdiction } from './model.js';

/**
 * The administration's time zone: a declaration completed at 23:30 UTC on 30 November is
 * completed on 1 December in Beijing, and the law in force on 1 December applies (关税法 Art. 20).
 */
const TIME_ZONE: Record<Jurisdiction, string> = { CN: 'Asia/Shanghai', GB: 'Europe/London' };

const formatters = new Map<Jurisdiction, Intl.DateTimeFormat>();

/**
 * The legal (calendar) date of an instant in the jurisdiction's time zone, `YYYY-MM-DD`.
 * Pure: the instant is given, never read from a clock.
 */
export function legalDate(instant: string, jurisdiction: Jurisdiction): string {
  let formatter = formatters.get(jurisdiction);
  if (!formatter) {
    // en-CA formats dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE[jurisdiction], year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(jurisdiction, formatter);
  }
  return formatter.format(new Date(instant));
}

/**
 * The instant a legal day begins (00:00 in the jurisdiction's time zone), as an ISO string —
 * e.g. the moment a payment becomes overdue is the start of the day after the deadline.
 */
export function legalDayStart(date: string, jurisdiction: Jurisdiction): string {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that moment: format the instant in the zone and read it back as UTC.
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE[jurisdiction],
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
      .formatToParts(utcMidnight)
      .map((p) => [p.type, p.value]),
  );
  const asIfUtc = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`);
  return new Date(utcMidnight - (asIfUtc - utcMidnight)).toISOString();
}
