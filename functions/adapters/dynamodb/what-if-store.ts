import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { UpdateItemCommand, $add, $set, isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import type { WhatIfOutcome, WhatIfSummary } from '../../domain/audit/what-if.js';
import { ConflictError } from '../../domain/errors.js';
import type { WhatIfCampaign, WhatIfStore } from '../../ports/what-if-store.js';
import { createEntities, type Entities } from './entities.js';

/** What-if campaigns on the main table, in partitions of their own (`WHATIF#<id>`). */
export class DynamoWhatIfStore implements WhatIfStore {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async create(campaign: WhatIfCampaign): Promise<void> {
    try {
      await this.e.whatIfCampaign.build(PutItemCommand).item(campaign).options({ condition: { attr: 'status', exists: false } }).send();
    } catch (error) {
      if (isConditionCheckFailed(error)) throw new ConflictError(`What-if ${campaign.id} exists already`);
      throw error;
    }
  }

  async get(id: string): Promise<WhatIfCampaign | undefined> {
    const { Item } = await this.e.whatIfCampaign.build(GetItemCommand).key({ id }).options({ consistent: true }).send();
    return Item as WhatIfCampaign | undefined;
  }

  async setTotal(id: string, total: number): Promise<void> {
    await this.e.whatIfCampaign.build(UpdateItemCommand).item({ id, total }).send();
  }

  async putOutcome(id: string, outcome: WhatIfOutcome): Promise<void> {
    try {
      // Only a first outcome counts towards progress: a retried iteration finds it there.
      await this.e.whatIfOutcome
        .build(PutItemCommand)
        .item({ campaignId: id, declarationId: outcome.declarationId, outcome })
        .options({ condition: { attr: 'declarationId', exists: false } })
        .send();
    } catch (error) {
      if (isConditionCheckFailed(error)) return;
      throw error;
    }
    await this.e.whatIfCampaign.build(UpdateItemCommand).item({ id, done: $add(1) }).send();
  }

  async outcomes(id: string): Promise<WhatIfOutcome[]> {
    const outcomes: WhatIfOutcome[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.e.table
        .build(QueryCommand)
        .entities(this.e.whatIfOutcome)
        .query({ partition: `WHATIF#${id}`, range: { beginsWith: 'OUTCOME#' } })
        .options({ consistent: true, exclusiveStartKey })
        .send();
      outcomes.push(...(page.Items ?? []).map((item) => item.outcome as WhatIfOutcome));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return outcomes;
  }

  async finish(id: string, summary: WhatIfSummary): Promise<void> {
    await this.e.whatIfCampaign.build(UpdateItemCommand).item({ id, status: 'DONE', summary: $set(summary) }).send();
  }
}
