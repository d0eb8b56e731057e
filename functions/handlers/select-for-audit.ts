import { auditCaseId, openAuditCase, type AuditCase } from '../domain/audit/case.js';
import { auditWindowEnd, caseDeadlines, clockFacts } from '../domain/audit/limitation.js';
import { overrideKinds } from '../domain/audit/overrides.js';
import { selectForAudit } from '../domain/audit/selection.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { jurisdictionCalendar } from '../domain/payment/index.js';
import { decisionsInHistory, type Channel, type CreditClass } from '../domain/risk/index.js';
import { TAX_CURRENCY } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { auditCaseStore, declarationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Post-clearance (workflow step): selects the released declaration for audit by the rules and
 * sampling in force on the release date, weighted by the risk the engine saw and the officers'
 * overrides of it, and opens an audit case due inside the legal window. The selection and the case
 * are history events (the case's first state is `AuditCaseOpened`'s data); the auditors' queue item
 * follows them, so a retried step finds them recorded and only makes sure the case is queued.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const history = await declarationStore().getHistory(input.declarationId);
  if (view.auditSelected !== undefined) {
    const opened = history.findLast((e) => e.type === 'AuditCaseOpened' && (e.data as unknown as AuditCase).id === auditCaseId(view.id, view.version));
    if (opened) await auditCaseStore().open(opened.data as unknown as AuditCase);
    return { selected: view.auditSelected };
  }

  const catalog = referenceCatalog();
  const { jurisdiction } = view.declaration;
  const facts = clockFacts(jurisdiction, legalDate(input.at, jurisdiction), view.payment);
  const screening = history.findLast((e) => e.type === 'RiskScreened')?.data as { channel: Channel; creditClass?: CreditClass } | undefined;
  const { isWorkingDay } = jurisdictionCalendar(catalog.payment.calendars, jurisdiction);
  const selection = selectForAudit(
    {
      declarationId: input.declarationId,
      declaration: view.declaration,
      releasedOn: facts.releasedOn,
      channel: screening?.channel ?? 'GREEN',
      creditClass: screening?.creditClass ?? 'REGULAR',
      overrides: [...new Set(decisionsInHistory(history).flatMap(overrideKinds))],
    },
    catalog.auditSelection,
    catalog.risk.seed,
    caseDeadlines(facts, catalog.tax.rules, isWorkingDay),
  );
  const auditWindowEndsOn = auditWindowEnd(jurisdiction, facts.releasedOn, catalog.tax.rules);
  const auditCase = selection.selected
    ? openAuditCase({
        declarationId: view.id,
        version: view.version,
        declaration: view.declaration,
        traderId: view.traderId,
        entryNumber: view.entryNumber,
        tax: view.taxTotal ?? { amount: '0.00', currency: TAX_CURRENCY[jurisdiction] },
        selection,
        auditWindowEndsOn,
        openedAt: input.at,
      })
    : undefined;
  await appendStep(
    input,
    view,
    [
      stepEvent(input, 'audit', 'AuditSelectionMade', { ...selection, ...(auditWindowEndsOn ? { auditWindowEndsOn } : {}) }),
      ...(auditCase ? [stepEvent(input, 'audit', 'AuditCaseOpened', { ...auditCase })] : []),
    ],
    { auditSelected: selection.selected, updatedAt: input.at },
  );
  if (auditCase) await auditCaseStore().open(auditCase);
  return { selected: selection.selected, ...(auditCase ? { caseId: auditCase.id } : {}) };
});
