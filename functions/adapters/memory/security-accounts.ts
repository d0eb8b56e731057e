import { toMinorUnits } from '../../domain/payment/index.js';
import type { SecurityAccounts } from '../../ports/security-accounts.js';

/**
 * Guarantee and deferment accounts for the replay sandbox. Whether an account had room depends
 * on every other declaration drawing on it, so it is an external input: the replay answers each
 * debit as the history recorded it (`insufficient` with the room then available), holding
 * nothing in live data.
 */
export class RecordedSecurityAccounts implements SecurityAccounts {
  private limit = 0;

  constructor(private readonly recorded: { insufficient?: { available: string } } = {}) {}

  async debit(_accountId: string, _holder: string, _amount: number, limit: number): Promise<'DEBITED' | 'INSUFFICIENT'> {
    this.limit = limit;
    return this.recorded.insufficient ? 'INSUFFICIENT' : 'DEBITED';
  }

  async credit(): Promise<'CREDITED' | 'NOT_HELD'> {
    return 'CREDITED';
  }

  async inUse(): Promise<number> {
    const available = this.recorded.insufficient?.available;
    // Minor units in use = limit − what was available then (settle-payment reads it back the same way).
    return available === undefined ? 0 : this.limit - toMinorUnits(available);
  }
}
