import { ConflictError, PaymentMismatchError, PaymentNotDueError, type ClearwayError } from '../errors.js';
import { Dec, formatMoney } from '../tax/money.js';
import { ledgerEntry, type Ledger, type LedgerEntry } from './ledger.js';

/** Catalogue codes of bank payments the ledger does not call for. */
export const BANK_PAYMENT_CODES = {
  /** The balance is owed to the trader (a refund and its interest): the customs pays it out, no bank pays it in. */
  refundOwed: 'CWY-PAY-007',
} as const;

/**
 * The history event of a payment taken after the lifecycle ended (a supplementary assessment and
 * its late fee, from an amendment granted after release or an auditor's findings).
 *
 * A type of its own, not a second `PaymentReceived`: an auditor reads `PaymentReceived` as "the
 * tax notice of the declaration was paid" — the payment that settled the lifecycle (it resumed the
 * workflow or released an account's hold), the day the limitation clocks of 关税法 Arts. 45 and 51
 * run from, the `payment` of the view. A later settlement of tax found short is none of those:
 * it answers a post-clearance demand, resumes nothing and leaves the view's `payment` (and so
 * every clock) where it was. Its data says what it settled (`settles`: the open charges, with
 * their references to the amendment or audit case that assessed them) and the balance it cleared.
 */
export const POST_CLEARANCE_PAYMENT = 'PostClearancePaymentReceived';

/** Where a declaration stands when a bank payment arrives (from its view and whether a workflow waits). */
export interface PaymentStanding {
  id: string;
  status: string;
  /** A lifecycle execution is parked waiting for the bank (its payment callback). */
  workflowWaits: boolean;
  /** The lifecycle's payment of the tax notice, once received. */
  payment?: { reference?: string };
  /** The hold on a guarantee or deferment account securing the taxes. */
  security?: { releasedAt?: string };
  taxTotal?: { amount: string; currency: string };
  paymentDeadline?: string;
  ledger?: Ledger;
}

/** What a bank payment may pay. */
export type PaymentDue =
  /**
   * The tax notice, plus the late fee accrued by the day of payment (关税法 Art. 43): either the
   * lifecycle waits for it (`resumesWorkflow`), or the goods were released against an account's
   * hold and wait for the bank after the workflow ended (`releasesSecurity`).
   */
  | { kind: 'NOTICE'; resumesWorkflow: boolean; releasesSecurity: boolean }
  /**
   * What the ledger still owes after release — a supplementary assessment and its late fee:
   * exactly the balance (the late fee to the day of assessment is on the ledger already).
   */
  | { kind: 'BALANCE'; amount: string; currency: string; settles: LedgerEntry[] };

/** Lifecycles that ended without release: nothing more is paid on them. */
const ENDED_UNRELEASED = new Set(['CANCELLED', 'REJECTED', 'SEIZED', 'FAILED']);

/** The reference of the payment that settled the balance last (a later one than the notice's, after post-clearance work). */
const lastPaymentReference = (standing: PaymentStanding) =>
  standing.ledger?.entries.findLast((entry) => entry.kind === 'PAYMENT')?.reference ?? standing.payment?.reference;

/** What a bank payment may pay, or why none is taken. */
export function bankPaymentStanding(standing: PaymentStanding): PaymentDue | { kind: 'REFUSED'; error: ClearwayError } {
  const { id, status } = standing;
  const refused = (error: ClearwayError) => ({ kind: 'REFUSED' as const, error });
  const notWaiting = () =>
    standing.payment && !ENDED_UNRELEASED.has(status)
      ? refused(new ConflictError(`Declaration ${id} is already paid (reference ${lastPaymentReference(standing)}): nothing is owed`, '/reference'))
      : refused(new ConflictError(`Declaration ${id} is not waiting for a payment (status ${status})`, '/id'));
  // No payment is taken when nothing is owed: a withdrawn notice, a cancelled declaration, a settled one.
  const balance = standing.ledger ? new Dec(standing.ledger.balance) : undefined;
  if (balance && balance.isNegative() && !balance.isZero()) {
    return refused(new PaymentNotDueError(
      BANK_PAYMENT_CODES.refundOwed,
      `Declaration ${id} owes the trader ${formatMoney(balance.negated())} ${standing.ledger!.currency} (a refund): the customs pays it out, no bank payment is taken`,
    ));
  }
  if (balance?.isZero()) return notWaiting();
  const notice = standing.taxTotal !== undefined && standing.paymentDeadline !== undefined;
  if (standing.workflowWaits && notice) return { kind: 'NOTICE', resumesWorkflow: true, releasesSecurity: Boolean(standing.security) };
  if (ENDED_UNRELEASED.has(status)) return notWaiting();
  // Goods released against a guarantee or deferment account wait for the bank after the workflow ended.
  if (standing.security && !standing.security.releasedAt && !standing.payment && notice) {
    return { kind: 'NOTICE', resumesWorkflow: false, releasesSecurity: true };
  }
  // The notice paid, the goods released: what post-clearance work assessed since is owed.
  if (status === 'RELEASED' && standing.payment && balance) {
    return { kind: 'BALANCE', amount: formatMoney(balance), currency: standing.ledger!.currency, settles: openCharges(standing.ledger!) };
  }
  return notWaiting();
}

/**
 * What a bank payment may pay (see {@link PaymentDue}).
 * @throws ConflictError when the declaration waits for no payment or nothing is owed;
 *   PaymentNotDueError (CWY-PAY-007) when the balance is owed to the trader
 */
export function paymentDue(standing: PaymentStanding): PaymentDue {
  const due = bankPaymentStanding(standing);
  if (due.kind === 'REFUSED') throw due.error;
  return due;
}

/** Whether a payment by the bank would be taken (what a replay waits for once the workflow ended). */
export function awaitsBank(standing: PaymentStanding): boolean {
  return bankPaymentStanding(standing).kind !== 'REFUSED';
}

/**
 * The charges that make up the balance: those posted since the balance was last settled (zero or
 * owed back), in order — what a payment of the whole balance settles.
 */
export function openCharges(ledger: Ledger): LedgerEntry[] {
  let running = new Dec(0);
  let open: LedgerEntry[] = [];
  for (const entry of ledger.entries) {
    running = running.plus(entry.delta);
    if (!running.isPositive() || running.isZero()) open = [];
    else if (new Dec(entry.delta).isPositive()) open = [...open, entry];
  }
  return open;
}

/**
 * @throws PaymentMismatchError (pointer `/currency` or `/amount`) unless the payment is exactly
 *   `due`; `breakdown` says what makes it up
 */
export function assertPaysExactly(payment: { amount: string; currency: string }, due: { amount: string; currency: string }, breakdown: string): void {
  if (payment.currency !== due.currency) throw new PaymentMismatchError(`Payment must be in ${due.currency}`, '/currency');
  if (!new Dec(payment.amount).equals(due.amount)) {
    throw new PaymentMismatchError(`Amount due is ${due.amount} ${due.currency} (${breakdown})`, '/amount');
  }
}

/** A post-release payment as the bank is answered: what it paid, under which reference, and what it settled. */
export interface BalancePayment {
  amount: string;
  currency: string;
  reference: string;
  paidAt: string;
  settles: Pick<LedgerEntry, 'kind' | 'amount' | 'postedAt' | 'reference'>[];
}

/**
 * The bank's payment of the balance owed after release: the payment as answered and recorded, and
 * its ledger entry. The amount must be exactly the balance.
 * @throws PaymentMismatchError otherwise
 */
export function payBalance(
  due: Extract<PaymentDue, { kind: 'BALANCE' }>,
  payment: { amount: string; currency: string; reference: string },
  paidAt: string,
): { paid: BalancePayment; entries: LedgerEntry[] } {
  const breakdown = `the balance owed: ${due.settles.map((charge) => `${charge.kind} ${charge.amount}`).join(' + ') || 'charges offset by credits'}`;
  assertPaysExactly(payment, due, breakdown);
  const settles = due.settles.map(({ kind, amount, postedAt, reference }) => ({ kind, amount, postedAt, ...(reference ? { reference } : {}) }));
  return {
    paid: { amount: due.amount, currency: due.currency, reference: payment.reference, paidAt, settles },
    entries: [ledgerEntry('PAYMENT', due.amount, due.currency, paidAt, payment.reference)],
  };
}

/**
 * The post-release payment recorded under a bank reference, as it was answered (a repeated
 * notification is answered with it, and pays nothing twice); none when the history has none.
 */
export function recordedBalancePayment(history: readonly { type: string; data: unknown }[], reference: string): BalancePayment | undefined {
  const event = history.find((e) => e.type === POST_CLEARANCE_PAYMENT && (e.data as BalancePayment).reference === reference);
  if (!event) return undefined;
  const { amount, currency, paidAt, settles } = event.data as BalancePayment;
  return { amount, currency, reference, paidAt, settles };
}
