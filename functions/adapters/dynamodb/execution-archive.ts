import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import type { ExecutionArchive } from '../../ports/execution-archive.js';
import { createEntities, declarationKey, type Entities } from './entities.js';

/** Archived execution histories next to the declaration's events (one item per page, gzipped). */
export class DynamoExecutionArchive implements ExecutionArchive {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async putPage(declarationId: string, executionName: string, page: number, eventsJson: string): Promise<void> {
    await this.e.executionPage.build(PutItemCommand).item({ declarationId, executionName, page, events: eventsJson }).send();
  }

  async pages(declarationId: string, executionName: string): Promise<string[]> {
    const pages: string[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const result = await this.e.table
        .build(QueryCommand)
        .entities(this.e.executionPage)
        .query({ partition: declarationKey(declarationId), range: { beginsWith: `SFNHIST#${executionName}#` } })
        .options({ consistent: true, exclusiveStartKey })
        .send();
      pages.push(...(result.Items ?? []).map((item) => item.events as string));
      exclusiveStartKey = result.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return pages;
  }
}
