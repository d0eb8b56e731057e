import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { $add, UpdateItemCommand, isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { ConflictError, ValidationError } from '../../domain/errors.js';
import type { ProfileVersion, RiskEvent, SampleOutcome, WorkItem, WorkItemStatus, WorkQueue } from '../../domain/risk/index.js';
import type { RiskStore } from '../../ports/risk-store.js';
import { createEntities, type Entities } from './entities.js';

/** Longest report period: one query per day, so a year bounds the cost of a report. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/** RiskStore on the main table (work items next to their declaration, the risk log by day). */
export class DynamoRiskStore implements RiskStore {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async putWorkItem(item: WorkItem): Promise<void> {
    await this.e.workItem.build(PutItemCommand).item(item).send();
  }

  async getWorkItem(declarationId: string): Promise<WorkItem | undefined> {
    const { Item } = await this.e.workItem.build(GetItemCommand).key({ declarationId }).options({ consistent: true }).send();
    if (!Item) return undefined;
    const { GSI2PK: _1, GSI2SK: _2, ...workItem } = Item;
    return workItem as WorkItem;
  }

  async listWorkItems(queue: WorkQueue, status: WorkItemStatus, limit: number): Promise<WorkItem[]> {
    const { Items } = await this.e.table
      .build(QueryCommand)
      .entities(this.e.workItem)
      .query({ index: 'byStatus', partition: `QUEUE#${queue}#${status}` })
      .options({ limit })
      .send();
    return (Items ?? []).map(({ GSI2PK: _1, GSI2SK: _2, ...workItem }) => workItem as WorkItem);
  }

  async logRiskEvent(completedOn: string, at: string, event: RiskEvent): Promise<void> {
    await this.e.riskLog.build(PutItemCommand).item({ completedOn, at, ...event }).send();
  }

  async riskEvents(from: string, to: string): Promise<RiskEvent[]> {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (!(end >= start) || (end - start) / DAY_MS >= MAX_DAYS) {
      throw new ValidationError([{ code: 'CWY-REQ-002', message: `the period must run forward and span at most ${MAX_DAYS} days`, pointer: '/to' }]);
    }
    const events: RiskEvent[] = [];
    for (let day = start; day <= end; day += DAY_MS) {
      const partition = `RISKLOG#${new Date(day).toISOString().slice(0, 10)}`;
      let exclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.e.table
          .build(QueryCommand)
          .entities(this.e.riskLog)
          .query({ partition })
          .options({ exclusiveStartKey })
          .send();
        events.push(...(page.Items ?? []).map(({ declarationId, type, data }) => ({ declarationId, type, data }) as RiskEvent));
        exclusiveStartKey = page.LastEvaluatedKey;
      } while (exclusiveStartKey);
    }
    return events;
  }

  async profileVersions(): Promise<ProfileVersion[]> {
    const versions: ProfileVersion[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.e.table
        .build(QueryCommand)
        .entities(this.e.riskProfile)
        .query({ partition: 'RISKPROFILE' })
        .options({ consistent: true, exclusiveStartKey })
        .send();
      versions.push(...(page.Items ?? []).map(({ profileId: _id, version: _v, ...stored }) => stored as ProfileVersion));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return versions;
  }

  async putProfileVersion(version: ProfileVersion, expected: 'new' | 'draft'): Promise<void> {
    const { profile } = version;
    try {
      await this.e.riskProfile
        .build(PutItemCommand)
        .item({ profileId: profile.id, version: profile.version, ...version })
        .options({ condition: expected === 'new' ? { attr: 'status', exists: false } : { attr: 'status', eq: 'DRAFT' } })
        .send();
    } catch (error) {
      if (isConditionCheckFailed(error)) throw new ConflictError(`${profile.id} v${profile.version} changed concurrently; read it again`);
      throw error;
    }
  }

  async unselectedHits(lane: string): Promise<Record<string, number>> {
    const counters: Record<string, number> = {};
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.e.table
        .build(QueryCommand)
        .entities(this.e.sampleCounter)
        .query({ partition: `RISKLANE#${lane}` })
        .options({ consistent: true, exclusiveStartKey })
        .send();
      for (const { profile, unselected } of page.Items ?? []) counters[profile] = unselected;
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return counters;
  }

  async recordSampleOutcomes(lane: string, outcomes: readonly SampleOutcome[]): Promise<void> {
    await Promise.all(
      outcomes.map(({ profile, selected }) =>
        selected
          ? this.e.sampleCounter.build(PutItemCommand).item({ lane, profile, unselected: 0 }).send()
          : this.e.sampleCounter.build(UpdateItemCommand).item({ lane, profile, unselected: $add(1) }).send(),
      ),
    );
  }
}
