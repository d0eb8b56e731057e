import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import dynalite from 'dynalite';
import {
  CreateTableCommand,
  ResourceInUseException,
  type AttributeDefinition,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../../app-model.js';
import { closeDynaliteIterators } from './iterator-fix.js';
import { countDynamoRequest, installDynamoMeter } from './meter.js';

/** dynalite, in memory (`path` undefined) or on LevelDB under `path`, serving DynamoDB's JSON API. */
export interface LocalDynamo {
  /** Handles one DynamoDB JSON API request (routed here by the local AWS endpoint). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

/**
 * Starts dynalite; the local endpoint forwards DynamoDB requests to it in-process.
 *
 * dynalite closes its LevelDB store only from its server's `close`, and Node refuses to close a
 * server that never listened (ERR_SERVER_NOT_RUNNING) before dynalite gets to the store, which
 * would keep the LevelDB lock and make an in-process restart on the same data directory fail.
 * So the server listens on an ephemeral loopback port that nothing else uses.
 */
export async function startDynalite(path?: string): Promise<LocalDynamo> {
  if (path) mkdirSync(path, { recursive: true });
  installDynamoMeter();
  closeDynaliteIterators();
  const server: Server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    handle: (req, res) => {
      countDynamoRequest(String(req.headers['x-amz-target'] ?? ''));
      server.emit('request', req, res);
    },
    close: () => new Promise((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * Creates the app model's tables (on-demand, as on AWS); tables that exist are left as they are.
 * TTL is not declared: dynalite has no UpdateTimeToLive (STACK-NOTES), so expiry is AWS-only.
 */
export async function createTables(client: DynamoDBClient, tables: Record<string, TableModel>, physicalName: (t: TableModel) => string) {
  for (const table of Object.values(tables)) {
    const keys = [table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])];
    const attributeDefinitions: AttributeDefinition[] = [...new Set(keys.filter((k): k is string => !!k))].map((name) => ({
      AttributeName: name,
      AttributeType: 'S',
    }));
    try {
      await client.send(
        new CreateTableCommand({
          TableName: physicalName(table),
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: attributeDefinitions,
          KeySchema: [
            { AttributeName: table.partitionKey, KeyType: 'HASH' },
            ...(table.sortKey ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          GlobalSecondaryIndexes: table.globalIndexes.length
            ? table.globalIndexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
                ],
                Projection: { ProjectionType: 'ALL' as const },
              }))
            : undefined,
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
}
