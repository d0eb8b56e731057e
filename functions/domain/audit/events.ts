import { POST_CLEARANCE_PAYMENT } from '../payment/bank-payment.js';

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

/** A ledger entry as events carry it (`ledgerEntries`, a payment's `settles`), by what identifies it. */
const entryKey = (entry: { kind?: unknown; amount?: unknown; postedAt?: unknown; reference?: unknown }) =>
  JSON.stringify([entry.kind, entry.amount, entry.postedAt, entry.reference ?? null]);

/**
 * A history without its post-clearance audit work: the audit events, and a bank's payment after
 * release (`PostClearancePaymentReceived`) of what they assessed — its `settles` names their
 * ledger entries. A lifecycle replay does not redo audit work, so nothing it assessed is owed
 * there and its payment has nothing to answer; a payment of what an amendment granted after
 * release assessed stays (the replay applies the grant, then feeds the payment).
 */
export function withoutAuditWork<E extends { type: string; data: unknown }>(history: readonly E[]): E[] {
  const assessedByAudit = new Set(
    history
      .filter((e) => isAuditEvent(e.type))
      .flatMap((e) => ((e.data as { ledgerEntries?: object[] }).ledgerEntries ?? []).map(entryKey)),
  );
  const paysAuditWork = (e: E) =>
    e.type === POST_CLEARANCE_PAYMENT && ((e.data as { settles?: object[] }).settles ?? []).some((charge) => assessedByAudit.has(entryKey(charge)));
  return history.filter((e) => !isAuditEvent(e.type) && !paysAuditWork(e));
}
