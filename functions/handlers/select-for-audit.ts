import { selectForAudit } from '../domain/audit/selection.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/** Post-clearance (workflow step): draws released declarations for audit by the sampling rule in force. */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const catalog = referenceCatalog();
  const releasedOn = legalDate(input.at, view.declaration.jurisdiction);
  const selection = selectForAudit(input.declarationId, releasedOn, catalog.auditSampling, catalog.risk.seed);
  await appendStep(
    input,
    [stepEvent(input, 'audit', 'AuditSelectionMade', { ...selection })],
    { auditSelected: selection.selected, updatedAt: input.at },
  );
  return { selected: selection.selected };
});
