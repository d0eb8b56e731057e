import type { ProfileVersion, RiskEvent, SampleOutcome, WorkItem, WorkItemStatus, WorkQueue } from '../../domain/risk/index.js';
import type { RiskStore } from '../../ports/risk-store.js';

/**
 * RiskStore in memory for the replay sandbox: work items and the risk log stay in the sandbox,
 * and the profile versions are the fixed set the replay pins (those approved when the
 * declaration was screened), read-only; the lane's unselected-hit counters read as the recorded
 * screening read them.
 */
export class MemoryRiskStore implements RiskStore {
  private readonly workItems = new Map<string, WorkItem>();
  private readonly log: RiskEvent[] = [];

  constructor(
    private readonly versions: readonly ProfileVersion[] = [],
    private readonly counters: Readonly<Record<string, number>> = {},
  ) {}

  async putWorkItem(item: WorkItem): Promise<void> {
    this.workItems.set(item.declarationId, structuredClone(item));
  }

  async getWorkItem(declarationId: string): Promise<WorkItem | undefined> {
    const item = this.workItems.get(declarationId);
    return item && structuredClone(item);
  }

  async listWorkItems(queue: WorkQueue, status: WorkItemStatus, limit: number): Promise<WorkItem[]> {
    return [...this.workItems.values()].filter((i) => i.queue === queue && i.status === status).slice(0, limit);
  }

  async logRiskEvent(_completedOn: string, _at: string, event: RiskEvent): Promise<void> {
    this.log.push(structuredClone(event));
  }

  async riskEvents(): Promise<RiskEvent[]> {
    return structuredClone(this.log);
  }

  async profileVersions(): Promise<ProfileVersion[]> {
    return structuredClone([...this.versions]);
  }

  async putProfileVersion(): Promise<void> {
    throw new Error('A replay sandbox does not administer risk profiles');
  }

  async unselectedHits(): Promise<Record<string, number>> {
    return { ...this.counters };
  }

  async recordSampleOutcomes(_lane: string, _outcomes: readonly SampleOutcome[]): Promise<void> {
    // The sandbox moves no live counter.
  }
}
