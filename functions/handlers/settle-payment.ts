import { legalDayStart } from '../domain/declaration/legal-date.js';
import { addDays, paymentDeadline, resolveBinding, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { loadView, stepEvent, type StepInput } from '../shared/step.js';

/** Methods that secure the taxes at once, so the goods need not wait for the money. */
const SECURED = new Set(['DEFERMENT', 'GUARANTEE', 'MONTHLY']);

/**
 * Payment (workflow step). A deferment account or guarantee (WCO MethodCode E, CN 保函) and
 * monthly batch payment (关税法 Art. 43) settle at once; so does a notice with nothing to pay.
 * Otherwise a tax notice is issued with its legal deadline and the workflow waits for the bank.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const { method, account } = view.declaration.payment;
  const total = view.taxTotal ?? { amount: '0.00', currency: '' };
  const store = declarationStore();

  if (SECURED.has(method) || Number(total.amount) === 0) {
    const payment = { method, amount: total.amount, currency: total.currency, reference: account, paidAt: input.at };
    await store.append(input.declarationId, [stepEvent(input, 'payment', 'PaymentSettled', payment)], {
      status: 'PAID', payment, updatedAt: input.at,
    });
    return { settled: true };
  }

  const bound = resolveBinding(view.taxBinding as TaxBinding, referenceCatalog().tax);
  const rule = bound.rules['payment-deadline'];
  if (!rule) throw new Error(`No payment-deadline rule bound to declaration ${input.declarationId}`);
  // The tax notice is issued now, on the completion day (it matters under the pre-2024-12-01 rule).
  const deadline = paymentDeadline(view.completedOn!, view.completedOn!, rule);
  const overdueFrom = legalDayStart(addDays(deadline, 1), view.declaration.jurisdiction);
  await store.append(
    input.declarationId,
    [stepEvent(input, 'payment', 'TaxNoticeIssued', { amount: total.amount, currency: total.currency, deadline, overdueFrom, rule: `${rule.id}@${rule.version}` })],
    { paymentDeadline: deadline, updatedAt: input.at },
  );
  return { settled: false, deadline: overdueFrom };
});
