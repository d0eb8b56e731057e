/**
 * The balances in use on guarantee and deferment accounts (the accounts themselves are
 * reference data). Amounts are integer minor units (fen, pence). Each hold is keyed by the
 * declaration it secures, so a retried step never debits or credits twice.
 */
export interface SecurityAccounts {
  /**
   * Secures `amount` for `holder` on `accountId` if the account's use stays within `limit`.
   * `DEBITED` also when `holder` already holds it (a retry); `INSUFFICIENT` leaves the balance untouched.
   */
  debit(accountId: string, holder: string, amount: number, limit: number): Promise<'DEBITED' | 'INSUFFICIENT'>;
  /** Releases `holder`'s hold of `amount`; releasing a hold that is not there does nothing (a repeat). */
  credit(accountId: string, holder: string, amount: number): Promise<'CREDITED' | 'NOT_HELD'>;
  /** The amount currently secured on the account (0 when never used). */
  inUse(accountId: string): Promise<number>;
}
