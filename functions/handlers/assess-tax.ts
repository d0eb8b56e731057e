import { assessOnFindings, type Finding } from '../domain/risk/index.js';
import { isDutiable } from '../domain/declaration/model.js';
import { assessDeclaration, TAX_CURRENCY, type TaxBinding } from '../domain/tax/index.js';
import { Dec, formatMoney } from '../domain/tax/money.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore, riskStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';
import type { DeclarationView } from '../ports/declaration-store.js';

/**
 * Tax assessment (workflow step): duty, consumption tax and VAT with the reference-data
 * versions pinned at acceptance. The tax notice — every line with base, rate, amount and the
 * rule versions — is a history event. After an inspection discrepancy the tax is assessed on
 * the facts the officer found, and the difference to the declared facts is the revenue found.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const { tax } = referenceCatalog();
  if (!isDutiable(view.declaration)) return notAssessed(input, view);
  const findings = view.channel && view.channel !== 'GREEN' ? await discrepancyFindings(input.declarationId) : [];
  const pinned = { binding: view.taxBinding as TaxBinding };
  const assessment = assessOnFindings(view.declaration, findings, tax, view.completedOn!, pinned.binding);
  const taxTotal = { amount: assessment.total, currency: assessment.currency };
  const revenueFound = findings.length
    ? { amount: formatMoney(new Dec(assessment.total).minus(assessDeclaration(view.declaration, tax, view.completedOn!, pinned).total)), currency: assessment.currency }
    : undefined;
  await appendStep(
    input,
    view,
    [stepEvent(input, 'tax', 'TaxAssessed', {
      lines: assessment.lines,
      totals: assessment.totals,
      total: taxTotal,
      referenceVersions: assessment.referenceVersions,
      explanation: assessment.explanation,
      ...(revenueFound ? { amendedBy: findings, revenueFound } : {}),
    })],
    { status: 'ASSESSED', taxLines: assessment.lines, taxTotal, updatedAt: input.at },
  );
  if (revenueFound) {
    await riskStore().logRiskEvent(view.completedOn!, input.at, { declarationId: input.declarationId, type: 'TaxAssessed', data: { revenueFound } });
  }
  return { total: taxTotal };
});

/**
 * A customs clearance request (C21i) is not assessed: the goods leave the inventory and the
 * duties are declared on the supplementary declaration (see domain/declaration/categories.ts).
 * The notice records that, with a zero total, so payment settles at once.
 */
async function notAssessed(input: StepInput, view: DeclarationView) {
  const total = { amount: '0.00', currency: TAX_CURRENCY[view.declaration.jurisdiction] };
  await appendStep(
    input,
    view,
    [stepEvent(input, 'tax', 'TaxAssessed', {
      lines: [],
      total,
      explanation: ['Customs clearance request (C21i): no tax is assessed; duties are declared on the supplementary declaration.'],
    })],
    { status: 'ASSESSED', taxLines: [], taxTotal: total, updatedAt: input.at },
  );
  return { total };
}

/** The findings of the current version's last inspection when it found a discrepancy; none otherwise. */
async function discrepancyFindings(declarationId: string): Promise<Finding[]> {
  const history = await declarationStore().getHistory(declarationId);
  // An inspection of an earlier version says nothing about the amended one.
  const since = history.findLastIndex((event) => event.type === 'DeclarationAmended');
  const inspection = history.slice(since + 1).findLast((event) => event.type === 'InspectionRecorded');
  const data = inspection?.data as { result: string; findings: Finding[] } | undefined;
  return data?.result === 'DISCREPANCY' ? data.findings : [];
}
