import { legalDate } from '../domain/declaration/legal-date.js';
import { ConflictError, PaymentMismatchError } from '../domain/errors.js';
import { amountDue, Dec, resolveBinding, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { ledgerEntry, postToLedger, toMinorUnits } from '../domain/payment/index.js';
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
 * POST /declarations/{id}/payments (bank / e-payment callback). The amount must be the tax
 * notice plus any late fee accrued up to today (关税法 Art. 43: 0.05 % a day from the day after
 * the deadline). It pays a notice the workflow waits for, or taxes secured on an account (the
 * goods already released), whose hold it then releases. Both are ledger entries (late fee,
 * payment). A repeated notification with the same bank reference answers the first result,
 * never pays twice, and finishes a release the first one may not have completed.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const payment = parseJsonBody(event, PaymentNotice);
  const view = await visibleView(event, principal);
  const id = view.id;
  const store = declarationStore();
  if (view.payment) {
    if (view.payment.reference === payment.reference) {
      await releaseSecurity(view);
      return json(200, { id, payment: view.payment });
    }
    throw new ConflictError(`Declaration ${id} is already paid (reference ${view.payment.reference})`, '/reference');
  }
  const callback = await store.getCallback(id, 'payment');
  if ((!callback && !view.security) || !view.taxTotal || !view.paymentDeadline) {
    throw new ConflictError(`Declaration ${id} is not waiting for a payment (status ${view.status})`);
  }

  const paidAt = new Date(event.requestContext.timeEpoch).toISOString();
  const paidOn = legalDate(paidAt, view.declaration.jurisdiction);
  const lateFeeRule = resolveBinding(view.taxBinding as TaxBinding, referenceCatalog().tax).rules['late-fee'];
  const { due, lateFee } = amountDue(view.taxTotal.amount, view.paymentDeadline, paidOn, lateFeeRule);
  if (payment.currency !== view.taxTotal.currency) {
    throw new PaymentMismatchError(`Payment must be in ${view.taxTotal.currency}`, '/currency');
  }
  if (!new Dec(payment.amount).equals(due)) {
    throw new PaymentMismatchError(
      `Amount due is ${due} ${view.taxTotal.currency} (tax ${view.taxTotal.amount} + late fee ${lateFee.amount} for ${lateFee.days} days)`,
      '/amount',
    );
  }

  const settled = { method: 'IMMEDIATE', amount: due, currency: payment.currency, lateFee: lateFee.amount, reference: payment.reference, paidAt };
  const entries = [
    ...(new Dec(lateFee.amount).isZero() ? [] : [ledgerEntry('LATE_FEE', lateFee.amount, payment.currency, paidAt, payment.reference)]),
    ledgerEntry('PAYMENT', due, payment.currency, paidAt, payment.reference),
  ];
  const security = view.security && { ...view.security, releasedAt: paidAt };
  await store.append(
    id,
    [{
      // Who confirmed it: the bank's e-payment client, or an officer at the customs cashier.
      type: 'PaymentReceived', actor: `${principal.roles.includes('bank') ? 'bank' : 'officer'}:${principal.subject}`, correlationId: event.requestContext.requestId, occurredAt: paidAt,
      data: { ...settled, lateFeeDays: lateFee.days, ledgerEntries: entries, ...(security ? { releases: security.accountId } : {}) },
    }],
    // Secured goods are already released: their status stays; a waiting declaration is now paid.
    { ...(callback ? { status: 'PAID' as const } : {}), payment: settled, ledger: postToLedger(view.ledger, entries), security, updatedAt: paidAt },
  );
  await releaseSecurity(view);
  if (callback) {
    await lifecycleWorkflows().resume(callback.taskToken, { paid: true, reference: payment.reference });
    await store.takeCallback(id, 'payment');
  }
  return json(202, { id, payment: settled });
});
