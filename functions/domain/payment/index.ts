/**
 * Payment (pure domain): guarantee and deferment accounts, the monthly batch deadline, the
 * working-day calendars and the per-declaration ledger. The legal clocks themselves (15-day
 * period, late fee) are tax rules: see `../tax/payment.ts`.
 */
export {
  ACCOUNT_CODES,
  SecurityAccount,
  SecurityAccountFile,
  checkSecurityAccount,
  drawsOnAccount,
  toMinorUnits,
} from './accounts.js';
export { WorkingCalendarFile, jurisdictionCalendar, type JurisdictionCalendar } from './calendar.js';
export {
  LEDGER_DIRECTION,
  ledgerEntry,
  outstandingAssessment,
  postToLedger,
  withdrawalEntries,
  type Ledger,
  type LedgerEntry,
  type LedgerEntryKind,
} from './ledger.js';
export { monthlyBatchDeadline, statementPeriod } from './monthly.js';
export { taxNoticeDue, type TaxNoticeDue } from './due.js';
export {
  BANK_PAYMENT_CODES,
  POST_CLEARANCE_PAYMENT,
  assertPaysExactly,
  awaitsBank,
  bankPaymentStanding,
  openCharges,
  payBalance,
  paymentDue,
  recordedBalancePayment,
  type BalancePayment,
  type PaymentDue,
  type PaymentStanding,
} from './bank-payment.js';
