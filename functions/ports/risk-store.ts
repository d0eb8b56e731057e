import type { ProfileVersion, RiskEvent, SampleOutcome, WorkItem, WorkItemStatus, WorkQueue } from '../domain/risk/index.js';

/**
 * Officer work and the risk log (issue 6): work items by queue and status, and the screenings
 * and outcomes measurement reads, partitioned by the declarations' completion date.
 */
export interface RiskStore {
  /** Creates or replaces the declaration's work item (one per declaration). */
  putWorkItem(item: WorkItem): Promise<void>;
  getWorkItem(declarationId: string): Promise<WorkItem | undefined>;
  /** A queue's items in one status, oldest first. */
  listWorkItems(queue: WorkQueue, status: WorkItemStatus, limit: number): Promise<WorkItem[]>;
  /**
   * Copies a risk event of a declaration completed on `completedOn` into the log; `at` orders
   * the declaration's events, and writing the same event again (a retried step) changes nothing.
   */
  logRiskEvent(completedOn: string, at: string, event: RiskEvent): Promise<void>;
  /** Every logged event of the declarations completed from `from` to `to` (inclusive), per declaration in order. */
  riskEvents(from: string, to: string): Promise<RiskEvent[]>;
  /** Every stored risk profile version, drafts and approved. */
  profileVersions(): Promise<ProfileVersion[]>;
  /**
   * Stores a profile version: a new draft only if its version is free, an approval only over
   * the draft it approves — otherwise ConflictError (someone else moved first).
   */
  putProfileVersion(version: ProfileVersion, expected: 'new' | 'draft'): Promise<void>;
  /** A lane version's (`id@version`) counters of SAMPLE hits let through unselected in a row, by `profileId@version`. */
  unselectedHits(lane: string): Promise<Record<string, number>>;
  /**
   * Moves the lane's counters after a screening: a selected hit resets its profile's counter, an
   * unselected one adds one — atomically, so concurrent screenings never lose a count.
   */
  recordSampleOutcomes(lane: string, outcomes: readonly SampleOutcome[]): Promise<void>;
}
