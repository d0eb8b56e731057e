import { ReferenceDataMissingError } from '../errors.js';
import type { ReferenceRecord } from './catalog.js';

/** The pinned identity of one record version, `id@version` (what a declaration records). */
export type RecordRef = string;

/** `id@version` of a record. */
export function refOf(record: { id: string; version: number }): RecordRef {
  return `${record.id}@${record.version}`;
}

/** True when the record applies on `isoDate` (`validFrom` inclusive, `validTo` exclusive). */
export function inForce(record: { validFrom: string; validTo?: string }, isoDate: string): boolean {
  return record.validFrom <= isoDate && (record.validTo === undefined || isoDate < record.validTo);
}

/**
 * Among the records in force on `isoDate` that `matches` accepts, the best one: highest `rank`
 * (e.g. longest matching code prefix), then highest version. Undefined when none applies.
 */
export function pickInForce<R extends { validFrom: string; validTo?: string; version: number }>(
  records: readonly R[],
  isoDate: string,
  matches: (record: R) => boolean,
  rank: (record: R) => number = () => 0,
): R | undefined {
  let best: R | undefined;
  for (const record of records) {
    if (!inForce(record, isoDate) || !matches(record)) continue;
    if (
      best === undefined ||
      rank(record) > rank(best) ||
      (rank(record) === rank(best) && record.version > best.version)
    ) {
      best = record;
    }
  }
  return best;
}

/** The record version a binding pinned; a replay years later still finds the same one. */
export function pinned<R extends ReferenceRecord>(records: readonly R[], ref: RecordRef, what: string): R {
  const found = records.find((r) => refOf(r) === ref);
  if (!found) throw new ReferenceDataMissingError(`${what} ${ref} is not in the reference data`);
  return found;
}

/**
 * True when a tariff line's code designates the declared commodity: equal, or equal once the
 * shorter is padded with zeros (a GB 8-digit CN code 85109000 is the 10-digit 8510900000).
 */
export function sameCommodity(lineCode: string, declaredCode: string): boolean {
  const width = Math.max(lineCode.length, declaredCode.length);
  return lineCode.padEnd(width, '0') === declaredCode.padEnd(width, '0');
}
