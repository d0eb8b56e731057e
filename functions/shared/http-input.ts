import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { MalformedSubmissionError, UnsupportedSubmissionTypeError } from '../domain/declaration/index.js';
import { ValidationError } from '../domain/errors.js';

/**
 * Parses a JSON request body against a zod schema; every issue is answered at once with a
 * JSON Pointer to the offending field (`/amount`), and nothing is done with an invalid body.
 * The body must say it is JSON (`application/json`, or a `+json` type) — 415 CWY-MEDIA-002
 * otherwise — and be well-formed (400 CWY-JSON-001), as a declaration's must.
 */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const contentType = event.headers['content-type'] ?? '';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) throw new UnsupportedSubmissionTypeError(contentType, 'CWY-MEDIA-002');
  const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new MalformedSubmissionError('CWY-JSON-001', { detail: error instanceof Error ? error.message : String(error) });
  }
  return parseWith(schema, raw);
}

/** Parses the query string (`?queue=…`) against a zod schema, with the same error answer as a body. */
export function parseQuery<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  return parseWith(schema, event.queryStringParameters ?? {});
}

function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.flatMap((issue) =>
        // An unknown member is pointed at itself, one issue each, not at the object holding it.
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => ({ code: 'CWY-REQ-001', message: `Unrecognized key: "${key}"`, pointer: jsonPointer([...issue.path, key]) }))
          : [{ code: 'CWY-REQ-001', message: issue.message, pointer: jsonPointer(issue.path) }],
      ),
    );
  }
  return result.data;
}

/** RFC 6901: `""` is the whole body, `/a/0` a member of it. */
const jsonPointer = (path: readonly PropertyKey[]) => path.map((p) => '/' + String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
