/**
 * History events of post-clearance audit work (issue 7). They are appended to a declaration's
 * chain after its lifecycle, by auditors, and are not part of what a lifecycle replay re-runs.
 */
export const AUDIT_EVENT_TYPES = [
  'AuditCaseOpened',
  'AuditFindingsRecorded',
  'SupplementaryAssessmentIssued',
  'RefundAssessed',
  'AuditActionRefused',
  'AuditCaseClosed',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

const TYPES = new Set<string>(AUDIT_EVENT_TYPES);

/** True for an event of post-clearance audit work. */
export const isAuditEvent = (type: string): boolean => TYPES.has(type);
