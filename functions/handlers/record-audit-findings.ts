import { AuditFindings, CASE_WORK_CODES, auditOutcome, outcomeEntries } from '../domain/audit/case-work.js';
import { clockFacts } from '../domain/audit/limitation.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { isDutiable } from '../domain/declaration/model.js';
import { CodedConflictError, ConflictError } from '../domain/errors.js';
import { jurisdictionCalendar, postToLedger } from '../domain/payment/index.js';
import { assessOnFindings } from '../domain/risk/index.js';
import type { TaxBinding } from '../domain/tax/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { auditCaseStore } from '../shared/dependencies.js';
import { auditEvent, caseInHand, recordCaseWork } from '../shared/audit-case-work.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /audits/cases/{id}/findings (auditor): records what the audit found — quantity, value,
 * classification, origin — reassesses the declaration on every finding of the case so far, and
 * issues what the difference calls for: a supplementary assessment (with the late fee from the day
 * of payment or release when the taxpayer is at fault) or a refund (with interest where the law in
 * force grants it), each checked against the limitation clock in force — out of time, it is refused
 * with CWY-AUD-001/002 and nothing is stored. The findings and their outcome are history events and
 * ledger entries. The same `reference` again answers what it led to the first time (200).
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const request = parseJsonBody(event, AuditFindings);
  const work = await caseInHand(event);
  const { auditCase, view } = work;
  const done = auditCase.actions.find((action) => action.reference === request.reference);
  if (done) {
    // The history has it: make sure the queue item does too (a crash may have come in between).
    await auditCaseStore().put(auditCase);
    return json(200, { caseId: auditCase.id, ...done, establishedTax: auditCase.establishedTax });
  }
  if (auditCase.status === 'CLOSED') throw new ConflictError(`Audit case ${auditCase.id} is closed`, '/id');
  if (view.status === 'CANCELLED') {
    throw new CodedConflictError(CASE_WORK_CODES.declarationCancelled, `Declaration ${view.id} was cancelled: its tax was withdrawn and there is nothing to reassess; close the case`, '/id');
  }
  if (!isDutiable(view.declaration)) throw new ConflictError(`Declaration ${view.id} is a customs clearance request: it declares no value to reassess`, '/findings');

  const catalog = referenceCatalog();
  const { jurisdiction } = view.declaration;
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const findings = [...auditCase.findings, ...request.findings];
  const reassessed = assessOnFindings(view.declaration, findings, catalog.tax, view.completedOn!, view.taxBinding as TaxBinding);
  const outcome = auditOutcome({
    established: auditCase.establishedTax.amount,
    reassessed: reassessed.total,
    currency: reassessed.currency,
    facts: clockFacts(jurisdiction, auditCase.releasedOn, view.payment),
    request,
    foundOn: legalDate(at, jurisdiction),
    rules: catalog.tax.rules,
    isWorkingDay: jurisdictionCalendar(catalog.payment.calendars, jurisdiction).isWorkingDay,
  });
  const entries = outcomeEntries(outcome, at, request.reference);
  const caseRef = { caseId: auditCase.id, reference: request.reference };
  const events = [
    auditEvent(event, principal, 'AuditFindingsRecorded', {
      ...caseRef,
      findings: request.findings,
      ...(request.cause ? { cause: request.cause } : {}),
      ...(request.claimLodgedOn ? { claimLodgedOn: request.claimLodgedOn } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.attachments ? { attachments: request.attachments } : {}),
      established: auditCase.establishedTax,
      reassessed: { total: { amount: reassessed.total, currency: reassessed.currency }, lines: reassessed.lines },
      outcome: outcome.kind,
    }),
  ];
  if (outcome.kind !== 'NO_TAX_EFFECT') {
    const type = outcome.kind === 'SUPPLEMENTARY_ASSESSMENT' ? 'SupplementaryAssessmentIssued' : 'RefundAssessed';
    events.push(auditEvent(event, principal, type, { ...caseRef, ...outcome, ledgerEntries: entries }));
  }
  const updated = await recordCaseWork(work, events, {
    ...(entries.length ? { ledger: postToLedger(view.ledger, entries) } : {}),
    updatedAt: at,
  });
  const action = updated.actions.find((a) => a.reference === request.reference)!;
  return json(201, { caseId: updated.id, ...action, establishedTax: updated.establishedTax, ledgerEntries: entries });
});
