import type { AuditCase, AuditCaseStatus } from '../../domain/audit/case.js';
import type { AuditCaseStore } from '../../ports/audit-case-store.js';

/** AuditCaseStore in memory: the replay sandbox's (a replayed selection opens its case there, not live). */
export class MemoryAuditCaseStore implements AuditCaseStore {
  private readonly cases = new Map<string, AuditCase>();

  async open(auditCase: AuditCase): Promise<void> {
    if (!this.cases.has(auditCase.id)) this.cases.set(auditCase.id, structuredClone(auditCase));
  }

  async get(id: string): Promise<AuditCase | undefined> {
    const found = this.cases.get(id);
    return found && structuredClone(found);
  }

  async put(auditCase: AuditCase): Promise<void> {
    this.cases.set(auditCase.id, structuredClone(auditCase));
  }

  async list(status: AuditCaseStatus, limit: number): Promise<AuditCase[]> {
    return [...this.cases.values()]
      .filter((c) => c.status === status)
      .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id))
      .slice(0, limit)
      .map((c) => structuredClone(c));
  }
}
