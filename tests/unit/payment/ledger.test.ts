import { describe, expect, it } from 'vitest';
import { ledgerEntry, postToLedger } from '../../../functions/domain/payment/index.js';

const at = '2025-06-06T02:00:00.000Z';

describe('ledgerEntry / postToLedger — every debit and credit against a declaration', () => {
  it('brings an assessment paid late to zero: tax + late fee − payment (CN-1: 172530.00 + 172.53)', () => {
    const ledger = postToLedger(undefined, [
      ledgerEntry('ASSESSMENT', '172530.00', 'CNY', at),
      ledgerEntry('LATE_FEE', '172.53', 'CNY', at, 'BANK-1'),
      ledgerEntry('PAYMENT', '172702.53', 'CNY', at, 'BANK-1'),
    ]);
    expect(ledger.balance).toBe('0.00');
    expect(ledger.entries.map((e) => e.delta)).toEqual(['172530.00', '172.53', '-172702.53']);
  });

  it('raises the balance with a supplementary assessment after release (关税法 Arts. 45–46)', () => {
    const paid = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '100.00', 'CNY', at), ledgerEntry('PAYMENT', '100.00', 'CNY', at)]);
    expect(postToLedger(paid, [ledgerEntry('SUPPLEMENTARY_ASSESSMENT', '12.34', 'CNY', at, 'AUDIT-1')]).balance).toBe('12.34');
  });

  it('owes an overpayment back with a refund, and clears it when the refund is paid out (Art. 45 para 2)', () => {
    const paid = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '100.00', 'CNY', at), ledgerEntry('PAYMENT', '100.00', 'CNY', at)]);
    const refunded = postToLedger(paid, [ledgerEntry('REFUND', '20.00', 'CNY', at)]);
    expect(refunded.balance).toBe('-20.00');
    expect(postToLedger(refunded, [ledgerEntry('REFUND_PAID', '20.00', 'CNY', at)]).balance).toBe('0.00');
  });

  it('rounds an amount half-up to the fen', () => {
    expect(ledgerEntry('LATE_FEE', '258.795', 'CNY', at).amount).toBe('258.80');
  });

  it('refuses a zero or negative amount, and an entry in another currency than the ledger', () => {
    expect(() => ledgerEntry('PAYMENT', '0', 'CNY', at)).toThrow(RangeError);
    expect(() => ledgerEntry('PAYMENT', '-1.00', 'CNY', at)).toThrow(RangeError);
    const ledger = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '1.00', 'CNY', at)]);
    expect(() => postToLedger(ledger, [ledgerEntry('PAYMENT', '1.00', 'USD', at)])).toThrow(RangeError);
  });
});
