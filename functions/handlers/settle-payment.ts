import { legalDate, legalDayStart } from '../domain/declaration/legal-date.js';
import {
  drawsOnAccount,
  jurisdictionCalendar,
  ledgerEntry,
  outstandingAssessment,
  postToLedger,
  statementPeriod,
  taxNoticeDue,
  toMinorUnits,
} from '../domain/payment/index.js';
import { addDays, Dec, formatMoney, pickInForce, resolveBinding, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { securityAccounts } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Payment (workflow step). A notice with nothing to pay settles at once. A guarantee, deferment
 * account or monthly batch payment (关税法 Art. 43) secures the taxes on the trader's account with
 * one conditional debit, and the goods go on to release; the tax stays on the ledger until the
 * bank pays it (the hold is then released). Otherwise — immediate payment, or an account without
 * room (`insufficientGuarantee`) — a tax notice is issued with its legal deadline and the
 * workflow waits for the bank. What is due is the declaration's ledger balance: for a later version
 * (an amendment withdrew the previous notice) what was already paid counts against it, and
 * nothing is due when it covers the new notice.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const { declaration } = view;
  const { method } = declaration.payment;
  const total = view.taxTotal ?? { amount: '0.00', currency: '' };

  if (new Dec(total.amount).isZero()) {
    const payment = { method, amount: total.amount, currency: total.currency, reference: declaration.payment.account, paidAt: input.at };
    await appendStep(input, view, [stepEvent(input, 'payment', 'PaymentSettled', payment)], {
      status: 'PAID', payment, updatedAt: input.at,
    });
    return { settled: true, insufficientGuarantee: false };
  }

  const catalog = referenceCatalog();
  const { rules } = resolveBinding(view.taxBinding as TaxBinding, catalog.tax);
  const { isWorkingDay } = jurisdictionCalendar(catalog.payment.calendars, declaration.jurisdiction);
  // The tax notice is issued today: it starts the period under the pre-2024-12-01 rule.
  const noticeOn = legalDate(input.at, declaration.jurisdiction);
  const assessment = ledgerEntry('ASSESSMENT', total.amount, total.currency, input.at, view.entryNumber);
  // A retried step (the debit is idempotent) must not post the assessment twice: this version's
  // notice is outstanding once posted (an amendment withdraws the previous version's).
  const ledger = outstandingAssessment(view.ledger).isZero() ? postToLedger(view.ledger, [assessment]) : view.ledger!;
  const balance = new Dec(ledger.balance);
  if (!balance.isPositive() || balance.isZero()) {
    // Paid already on an earlier version; a negative balance is owed back to the trader.
    const payment = { method, amount: '0.00', currency: total.currency, reference: declaration.payment.account, paidAt: input.at };
    await appendStep(input, view, [stepEvent(input, 'payment', 'PaymentSettled', { ...payment, balance: ledger.balance, ledgerEntries: [assessment] })], {
      status: 'PAID', payment, ledger, updatedAt: input.at,
    });
    return { settled: true, insufficientGuarantee: false };
  }
  const amountDue = formatMoney(balance);

  let insufficient: Record<string, unknown> | undefined;
  if (drawsOnAccount(method)) {
    const batch = method === 'MONTHLY';
    const due = taxNoticeDue(batch, view.completedOn!, noticeOn, rules, isWorkingDay);
    // Receipt checked the account; it is looked up again on the same completion date.
    const account = pickInForce(catalog.payment.accounts, view.completedOn!, (a) => a.id === declaration.payment.account);
    if (!account) throw new Error(`Account ${declaration.payment.account} of declaration ${input.declarationId} vanished after receipt`);
    const accounts = securityAccounts();
    const debit = await accounts.debit(account.id, input.declarationId, toMinorUnits(amountDue), toMinorUnits(account.limit));
    if (debit === 'DEBITED') {
      const security = {
        method, accountId: account.id, amount: amountDue, currency: total.currency, securedAt: input.at,
        ...(batch ? { statementPeriod: statementPeriod(view.completedOn!) } : {}),
      };
      await appendStep(
        input,
        view,
        [stepEvent(input, 'payment', 'PaymentSettled', {
          ...security, secured: true, reference: account.id, account: `${account.id}@${account.version}`,
          deadline: due.deadline, rule: due.rule, ledgerEntries: [assessment],
        })],
        { status: 'SECURED', security, paymentDeadline: due.deadline, ledger, updatedAt: input.at },
      );
      return { settled: true, insufficientGuarantee: false };
    }
    const available = new Dec(account.limit).minus(new Dec(await accounts.inUse(account.id)).div(100));
    insufficient = { accountId: account.id, amount: amountDue, available: available.toFixed(2), currency: total.currency };
  }

  // Immediate payment, or an account without room: the bank pays the notice within the period.
  const due = taxNoticeDue(false, view.completedOn!, noticeOn, rules, isWorkingDay);
  const overdueFrom = legalDayStart(addDays(due.deadline, 1), declaration.jurisdiction);
  await appendStep(
    input,
    view,
    [
      ...(insufficient ? [stepEvent(input, 'payment', 'GuaranteeInsufficient', insufficient)] : []),
      stepEvent(input, 'payment', 'TaxNoticeIssued', {
        amount: amountDue, currency: total.currency, deadline: due.deadline, overdueFrom, rule: due.rule, ledgerEntries: [assessment],
      }),
    ],
    { paymentDeadline: due.deadline, ledger, updatedAt: input.at },
  );
  return { settled: false, deadline: overdueFrom, insufficientGuarantee: insufficient !== undefined };
});
