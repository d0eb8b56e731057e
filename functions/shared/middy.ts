import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ClearwayError, NotFoundError } from '../domain/errors.js';
import { authorizeRequest, type Principal } from './auth.js';
import { logger } from './powertools.js';

/** A JSON response in API Gateway HTTP API (payload v2) shape. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/**
 * The one middy stack for HTTP handlers: Powertools logging context, the caller's principal
 * (its route's roles checked against the app model), then the mapping of named domain errors
 * to `{code, message, pointer}` with their status. Anything unnamed is a bug: logged with its
 * stack, answered 500 without internals.
 */
export function httpHandler(
  handle: (event: APIGatewayProxyEventV2, context: Context, principal: Principal) => Promise<APIGatewayProxyStructuredResultV2>,
) {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      try {
        const principal = authorizeRequest(event);
        checkPathParameters(event);
        return await handle(event, context, principal);
      } catch (error) {
        if (error instanceof ClearwayError) return json(error.status, error.toJSON());
        logger.error('Unhandled error', error as Error);
        return json(500, { code: 'InternalError', message: 'The request could not be processed; it was not stored.' });
      }
    });
}

/** Longest identifier a path names (declaration ids are 36 characters; DynamoDB keys stop at 2 KB). */
const MAX_PATH_PARAMETER = 128;

/**
 * An identifier in the path longer than any the platform gives names nothing: answered like any
 * other unknown one, before it reaches the store (which would refuse the key as too large).
 * @throws NotFoundError
 */
function checkPathParameters(event: APIGatewayProxyEventV2): void {
  for (const [name, value] of Object.entries(event.pathParameters ?? {})) {
    if (value !== undefined && value.length > MAX_PATH_PARAMETER) throw new NotFoundError(`No ${name} ${value.slice(0, 16)}… exists`, `/${name}`);
  }
}

/**
 * The one middy stack for workflow steps. Errors propagate with their `name`, which Step
 * Functions matches in `ErrorEquals` (DESIGN.md §8), so nothing is caught here.
 */
export function stepHandler<TIn, TOut>(handle: (input: TIn, context: Context) => Promise<TOut>) {
  return middy<TIn, TOut>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(handle);
}
