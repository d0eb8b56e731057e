import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { $set, UpdateItemCommand, isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import type { Notification } from '../../domain/notification/index.js';
import { ValidationError } from '../../domain/errors.js';
import type { NotificationPage, NotificationStore, PushState, StoredNotification, Webhook } from '../../ports/notification-store.js';
import { createEntities, type Entities } from './entities.js';

/** NotificationStore on the main table: each organisation's notifications and webhook under `ORG#<org>`. */
export class DynamoNotificationStore implements NotificationStore {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async put(notification: Notification): Promise<boolean> {
    try {
      // attribute_not_exists: the same change reported twice (a retried step, a redelivered event) is stored once.
      await this.e.notification.build(PutItemCommand).item(notification).options({ condition: { attr: 'id', exists: false } }).send();
      return true;
    } catch (error) {
      if (isConditionCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(org: string, id: string): Promise<StoredNotification | undefined> {
    const { Item } = await this.e.notification.build(GetItemCommand).key({ org, id }).options({ consistent: true }).send();
    return Item ? strip(Item) : undefined;
  }

  async list(org: string, acknowledged: boolean, page: NotificationPage): Promise<{ items: StoredNotification[]; cursor?: string }> {
    const { Items, LastEvaluatedKey } = await this.e.table
      .build(QueryCommand)
      .entities(this.e.notification)
      // The index sorts by issue time first, so expired notifications are skipped by the key condition.
      .query({ index: 'byStatus', partition: `NOTIFY#${org}#${acknowledged ? 'ACKNOWLEDGED' : 'UNACKNOWLEDGED'}`, range: { gte: page.issuedFrom } })
      .options({
        limit: page.limit,
        ...(page.cursor ? { exclusiveStartKey: decodeCursor(page.cursor) } : {}),
        ...(page.declarationId ? { filters: { Notification: { attr: 'declarationId', eq: page.declarationId } } } : {}),
      })
      .send();
    return { items: (Items ?? []).map(strip), ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}) };
  }

  async acknowledge(org: string, id: string, at: string): Promise<StoredNotification | undefined> {
    const found = await this.get(org, id);
    if (!found || found.acknowledgedAt) return found;
    // Updates only the acknowledgement (and the index key derived from it), never a push recorded meanwhile.
    await this.e.notification
      .build(UpdateItemCommand)
      .item({ org, id, acknowledgedAt: at, GSI2PK: `NOTIFY#${org}#ACKNOWLEDGED` })
      .options({ condition: { attr: 'id', exists: true } })
      .send();
    return { ...found, acknowledgedAt: at };
  }

  async recordPush(org: string, id: string, push: PushState): Promise<void> {
    try {
      // $set: the push state replaces the previous one whole (a nested update would need the attribute to exist).
      await this.e.notification.build(UpdateItemCommand).item({ org, id, push: $set(push) }).options({ condition: { attr: 'id', exists: true } }).send();
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error;
    }
  }

  async putWebhook(webhook: Webhook): Promise<void> {
    await this.e.webhook.build(PutItemCommand).item(webhook).send();
  }

  async getWebhook(org: string): Promise<Webhook | undefined> {
    const { Item } = await this.e.webhook.build(GetItemCommand).key({ org }).options({ consistent: true }).send();
    return Item as Webhook | undefined;
  }

  async deleteWebhook(org: string): Promise<void> {
    await this.e.webhook.build(DeleteItemCommand).key({ org }).send();
  }
}

function strip(item: Record<string, unknown>): StoredNotification {
  const { GSI2PK: _1, GSI2SK: _2, ttl: _3, ...notification } = item;
  return notification as unknown as StoredNotification;
}

/** A page's last key as an opaque cursor (base64url JSON), and back. */
const encodeCursor = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (key && typeof key === 'object' && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // fall through: not a cursor this API gave
  }
  throw new ValidationError([{ code: 'CWY-REQ-003', message: 'cursor is not one this API gave', pointer: '/cursor' }]);
}
