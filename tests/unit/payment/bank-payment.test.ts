import { describe, expect, it } from 'vitest';
import {
  awaitsBank,
  ledgerEntry,
  openCharges,
  payBalance,
  paymentDue,
  postToLedger,
  recordedBalancePayment,
  type LedgerEntry,
  type PaymentStanding,
} from '../../../functions/domain/payment/index.js';

const at = '2025-06-10T02:00:00.000Z';
const later = '2026-03-02T02:00:00.000Z';
const ledgerOf = (...entries: LedgerEntry[]) => postToLedger(undefined, entries);
/** CN-1 of 2025-06-10: 170,100.00 assessed and paid; 17,010.00 found short on a breach, late fee 2,253.83. */
const assessed = ledgerEntry('ASSESSMENT', '170100.00', 'CNY', at, 'E1');
const paid = ledgerEntry('PAYMENT', '170100.00', 'CNY', at, 'BANK-1');
const supplementary = ledgerEntry('SUPPLEMENTARY_ASSESSMENT', '17010.00', 'CNY', later, 'E1-v2');
const lateFee = ledgerEntry('LATE_FEE', '2253.83', 'CNY', later, 'E1-v2');
const released = (over: Partial<PaymentStanding> = {}): PaymentStanding => ({
  id: 'D1',
  status: 'RELEASED',
  workflowWaits: false,
  payment: { reference: 'BANK-1' },
  taxTotal: { amount: '170100.00', currency: 'CNY' },
  paymentDeadline: '2025-06-25',
  ledger: ledgerOf(assessed, paid),
  ...over,
});

describe('paymentDue — what a bank payment may pay', () => {
  it('the tax notice a waiting workflow is parked on (it resumes it)', () => {
    const waiting = released({ status: 'AWAITING_PAYMENT', workflowWaits: true, payment: undefined, ledger: ledgerOf(assessed) });
    expect(paymentDue(waiting)).toEqual({ kind: 'NOTICE', resumesWorkflow: true, releasesSecurity: false });
  });

  it('the notice of goods released against an account\'s hold, after the workflow ended (it releases the hold)', () => {
    const secured = released({ payment: undefined, security: {}, ledger: ledgerOf(assessed) });
    expect(paymentDue(secured)).toEqual({ kind: 'NOTICE', resumesWorkflow: false, releasesSecurity: true });
    expect(awaitsBank(secured)).toBe(true);
  });

  it('the balance a supplementary assessment left after release: 17,010.00 + 2,253.83 = 19,263.83, settling both charges', () => {
    const due = paymentDue(released({ ledger: ledgerOf(assessed, paid, supplementary, lateFee) }));
    expect(due).toEqual({ kind: 'BALANCE', amount: '19263.83', currency: 'CNY', settles: [supplementary, lateFee] });
    expect(awaitsBank(released({ ledger: ledgerOf(assessed, paid, supplementary, lateFee) }))).toBe(true);
  });

  it('nothing on a paid declaration that owes nothing: already paid', () => {
    expect(() => paymentDue(released())).toThrow(expect.objectContaining({ name: 'Conflict', pointer: '/reference', message: expect.stringContaining('already paid (reference BANK-1)') }));
    expect(awaitsBank(released())).toBe(false);
  });

  it('nothing on a cancelled declaration: its notice withdrawn and its hold released (balance 0.00) — not even the secured tax', () => {
    const withdrawn = ledgerEntry('ASSESSMENT_WITHDRAWN', '224.00', 'GBP', later, 'E2');
    const cancelled: PaymentStanding = {
      id: 'D2', status: 'CANCELLED', workflowWaits: false, security: { releasedAt: later },
      taxTotal: { amount: '224.00', currency: 'GBP' }, paymentDeadline: '2024-03-07',
      ledger: ledgerOf(ledgerEntry('ASSESSMENT', '224.00', 'GBP', at, 'E2'), withdrawn),
    };
    expect(() => paymentDue(cancelled)).toThrow('Declaration D2 is not waiting for a payment (status CANCELLED)');
    // Even were something still on its ledger: a declaration cancelled (or rejected, seized, failed) takes no payment.
    expect(() => paymentDue({ ...cancelled, ledger: ledgerOf(ledgerEntry('ASSESSMENT', '224.00', 'GBP', at)) })).toThrow('status CANCELLED');
    expect(awaitsBank(cancelled)).toBe(false);
  });

  it('nothing on secured goods whose hold was released already', () => {
    expect(() => paymentDue(released({ payment: undefined, security: { releasedAt: later }, ledger: ledgerOf(assessed) }))).toThrow('not waiting for a payment (status RELEASED)');
  });

  it('refuses a refund owed to the trader with CWY-PAY-007: the customs pays it out', () => {
    // 8,505.00 overpaid, interest 21.91: −8,526.91.
    const owedBack = ledgerOf(assessed, paid, ledgerEntry('REFUND', '8505.00', 'CNY', later), ledgerEntry('REFUND_INTEREST', '21.91', 'CNY', later));
    let error: any;
    try {
      paymentDue(released({ ledger: owedBack }));
    } catch (e) {
      error = e;
    }
    expect(error.toJSON()).toEqual({ code: 'CWY-PAY-007', message: expect.stringContaining('owes the trader 8526.91 CNY') });
    expect(error.status).toBe(409);
  });
});

describe('openCharges — what the balance is made of', () => {
  it('the charges posted since the balance was last settled', () => {
    expect(openCharges(ledgerOf(assessed, paid, supplementary, lateFee))).toEqual([supplementary, lateFee]);
    expect(openCharges(ledgerOf(assessed))).toEqual([assessed]);
    expect(openCharges(ledgerOf(assessed, paid))).toEqual([]);
  });
});

describe('payBalance — the bank pays exactly the balance', () => {
  const due = { kind: 'BALANCE' as const, amount: '19263.83', currency: 'CNY', settles: [supplementary, lateFee] };

  it('answers the payment with what it settled, and posts one PAYMENT under the bank\'s reference', () => {
    const { paid: answered, entries } = payBalance(due, { amount: '19263.830', currency: 'CNY', reference: 'BANK-2' }, later);
    expect(answered).toEqual({
      amount: '19263.83', currency: 'CNY', reference: 'BANK-2', paidAt: later,
      settles: [
        { kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17010.00', postedAt: later, reference: 'E1-v2' },
        { kind: 'LATE_FEE', amount: '2253.83', postedAt: later, reference: 'E1-v2' },
      ],
    });
    expect(entries).toEqual([ledgerEntry('PAYMENT', '19263.83', 'CNY', later, 'BANK-2')]);
    expect(postToLedger(ledgerOf(assessed, paid, supplementary, lateFee), entries).balance).toBe('0.00');
  });

  it('refuses another amount at /amount, saying what is owed, and another currency at /currency', () => {
    expect(() => payBalance(due, { amount: '17010.00', currency: 'CNY', reference: 'B' }, later)).toThrow(
      expect.objectContaining({ name: 'PaymentMismatch', pointer: '/amount', message: 'Amount due is 19263.83 CNY (the balance owed: SUPPLEMENTARY_ASSESSMENT 17010.00 + LATE_FEE 2253.83)' }),
    );
    expect(() => payBalance(due, { amount: '19263.83', currency: 'USD', reference: 'B' }, later)).toThrow(expect.objectContaining({ pointer: '/currency' }));
  });

  it('finds the payment recorded under a reference, answered as it was', () => {
    const { paid: answered } = payBalance(due, { amount: '19263.83', currency: 'CNY', reference: 'BANK-2' }, later);
    const history = [{ type: 'PostClearancePaymentReceived', data: { ...answered, balanceBefore: '19263.83', ledgerEntries: [] } }];
    expect(recordedBalancePayment(history, 'BANK-2')).toEqual(answered);
    expect(recordedBalancePayment(history, 'BANK-3')).toBeUndefined();
  });
});
