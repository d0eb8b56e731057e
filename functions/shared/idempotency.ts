import type { Context } from 'aws-lambda';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { ENV } from '../../infra/app-model.js';
import { IdempotencyKeyReusedError, MalformedInputError, RequestInProgressError } from '../domain/errors.js';
import { requireEnv } from './env.js';

/** How long a first answer is kept for a repeated `Idempotency-Key` (an LRN claim lasts forever). */
const KEEP_ANSWERS_SECONDS = 24 * 3600;
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** One client request made idempotent by its key. */
export interface KeyedRequest {
  /** The caller's namespace: two organisations may use the same key. */
  scope: string;
  key: string;
  /** Compared on a repeat: the same key with another request is refused. */
  payload: unknown;
}

let persistenceStore: DynamoDBPersistenceLayer | undefined;

/**
 * Runs `operation` once per (scope, key) with Powertools idempotency on the idempotency table:
 * the first answer is stored and returned for every repeat within a day; a repeat while the
 * first is still running answers 409 `RequestInProgress` (not 500); the same key with another
 * payload answers 422 `IdempotencyKeyReused`. An operation that throws stores nothing, so a retry
 * runs it again.
 */
export async function once<R>(request: KeyedRequest, context: Context, operation: () => Promise<R>): Promise<R> {
  persistenceStore ??= new DynamoDBPersistenceLayer({ tableName: requireEnv(ENV.idempotencyTableName) });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[scope, key]',
    payloadValidationJmesPath: 'payload',
    expiresAfterSeconds: KEEP_ANSWERS_SECONDS,
  });
  // The in-progress record expires with this invocation's remaining time, so a crashed attempt frees the key.
  config.registerLambdaContext(context);
  const idempotent = makeIdempotent((_: KeyedRequest) => operation(), { persistenceStore, config });
  try {
    return await idempotent(request);
  } catch (error) {
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new RequestInProgressError('A request with this Idempotency-Key is still being processed; retry shortly');
    }
    if (error instanceof IdempotencyValidationError) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used for a different request', '/headers/idempotency-key');
    }
    throw error;
  }
}

/** The `Idempotency-Key` header when sent: printable ASCII, 1–255 characters. */
export function idempotencyKeyOf(headers: Record<string, string | undefined>): string | undefined {
  const key = headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!KEY_FORMAT.test(key)) throw new MalformedInputError('Idempotency-Key must be 1 to 255 printable ASCII characters', '/headers/idempotency-key');
  return key;
}
