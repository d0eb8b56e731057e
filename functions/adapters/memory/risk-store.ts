import type { ProfileVersion, RiskEvent, SampleOutcome, WorkItem, WorkItemStatus, WorkQueue } from '../../domain/risk/index.js';
import type { RiskStore } from '../../ports/risk-store.js';

/**
 * RiskStore in memory for the replay sandbox: work items and the risk log stay in the sandbox,
 * and the profile versions are those the replay pins (the ones approved when the declaration was
 * screened), read-only; a lane's unselected-hit counters read as the recorded screenings read
 * them, one screening after the other (each version of an amended declaration is screened anew).
 */
export class MemoryRiskStore implements RiskStore {
  private readonly workItems = new Map<string, WorkItem>();
  private readonly log: RiskEvent[] = [];
  private readonly counterReadings: Map<string, Record<string, number>[]>;

  /**
   * @param versions the profile versions a screening reads, asked when it reads them
   * @param counterReadings per lane (`id@version`), the counters each recorded screening read, in order
   */
  constructor(
    private readonly versions: () => readonly ProfileVersion[] = () => [],
    counterReadings: Readonly<Record<string, Record<string, number>[]>> = {},
  ) {
    this.counterReadings = new Map(Object.entries(structuredClone(counterReadings)));
  }

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
    return structuredClone([...this.versions()]);
  }

  async putProfileVersion(): Promise<void> {
    throw new Error('A replay sandbox does not administer risk profiles');
  }

  async unselectedHits(lane: string): Promise<Record<string, number>> {
    const readings = this.counterReadings.get(lane) ?? [];
    // A screening beyond those recorded (the replay diverged) reads what the last one read.
    return { ...(readings.length > 1 ? readings.shift() : readings[0]) };
  }

  async recordSampleOutcomes(_lane: string, _outcomes: readonly SampleOutcome[]): Promise<void> {
    // The sandbox moves no live counter.
  }
}
