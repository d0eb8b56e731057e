import { Dec, formatMoney } from '../tax/money.js';

/**
 * What moves a declaration's tax balance. The balance is what the trader owes on the
 * declaration: charges raise it, settlements lower it; a negative balance is owed back.
 * - `ASSESSMENT` the tax notice (关税法 Art. 43); `SUPPLEMENTARY_ASSESSMENT` tax found short after
 *   release (Arts. 45–46); `LATE_FEE` 0.05 % a day once the period has expired (Art. 43 para 2);
 * - `PAYMENT` money received from the trader; `REFUND` tax found overpaid (Art. 45 para 2, Art. 51),
 *   which the customs owes back, with `REFUND_INTEREST` at the current deposit rate (Art. 53);
 *   `REFUND_PAID` that money paid out to the trader;
 * - `ASSESSMENT_WITHDRAWN` the tax notice of a version that was amended or cancelled: no longer
 *   due (what was paid on it stays paid, and counts against the next version's notice).
 */
export const LEDGER_DIRECTION = {
  ASSESSMENT: 1,
  SUPPLEMENTARY_ASSESSMENT: 1,
  LATE_FEE: 1,
  REFUND_PAID: 1,
  PAYMENT: -1,
  REFUND: -1,
  REFUND_INTEREST: -1,
  ASSESSMENT_WITHDRAWN: -1,
} as const;
export type LedgerEntryKind = keyof typeof LEDGER_DIRECTION;

/** One debit or credit against a declaration. */
export interface LedgerEntry {
  kind: LedgerEntryKind;
  /** The amount, positive, half-up to 0.01. */
  amount: string;
  /** Its effect on the balance: `amount` with the kind's sign. */
  delta: string;
  currency: string;
  /** When it was posted (the step's clock or the callback's request time). */
  postedAt: string;
  /** What it answers to: bank reference, tax notice, audit case, … */
  reference?: string;
}

/** A declaration's ledger as the view keeps it: every entry and the running balance. */
export interface Ledger {
  currency: string;
  balance: string;
  entries: LedgerEntry[];
}

/**
 * A ledger entry (the one way any step — payment now, post-clearance later — raises a debit or
 * credit against a declaration).
 *
 * @param kind what the entry is (see {@link LEDGER_DIRECTION} for its sign)
 * @param amount a positive decimal string
 * @throws RangeError when the amount is not positive
 */
export function ledgerEntry(kind: LedgerEntryKind, amount: string, currency: string, postedAt: string, reference?: string): LedgerEntry {
  const value = new Dec(amount);
  if (!value.isPositive() || value.isZero()) throw new RangeError(`A ${kind} ledger entry needs a positive amount, not ${amount}`);
  return {
    kind,
    amount: formatMoney(value),
    delta: formatMoney(value.times(LEDGER_DIRECTION[kind])),
    currency,
    postedAt,
    ...(reference ? { reference } : {}),
  };
}

/**
 * The ledger after posting `entries` (in order) to `ledger` (none yet: an empty ledger).
 * @throws RangeError when an entry is in another currency than the ledger
 */
export function postToLedger(ledger: Ledger | undefined, entries: LedgerEntry[]): Ledger {
  let next: Ledger = ledger ?? { currency: entries[0]?.currency ?? '', balance: '0.00', entries: [] };
  for (const entry of entries) {
    if (entry.currency !== next.currency) throw new RangeError(`A ${entry.currency} entry cannot be posted to a ${next.currency} ledger`);
    next = { ...next, balance: formatMoney(new Dec(next.balance).plus(entry.delta)), entries: [...next.entries, entry] };
  }
  return next;
}

/** The tax assessed on the current version and not withdrawn: what a new version's notice replaces. */
export function outstandingAssessment(ledger: Ledger | undefined): Dec {
  let outstanding = new Dec(0);
  for (const entry of ledger?.entries ?? []) {
    if (entry.kind === 'ASSESSMENT') outstanding = outstanding.plus(entry.amount);
    if (entry.kind === 'ASSESSMENT_WITHDRAWN') outstanding = outstanding.minus(entry.amount);
  }
  return outstanding;
}

/**
 * The entry that withdraws the tax notice of a version being amended or cancelled (none when
 * nothing is outstanding). Payments already made stay on the ledger: they count against the next
 * version's notice, and a negative balance is owed back to the trader.
 */
export function withdrawalEntries(ledger: Ledger | undefined, postedAt: string, reference?: string): LedgerEntry[] {
  const outstanding = outstandingAssessment(ledger);
  return outstanding.isPositive() && !outstanding.isZero()
    ? [ledgerEntry('ASSESSMENT_WITHDRAWN', formatMoney(outstanding), ledger!.currency, postedAt, reference)]
    : [];
}
