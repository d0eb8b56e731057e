import { z } from 'zod';
import { DecimalString } from '../domain/declaration/model.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { ConflictError, NotFoundError, PaymentMismatchError } from '../domain/errors.js';
import { computeLateFee, Dec, formatMoney, resolveBinding, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore, lifecycleWorkflows } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

const Payment = z.strictObject({
  amount: DecimalString,
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The bank's reference of the transfer: a repeated notification carries the same one. */
  reference: z.string().min(1).max(64),
});

/**
 * POST /declarations/{id}/payments (bank / e-payment callback). The amount must be the tax
 * notice plus any late fee accrued up to today (关税法 Art. 43: 0.05 % a day from the day after
 * the deadline). A repeated notification with the same bank reference answers the first
 * result and never pays twice.
 */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const payment = parseJsonBody(event, Payment);
  const store = declarationStore();
  const view = await store.getView(id);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  if (view.payment) {
    if (view.payment.reference === payment.reference) return json(200, { id, payment: view.payment });
    throw new ConflictError(`Declaration ${id} is already paid (reference ${view.payment.reference})`, '/reference');
  }
  const callback = await store.getCallback(id, 'payment');
  if (!callback || !view.taxTotal || !view.paymentDeadline) {
    throw new ConflictError(`Declaration ${id} is not waiting for a payment (status ${view.status})`);
  }

  const paidAt = new Date(event.requestContext.timeEpoch).toISOString();
  const paidOn = legalDate(paidAt, view.declaration.jurisdiction);
  const lateFeeRule = resolveBinding(view.taxBinding as TaxBinding, referenceCatalog().tax).rules['late-fee'];
  const lateFee = lateFeeRule ? computeLateFee(view.taxTotal.amount, view.paymentDeadline, paidOn, lateFeeRule) : { days: 0, amount: '0.00' };
  const due = formatMoney(new Dec(view.taxTotal.amount).plus(lateFee.amount));
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
  await store.append(
    id,
    [{ type: 'PaymentReceived', actor: 'bank', correlationId: event.requestContext.requestId, occurredAt: paidAt, data: { ...settled, lateFeeDays: lateFee.days } }],
    { status: 'PAID', payment: settled, updatedAt: paidAt },
  );
  await lifecycleWorkflows().resume(callback.taskToken, { paid: true, reference: payment.reference });
  await store.takeCallback(id, 'payment');
  return json(202, { id, payment: settled });
});
