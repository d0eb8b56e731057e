import { legalDate } from '../domain/declaration/legal-date.js';
import { amountDue, Dec, resolveBinding, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import {
  POST_CLEARANCE_PAYMENT,
  assertPaysExactly,
  ledgerEntry,
  payBalance,
  paymentDue,
  postToLedger,
  recordedBalancePayment,
  toMinorUnits,
} from '../domain/payment/index.js';
import type { DeclarationView } from '../ports/declaration-store.js';
import { declarationStore, lifecycleWorkflows, securityAccounts } from '../shared/dependencies.js';
import { visibleView } from '../shared/visible-view.js';
import { parseJsonBody } from '../shared/http-input.js';
import { PaymentNotice } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';


/** Gives the guarantee or deferment account back the room the declaration's taxes held (idempotent). */
async function releaseSecurity(view: DeclarationView): Promise<void> {
  if (!view.security) return;
  await securityAccounts().credit(view.security.accountId, view.id, toMinorUnits(view.security.amount));
}

/**
 * POST /declarations/{id}/payments (bank / e-payment callback). What it may pay is decided on the
 * declaration as it stands (`paymentDue`): the tax notice plus any late fee accrued up to today
 * (关税法 Art. 43: 0.05 % a day from the day after the deadline) — one the workflow waits for, or
 * taxes secured on an account (the goods already released), whose hold it then releases — or,
 * after release, exactly the ledger balance post-clearance work left (a supplementary assessment
 * and its late fee), which resumes nothing. Nothing is taken when nothing is owed (a cancelled
 * declaration, a settled one), nor when the trader is owed a refund (CWY-PAY-007). Each payment
 * is a ledger entry (and a late fee) and a history event. A repeated notification with the same
 * bank reference answers the first result, never pays twice, and finishes a release the first one
 * may not have completed.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const payment = parseJsonBody(event, PaymentNotice);
  const view = await visibleView(event, principal);
  const id = view.id;
  const store = declarationStore();
  if (view.payment?.reference === payment.reference) {
    await releaseSecurity(view);
    return json(200, { id, payment: view.payment });
  }
  if (view.ledger?.entries.some((entry) => entry.kind === 'PAYMENT' && entry.reference === payment.reference)) {
    const first = recordedBalancePayment(await store.getHistory(id), payment.reference);
    if (first) return json(200, { id, payment: first });
  }
  const callback = await store.getCallback(id, 'payment');
  const due = paymentDue({ ...view, workflowWaits: callback !== undefined });
  const paidAt = new Date(event.requestContext.timeEpoch).toISOString();
  // Who confirmed it: the bank's e-payment client, or an officer at the customs cashier.
  const confirmedBy = { actor: `${principal.roles.includes('bank') ? 'bank' : 'officer'}:${principal.subject}`, correlationId: event.requestContext.requestId, occurredAt: paidAt };

  if (due.kind === 'BALANCE') {
    // After release the lifecycle has ended: like secured goods paid after release, the payment
    // resumes no workflow and the status stays; see POST_CLEARANCE_PAYMENT for why it is an event
    // of its own. Written only over the history it was decided on (a concurrent payment retries
    // and is answered by its reference, or finds nothing owed).
    const { paid, entries } = payBalance(due, payment, paidAt);
    await store.append(
      id,
      [{ type: POST_CLEARANCE_PAYMENT, ...confirmedBy, data: { ...paid, balanceBefore: due.amount, ledgerEntries: entries } }],
      { ledger: postToLedger(view.ledger, entries), updatedAt: paidAt },
      { expectedVersion: view.version, expectedHeadSeq: view.headSeq },
    );
    return json(202, { id, payment: paid });
  }

  const taxTotal = view.taxTotal!;
  const paidOn = legalDate(paidAt, view.declaration.jurisdiction);
  const lateFeeRule = resolveBinding(view.taxBinding as TaxBinding, referenceCatalog().tax).rules['late-fee'];
  const { due: owed, lateFee } = amountDue(taxTotal.amount, view.paymentDeadline!, paidOn, lateFeeRule);
  assertPaysExactly(payment, { amount: owed, currency: taxTotal.currency }, `tax ${taxTotal.amount} + late fee ${lateFee.amount} for ${lateFee.days} days`);

  // The method the declaration chose: paid at once, or the notice of goods secured on an account.
  const settled = { method: view.declaration.payment.method, amount: owed, currency: payment.currency, lateFee: lateFee.amount, reference: payment.reference, paidAt };
  const entries = [
    ...(new Dec(lateFee.amount).isZero() ? [] : [ledgerEntry('LATE_FEE', lateFee.amount, payment.currency, paidAt, payment.reference)]),
    ledgerEntry('PAYMENT', owed, payment.currency, paidAt, payment.reference),
  ];
  const security = view.security && { ...view.security, releasedAt: paidAt };
  await store.append(
    id,
    [{
      type: 'PaymentReceived', ...confirmedBy,
      data: { ...settled, lateFeeDays: lateFee.days, ledgerEntries: entries, ...(security ? { releases: security.accountId } : {}) },
    }],
    // Secured goods are already released: their status stays; a waiting declaration is now paid.
    { ...(due.resumesWorkflow ? { status: 'PAID' as const } : {}), payment: settled, ledger: postToLedger(view.ledger, entries), security, updatedAt: paidAt },
  );
  await releaseSecurity(view);
  if (due.resumesWorkflow && callback) {
    await lifecycleWorkflows().resume(callback.taskToken, { paid: true, reference: payment.reference });
    await store.takeCallback(id, 'payment');
  }
  return json(202, { id, payment: settled });
});
