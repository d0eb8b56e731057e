import { assessDeclaration, type TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Tax assessment (workflow step): duty, consumption tax and VAT with the reference-data
 * versions pinned at acceptance. The tax notice — every line with base, rate, amount and the
 * rule versions — is a history event.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const assessment = assessDeclaration(view.declaration, referenceCatalog().tax, view.completedOn!, {
    binding: view.taxBinding as TaxBinding,
  });
  const taxTotal = { amount: assessment.total, currency: assessment.currency };
  await declarationStore().append(
    input.declarationId,
    [stepEvent(input, 'tax', 'TaxAssessed', {
      lines: assessment.lines,
      totals: assessment.totals,
      total: taxTotal,
      referenceVersions: assessment.referenceVersions,
      explanation: assessment.explanation,
    })],
    { status: 'ASSESSED', taxLines: assessment.lines, taxTotal, updatedAt: input.at },
  );
  return { total: taxTotal };
});
