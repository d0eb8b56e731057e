/**
 * The one handler of the composite (bench/composite.ts): no business logic, only the calls the
 * real handlers make — PutItems (and, in the variant with reads, consistent GetItems) through the
 * AWS SDK v3 document client against the local DynamoDB, and StartExecution on the first request.
 * Invoked as an API Gateway v2 event over HTTP or as a workflow step, like the real handlers.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

/** What one call does (from the request body or query string, or the step's payload). */
export interface CompositeWork {
  id: string;
  step: string;
  puts: number;
  reads: number;
  /** Size of the payload attribute of each item written. */
  bytes: number;
  /** Start the declaration's workflow (the submission). */
  start?: boolean;
}

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const stepFunctions = new SFNClient({});
const fillers = new Map<number, string>();
const filler = (bytes: number) => fillers.get(bytes) ?? fillers.set(bytes, 'x'.repeat(bytes)).get(bytes)!;

export async function handler(event: any): Promise<unknown> {
  const viaApi = event?.version === '2.0';
  const work: CompositeWork = viaApi ? apiWork(event) : event;
  const TableName = process.env.COMPOSITE_TABLE!;
  const PK = `C#${work.id}`;
  for (let i = 0; i < Number(work.puts); i++) {
    await documents.send(new PutCommand({ TableName, Item: { PK, SK: `${work.step}#${i}`, data: filler(Number(work.bytes)) } }));
  }
  for (let i = 0; i < Number(work.reads); i++) {
    await documents.send(new GetCommand({ TableName, Key: { PK, SK: `${work.step}#0` }, ConsistentRead: true }));
  }
  if (work.start) {
    await stepFunctions.send(new StartExecutionCommand({ stateMachineArn: process.env.COMPOSITE_ARN, name: work.id, input: JSON.stringify({ id: work.id }) }));
  }
  return viaApi ? { statusCode: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: work.id }) } : { id: work.id };
}

function apiWork(event: any): CompositeWork {
  if (event.body) return JSON.parse(event.body) as CompositeWork;
  const q = event.queryStringParameters ?? {};
  return { id: event.pathParameters.id, step: q.step, puts: Number(q.puts), reads: Number(q.reads), bytes: Number(q.bytes) };
}
