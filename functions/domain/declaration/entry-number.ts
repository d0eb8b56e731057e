import type { Declaration } from './model.js';

/**
 * The entry number customs gives a declaration on acceptance.
 *
 * CN (报关单编号, 18 digits): 4-digit customs office code + 4-digit year + import/export flag
 * (1 import, 0 export) + 9-digit sequence of that office and year.
 * GB (MRN, 18 characters): 2-digit year + country "GB" + 14-character serial. (The UK MRN's last
 * character is a check character; ours is a serial digit, since our MRNs are not HMRC's.)
 *
 * @param declaration the accepted declaration
 * @param legalYear the year of acceptance in the jurisdiction's time zone
 * @param sequence the next number of the sequence named by {@link entrySequenceName}
 */
export function entryNumber(declaration: Declaration, legalYear: number, sequence: number): string {
  if (declaration.jurisdiction === 'CN') {
    const flag = declaration.direction === 'IMPORT' ? '1' : '0';
    return `${officeCode(declaration)}${legalYear}${flag}${String(sequence).padStart(9, '0')}`;
  }
  return `${String(legalYear % 100).padStart(2, '0')}GB${String(sequence).padStart(14, '0')}`;
}

/** Entry numbers run per office and year (CN), per year (GB). */
export function entrySequenceName(declaration: Declaration, legalYear: number): string {
  return declaration.jurisdiction === 'CN' ? `entry#CN#${officeCode(declaration)}#${legalYear}` : `entry#GB#${legalYear}`;
}

function officeCode(declaration: Declaration): string {
  const office = declaration.office ?? '';
  return /^\d{4}$/.test(office) ? office : '0000';
}

/** The sequence number an entry number was given (the inverse of {@link entryNumber}). */
export function entrySequenceOf(entry: string, jurisdiction: Declaration['jurisdiction']): number {
  return Number(entry.slice(jurisdiction === 'CN' ? -9 : -14));
}
