import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../../infra/app-model.js';
import { createTables, startDynalite } from '../../infra/local/dynamo/dynalite.js';

/** An in-memory dynalite behind its own HTTP port, and an SDK client pointed at it. */
export interface TestDynamo {
  client: DynamoDBClient;
  close(): Promise<void>;
}

/** Starts an in-memory dynalite holding `table` (created from its model under `tableName`). */
export async function startTestDynamo(tableName: string, table: TableModel): Promise<TestDynamo> {
  const dynamo = await startDynalite();
  const server = createServer((req, res) => dynamo.handle(req, res));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await createTables(client, { table }, () => tableName);
  return {
    client,
    async close() {
      client.destroy();
      server.close();
      await dynamo.close();
    },
  };
}
