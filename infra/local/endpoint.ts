import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LocalDynamo } from './dynamo/dynalite.js';

/** A local service that answers the AWS JSON protocol for one `X-Amz-Target` prefix. */
export interface JsonService {
  handle(target: string, body: any): Promise<unknown>;
}

/** The services behind the local endpoint. */
export interface LocalServices {
  dynamo: LocalDynamo;
  stepFunctions: JsonService;
  events: JsonService;
  queues: JsonService;
}

/** The JSON-protocol services by `X-Amz-Target` prefix (DynamoDB is dynalite's own HTTP handler). */
const SERVICE_BY_PREFIX: Record<string, (services: LocalServices) => JsonService> = {
  'AWSStepFunctions.': (s) => s.stepFunctions,
  'AWSEvents.': (s) => s.events,
  'AmazonSQS.': (s) => s.queues,
};

/**
 * The one local AWS endpoint (default http://127.0.0.1:4566, the port LocalStack users know):
 * routes by `X-Amz-Target` to dynalite (DynamoDB_20120810.*), the Step Functions interpreter
 * (AWSStepFunctions.*), the event bus (AWSEvents.*) and the exception queues (AmazonSQS.*), so
 * the AWS SDK or CLI can be pointed at it with `--endpoint-url`.
 */
export function createAwsEndpoint(services: LocalServices): Server {
  return createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('DynamoDB_')) return services.dynamo.handle(req, res);
    const prefix = target.slice(0, target.indexOf('.') + 1);
    const service = SERVICE_BY_PREFIX[prefix]?.(services);
    if (!service) return send(res, 400, { __type: 'UnknownOperationException', message: `Unknown target '${target}'` });
    void answer(req, res, service, target);
  });
}

async function answer(req: IncomingMessage, res: ServerResponse, service: JsonService, target: string) {
  let body: unknown;
  try {
    const raw = await readAll(req);
    body = raw.length ? JSON.parse(raw) : {};
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'Request body is not valid JSON' });
  }
  try {
    send(res, 200, (await service.handle(target, body)) ?? {});
  } catch (error) {
    const e = error as { __type?: string; name?: string; message?: string };
    if (e.__type) return send(res, 400, { __type: e.__type, message: e.message });
    console.error(`local endpoint: ${target} failed`, error);
    send(res, 500, { __type: 'InternalFailure', message: e.message ?? 'Internal failure' });
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
