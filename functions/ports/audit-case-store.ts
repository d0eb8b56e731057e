import type { AuditCase, AuditCaseStatus } from '../domain/audit/case.js';

/**
 * Audit cases (issue 7): the auditors' queue, by status, due soonest first. A case is a projection
 * of the declaration's history; the history stays the record.
 */
export interface AuditCaseStore {
  /** Opens a case; opening one that exists (a retried step) changes nothing. */
  open(auditCase: AuditCase): Promise<void>;
  get(id: string): Promise<AuditCase | undefined>;
  /** Replaces a case after work on it (the history was written first). */
  put(auditCase: AuditCase): Promise<void>;
  /** A status's cases, due soonest first. */
  list(status: AuditCaseStatus, limit: number): Promise<AuditCase[]>;
}
