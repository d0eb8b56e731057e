import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SecurityAccounts } from '../../ports/security-accounts.js';

/**
 * Account balances on the single table: `PK=ACCOUNT#<id>`, `SK=BALANCE`, with `inUse` (minor
 * units) and `holders` (a string set of the declarations holding part of it).
 *
 * Each debit and credit is ONE conditional UpdateItem: DynamoDB evaluates the condition and
 * applies the update atomically on the item, so two declarations drawing on the same account
 * at once can never take it past its limit — no read-modify-write race, and no transaction
 * (dynalite has none). See the DynamoDB Developer Guide, "Condition expressions" (a failed
 * condition writes nothing and raises ConditionalCheckFailedException) and "Atomic counters"
 * (`SET n = n + :x`). Conditions cannot do arithmetic, so the caller's `limit - amount` is
 * passed as the highest `inUse` that still leaves room.
 */
export class DynamoSecurityAccounts implements SecurityAccounts {
  constructor(private readonly client: DynamoDBDocumentClient, private readonly tableName: string) {}

  private key(accountId: string) {
    return { PK: `ACCOUNT#${accountId}`, SK: 'BALANCE' };
  }

  async debit(accountId: string, holder: string, amount: number, limit: number): Promise<'DEBITED' | 'INSUFFICIENT'> {
    const headroom = limit - amount;
    if (headroom < 0) return 'INSUFFICIENT';
    try {
      await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(accountId),
        UpdateExpression: 'SET inUse = if_not_exists(inUse, :zero) + :amount ADD holders :holderSet',
        ConditionExpression: '(attribute_not_exists(inUse) OR inUse <= :headroom) AND NOT contains(holders, :holder)',
        ExpressionAttributeValues: { ':zero': 0, ':amount': amount, ':headroom': headroom, ':holder': holder, ':holderSet': new Set([holder]) },
      }));
      return 'DEBITED';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Either the account has no room, or this declaration's hold is already there (a retried step).
      return (await this.holders(accountId)).has(holder) ? 'DEBITED' : 'INSUFFICIENT';
    }
  }

  async credit(accountId: string, holder: string, amount: number): Promise<'CREDITED' | 'NOT_HELD'> {
    try {
      await this.client.send(new UpdateCommand({
        TableName: this.tableName,
        Key: this.key(accountId),
        UpdateExpression: 'SET inUse = inUse - :amount DELETE holders :holderSet',
        ConditionExpression: 'contains(holders, :holder)',
        ExpressionAttributeValues: { ':amount': amount, ':holder': holder, ':holderSet': new Set([holder]) },
      }));
      return 'CREDITED';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'NOT_HELD';
      throw error;
    }
  }

  async inUse(accountId: string): Promise<number> {
    return Number((await this.item(accountId))?.inUse ?? 0);
  }

  private async holders(accountId: string): Promise<Set<string>> {
    return new Set((await this.item(accountId))?.holders as Set<string> | undefined);
  }

  private async item(accountId: string) {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: this.key(accountId), ConsistentRead: true }));
    return Item;
  }
}
