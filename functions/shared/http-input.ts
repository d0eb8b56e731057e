import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { MalformedInputError, ValidationError } from '../domain/errors.js';

/**
 * Parses a JSON request body against a zod schema; every issue is answered at once with a
 * JSON Pointer to the offending field (`/amount`), and nothing is done with an invalid body.
 */
export function parseJsonBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const text = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MalformedInputError('The request body is not valid JSON', '');
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
      result.error.issues.map((issue) => ({
        code: 'CWY-REQ-001',
        message: issue.message,
        pointer: '/' + issue.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/'),
      })),
    );
  }
  return result.data;
}
