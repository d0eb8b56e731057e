import { entryNumber, entrySequenceName } from '../domain/declaration/entry-number.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { isDutiable } from '../domain/declaration/model.js';
import { DeclarationRejectedError, ReferenceDataMissingError } from '../domain/errors.js';
import { bindTaxReference, TAX_CURRENCY } from '../domain/tax/index.js';
import { checkSecurityAccount, jurisdictionCalendar } from '../domain/payment/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Receipt (workflow step): checks what needs the reference data in force on the acceptance
 * date — a tariff line, VAT rate and exchange rate for every line (the FX reference date on the
 * interbank trading calendar), the guarantee or deferment account — pins those versions, and
 * gives the entry number and the legal acceptance time. A declaration that fails is rejected
 * with coded reasons (the workflow routes `DeclarationRejected`).
 *
 * An amended version keeps its entry number and its legal acceptance date — the customs debt
 * arises on acceptance of the declaration (UCC Art. 77(2); 关税法 Art. 20: the rates of the day
 * the declaration was completed) — and has the reference data of that date bound afresh for what
 * it now declares (a changed commodity code needs its own tariff line): `AmendmentAccepted`.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  // Accepted already: a retried step.
  if (view.status !== 'SUBMITTED') return { entryNumber: view.entryNumber, paymentMethod: view.declaration.payment.method };

  const { declaration } = view;
  const completedOn = view.completedOn ?? legalDate(input.at, declaration.jurisdiction);
  const catalog = referenceCatalog();
  const { isTradingDay } = jurisdictionCalendar(catalog.payment.calendars, declaration.jurisdiction);
  let binding;
  try {
    // A customs clearance request carries no value: nothing to bind, no tax to assess (categories.ts).
    binding = isDutiable(declaration) ? bindTaxReference(declaration, completedOn, catalog.tax, isTradingDay) : undefined;
  } catch (error) {
    if (error instanceof ReferenceDataMissingError) {
      throw new DeclarationRejectedError([
        { code: 'CWY-REF-001', message: error.message, pointer: error.pointer ?? '/items' },
      ]);
    }
    throw error;
  }
  // The account a secured payment draws on must exist, be the trader's own and fit the method.
  const { issues } = checkSecurityAccount(declaration, completedOn, catalog.payment.accounts, {
    taxCurrency: TAX_CURRENCY[declaration.jurisdiction],
    monthlyRuleInForce: binding?.rules['monthly-payment-deadline'] !== undefined,
  });
  if (issues.length > 0) throw new DeclarationRejectedError(issues);

  if (view.entryNumber) {
    await appendStep(
      input,
      view,
      [stepEvent(input, 'receipt', 'AmendmentAccepted', { version: input.version, entryNumber: view.entryNumber, completedOn, binding })],
      { status: 'ACCEPTED', taxBinding: binding, updatedAt: input.at },
    );
    return { entryNumber: view.entryNumber, paymentMethod: declaration.payment.method };
  }
  const year = Number(completedOn.slice(0, 4));
  const store = declarationStore();
  const number = entryNumber(declaration, year, await store.nextSequence(entrySequenceName(declaration, year)));
  await appendStep(
    input,
    view,
    [stepEvent(input, 'receipt', 'DeclarationAccepted', { entryNumber: number, acceptedAt: input.at, completedOn, binding })],
    { status: 'ACCEPTED', entryNumber: number, acceptedAt: input.at, completedOn, taxBinding: binding, updatedAt: input.at },
  );
  return { entryNumber: number, paymentMethod: declaration.payment.method };
});
