import { z } from 'zod';
import type { Declaration } from '../declaration/model.js';
import type { Finding } from '../risk/inspection.js';
import { summarise, type DeclarationSummary } from '../risk/work-item.js';
import type { RecoveryCause, RefundInitiator } from '../tax/catalog.js';
import type { LimitationClock, RecoveryLateFee, RefundInterest } from './limitation.js';

/**
 * An audit case (issue 7): a released declaration selected for post-clearance audit, in the
 * auditors' queue until closed. The case is a projection — what happened on it is recorded in
 * the declaration's history (`AuditCaseOpened`, `AuditFindingsRecorded`, …), which stays the record.
 */
export const AuditCaseStatus = z.enum(['OPEN', 'CLOSED']);
export type AuditCaseStatus = z.infer<typeof AuditCaseStatus>;

/** What a recorded finding led to. */
export type AuditOutcome =
  | {
      kind: 'SUPPLEMENTARY_ASSESSMENT';
      /** The additional tax. */
      amount: string;
      currency: string;
      cause: RecoveryCause;
      clock: LimitationClock;
      lateFee?: RecoveryLateFee;
    }
  | {
      kind: 'REFUND';
      amount: string;
      currency: string;
      initiator: RefundInitiator;
      /** The day the taxpayer's written claim was lodged (TRADER_CLAIM). */
      claimLodgedOn?: string;
      clock: LimitationClock;
      interest?: RefundInterest;
    }
  | { kind: 'NO_TAX_EFFECT'; currency: string };

/** One piece of case work: the findings recorded under an auditor's reference and their outcome. */
export interface AuditAction {
  /** The auditor's reference (e.g. the number of the tax confirmation, 税额确认书): a repeat answers the first. */
  reference: string;
  auditor: string;
  at: string;
  outcome: AuditOutcome;
}

export interface AuditCase {
  id: string;
  declarationId: string;
  /** The declaration version released and selected. */
  version: number;
  status: AuditCaseStatus;
  jurisdiction: string;
  traderId: string;
  entryNumber?: string;
  openedAt: string;
  releasedOn: string;
  /** The last day to complete the case, inside the legal window. */
  dueOn: string;
  /** The last day the customs may audit (海关稽查条例 Art. 2), where a rule sets one. */
  auditWindowEndsOn?: string;
  /** The selection rules (`id@version`) that selected the declaration, and why in words. */
  selectedBy: string[];
  explanation: string;
  summary: DeclarationSummary;
  /** The tax assessed before release. */
  assessedTax: { amount: string; currency: string };
  /** The tax as the findings so far establish it. */
  establishedTax: { amount: string; currency: string };
  /** Every finding recorded so far, in order (a later finding on the same fact prevails). */
  findings: Finding[];
  actions: AuditAction[];
  updatedAt: string;
  closedAt?: string;
  conclusion?: string;
}

/** The case of a declaration version: one per released version selected. */
export const auditCaseId = (declarationId: string, version: number) => `AC-${declarationId}-${version}`;

/**
 * A new case for a declaration version selected at release: in the queue until closed, due as the
 * selection decided, with the tax assessed before release as the starting point of the findings.
 * @throws RangeError when the selection did not select it
 */
export function openAuditCase(input: {
  declarationId: string;
  version: number;
  declaration: Declaration;
  traderId: string;
  entryNumber?: string;
  tax: { amount: string; currency: string };
  selection: { selected: boolean; releasedOn: string; dueOn?: string; selectedBy: string[]; explanation: string };
  auditWindowEndsOn?: string;
  openedAt: string;
}): AuditCase {
  const { selection } = input;
  if (!selection.selected || !selection.dueOn) throw new RangeError(`Declaration ${input.declarationId} was not selected for audit`);
  return {
    id: auditCaseId(input.declarationId, input.version),
    declarationId: input.declarationId,
    version: input.version,
    status: 'OPEN',
    jurisdiction: input.declaration.jurisdiction,
    traderId: input.traderId,
    ...(input.entryNumber ? { entryNumber: input.entryNumber } : {}),
    openedAt: input.openedAt,
    releasedOn: selection.releasedOn,
    dueOn: selection.dueOn,
    ...(input.auditWindowEndsOn ? { auditWindowEndsOn: input.auditWindowEndsOn } : {}),
    selectedBy: selection.selectedBy,
    explanation: selection.explanation,
    summary: summarise(input.declaration),
    assessedTax: input.tax,
    establishedTax: input.tax,
    findings: [],
    actions: [],
    updatedAt: input.openedAt,
  };
}

/** A history event as the projection reads it. */
interface Recorded {
  type: string;
  actor: string;
  occurredAt: string;
  data: unknown;
}

/**
 * The case as the declaration's history makes it (the history is the record, the queue item a
 * projection): `AuditCaseOpened` gives its first state; each `AuditFindingsRecorded` adds its
 * findings and sets the tax they establish; `SupplementaryAssessmentIssued` / `RefundAssessed` say
 * what a reference led to; `TaxReassessed` (an amendment granted after release) moves an open case
 * to the new version and its tax; `AuditCaseClosed` closes it. Undefined when the history never opened it.
 */
export function projectCase(history: readonly Recorded[], caseId: string): AuditCase | undefined {
  let auditCase: AuditCase | undefined;
  for (const { type, actor, occurredAt, data: recorded } of history) {
    const data = recorded as Record<string, any>;
    if (type === 'AuditCaseOpened' && data.id === caseId) {
      auditCase = structuredClone(data) as AuditCase;
      continue;
    }
    if (type === 'DeclarationAmended' && auditCase?.status === 'OPEN' && data.afterRelease) {
      // The case goes on about the amended version (see TaxReassessed next): it shows what it now declares.
      auditCase.summary = summarise(data.declaration as Declaration);
      continue;
    }
    if (type === 'TaxReassessed' && auditCase?.status === 'OPEN') {
      // A correction granted after release is the declaration's next version, and the tax it
      // establishes is what the audit's findings are measured against (else the same shortfall
      // would be assessed twice); the case goes on about that version.
      Object.assign(auditCase, { version: data.version, establishedTax: data.total, updatedAt: occurredAt });
      continue;
    }
    if (!auditCase || data.caseId !== caseId) continue;
    if (type === 'AuditFindingsRecorded') {
      auditCase.findings.push(...(data.findings as Finding[]));
      auditCase.establishedTax = data.reassessed.total;
      auditCase.actions.push({ reference: data.reference, auditor: actor, at: occurredAt, outcome: { kind: 'NO_TAX_EFFECT', currency: data.reassessed.total.currency } });
    } else if (type === 'SupplementaryAssessmentIssued' || type === 'RefundAssessed') {
      const action = auditCase.actions.find((a) => a.reference === data.reference);
      const { caseId: _case, reference: _reference, ledgerEntries: _entries, ...outcome } = data;
      if (action) action.outcome = outcome as AuditOutcome;
    } else if (type === 'AuditCaseClosed') {
      Object.assign(auditCase, { status: 'CLOSED', closedAt: occurredAt, conclusion: data.conclusion });
    } else {
      continue;
    }
    auditCase.updatedAt = occurredAt;
  }
  return auditCase;
}
