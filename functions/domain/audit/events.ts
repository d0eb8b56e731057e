/**
 * History events of post-clearance audit work (issue 7). Auditors append them to a declaration's
 * chain after its lifecycle; a lifecycle replay skips them (they are not what the workflow
 * decided). The selection itself — `AuditSelectionMade` and, when selected, `AuditCaseOpened` — is
 * a step of the lifecycle and is replayed like any other.
 */
export const AUDIT_EVENT_TYPES = [
  'AuditFindingsRecorded',
  'SupplementaryAssessmentIssued',
  'RefundAssessed',
  'AuditCaseClosed',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

const TYPES = new Set<string>(AUDIT_EVENT_TYPES);

/** True for an event of post-clearance audit work. */
export const isAuditEvent = (type: string): boolean => TYPES.has(type);
