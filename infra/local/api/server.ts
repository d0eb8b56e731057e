import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { scopeOf, type RouteModel } from '../../app-model.js';
import type { VerifiedToken } from '../auth/jwt.js';

/** API Gateway HTTP API rejects payloads above 10 MB; so does the local API. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(text\/|application\/(json|xml|.*\+json|.*\+xml|x-www-form-urlencoded))/i;

interface CompiledRoute {
  route: RouteModel;
  pattern: RegExp;
  params: string[];
}

/** What the local JWT authorizer needs: a verifier for bearer tokens (see `infra/local/auth/jwt.ts`). */
export interface LocalAuthorizer {
  verify(token: string, nowMs: number): VerifiedToken;
}

interface ServerOptions {
  routes: RouteModel[];
  invoke: (functionName: string, event: APIGatewayProxyEventV2) => Promise<unknown>;
  now: () => number;
  authorizer: LocalAuthorizer;
}

/**
 * The local API Gateway HTTP API: node:http → payload v2 events → the same handlers as on AWS.
 * Routes come from the app model; unknown routes answer 404 `{"message":"Not Found"}` as API
 * Gateway does. Every route sits behind a JWT authorizer, as in prod: no valid bearer token →
 * 401 `{"message":"Unauthorized"}`; none of the route's scopes → 403 `{"message":"Forbidden"}`;
 * otherwise the claims and scopes reach the handler in `requestContext.authorizer.jwt`.
 */
export function createApiServer(options: ServerOptions): Server {
  const compiled = options.routes.map(compileRoute);
  return createServer((req, res) => {
    handle(req, res, compiled, options).catch((error) => {
      respond(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
      console.error('local api:', error);
    });
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: CompiledRoute[],
  options: ServerOptions,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const match = routes
    .filter((r) => r.route.method === method)
    .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
    .find((x) => x.m);
  if (!match) return respond(res, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });

  const timeEpoch = options.now();
  const authorization = authorize(req.headers.authorization, match.r.route, options.authorizer, timeEpoch);
  if (authorization === 'unauthorized') return respond(res, { statusCode: 401, body: JSON.stringify({ message: 'Unauthorized' }) });
  if (authorization === 'forbidden') return respond(res, { statusCode: 403, body: JSON.stringify({ message: 'Forbidden' }) });

  const body = await readBody(req);
  if (body === 'too-large') {
    return respond(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
  }
  const contentType = req.headers['content-type'] ?? '';
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  let pathParameters: Record<string, string> | undefined;
  try {
    pathParameters = match.r.params.length ? Object.fromEntries(match.r.params.map((p, i) => [p, decodeURIComponent(match.m![i + 1])])) : undefined;
  } catch {
    // A malformed percent-encoding in the path (URIError): the gateway answers it as a bad request.
    return respond(res, { statusCode: 400, body: JSON.stringify({ message: 'Bad Request' }) });
  }
  const routeKey = `${method} ${match.r.route.path}`;
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: flattenHeaders(req),
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters,
    requestContext: {
      authorizer: { jwt: authorization },
      accountId: '000000000000',
      apiId: 'local',
      domainName: req.headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(timeEpoch).toISOString(),
      timeEpoch,
    },
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: !isText,
  };
  const result = await options.invoke(match.r.route.function, event);
  respond(res, normalise(result));
}

/**
 * The JWT authorizer's checks: a `Bearer` token that verifies, then at least one of the route's
 * scopes. Claims reach the integration as strings, as API Gateway passes them.
 */
function authorize(header: string | undefined, route: RouteModel, authorizer: LocalAuthorizer, nowMs: number) {
  const token = header?.match(/^Bearer (\S+)$/i)?.[1];
  if (!token) return 'unauthorized';
  let verified: VerifiedToken;
  try {
    verified = authorizer.verify(token, nowMs);
  } catch {
    return 'unauthorized';
  }
  if (!route.roles.some((role) => verified.scopes.includes(scopeOf(role)))) return 'forbidden';
  const claims = Object.fromEntries(
    Object.entries(verified.claims).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
  return { claims, scopes: verified.scopes };
}

/** API Gateway's payload v2 response rules: a bare object is a 200 JSON body. */
function normalise(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
}

function respond(res: ServerResponse, result: APIGatewayProxyStructuredResultV2) {
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  res.writeHead(result.statusCode ?? 200, { 'content-type': 'application/json', ...(result.headers as Record<string, string>) });
  res.end(body);
}

function compileRoute(route: RouteModel): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}/?$`), params };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** Reads the body, refusing (without buffering further) anything above the API Gateway limit. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
