import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecurityAccountFile, WorkingCalendarFile, jurisdictionCalendar } from '../../../functions/domain/payment/index.js';
import { ROOT } from '../tax/support.js';

const jsonFiles = (folder: string): unknown[] =>
  readdirSync(join(ROOT, 'reference-data', folder))
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(ROOT, 'reference-data', folder, f), 'utf8')));

/** The working-day calendars as shipped in reference-data/calendar. */
export const shippedCalendars = () => jsonFiles('calendar').map((f) => WorkingCalendarFile.parse(f));

/** The CN calendars compiled from the State Council holiday notices. */
export const cnCalendar = () => jurisdictionCalendar(shippedCalendars(), 'CN');

/** The accounts as shipped in reference-data/accounts. */
export const shippedAccounts = () => jsonFiles('accounts').flatMap((f) => SecurityAccountFile.parse(f).records);
