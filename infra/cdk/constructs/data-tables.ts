import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { tables as tableModels, type TableModel } from '../../app-model.js';
import { tablePhysicalName } from '../naming.js';
import type { StageConfig } from '../stage-config.js';

export type TableKey = keyof typeof tableModels;

/**
 * The DynamoDB tables of the app model: on-demand, point-in-time recovery, encrypted with one
 * customer-managed key, GSIs and TTL as modelled; retained in prod.
 */
export class DataTables extends Construct {
  /** The customer-managed key the tables are encrypted with. */
  readonly key: Key;
  readonly tables: Record<TableKey, Table>;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = new Key(this, 'Key', {
      description: `Clearway ${config.stage}: DynamoDB tables at rest`,
      enableKeyRotation: true,
      removalPolicy,
      pendingWindow: Duration.days(config.retainData ? 30 : 7),
    });
    const entries = Object.entries(tableModels) as [TableKey, TableModel][];
    this.tables = Object.fromEntries(
      entries.map(([key, model]) => [key, this.table(key, model, config, removalPolicy)]),
    ) as Record<TableKey, Table>;
  }

  private table(key: TableKey, model: TableModel, config: StageConfig, removalPolicy: RemovalPolicy): Table {
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    const table = new Table(this, key, {
      tableName: tablePhysicalName(config.stage, model),
      partitionKey: stringKey(model.partitionKey),
      sortKey: model.sortKey ? stringKey(model.sortKey) : undefined,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      timeToLiveAttribute: model.timeToLiveAttribute,
      deletionProtection: config.retainData,
      removalPolicy,
    });
    for (const index of model.globalIndexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      });
    }
    return table;
  }
}
