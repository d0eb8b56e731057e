import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import type { AuditCase, AuditCaseStatus } from '../../domain/audit/case.js';
import type { AuditCaseStore } from '../../ports/audit-case-store.js';
import { createEntities, type Entities } from './entities.js';

/** AuditCaseStore on the main table: one item per case, the queue an index query by status (GSI2). */
export class DynamoAuditCaseStore implements AuditCaseStore {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async open(auditCase: AuditCase): Promise<void> {
    try {
      // Conditioned on the case not existing: a retried selection step never resets work done on it.
      await this.e.auditCase.build(PutItemCommand).item(auditCase).options({ condition: { attr: 'id', exists: false } }).send();
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error;
    }
  }

  async get(id: string): Promise<AuditCase | undefined> {
    const { Item } = await this.e.auditCase.build(GetItemCommand).key({ id }).options({ consistent: true }).send();
    if (!Item) return undefined;
    const { GSI2PK: _1, GSI2SK: _2, ...stored } = Item;
    return stored as AuditCase;
  }

  async put(auditCase: AuditCase): Promise<void> {
    await this.e.auditCase.build(PutItemCommand).item(auditCase).send();
  }

  async list(status: AuditCaseStatus, limit: number): Promise<AuditCase[]> {
    const { Items } = await this.e.table
      .build(QueryCommand)
      .entities(this.e.auditCase)
      .query({ index: 'byStatus', partition: `AUDITCASES#${status}` })
      .options({ limit })
      .send();
    return (Items ?? []).map(({ GSI2PK: _1, GSI2SK: _2, ...stored }) => stored as AuditCase);
  }
}
