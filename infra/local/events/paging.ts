import { EventBridgeError } from './errors.js';

/** EventBridge list operations: `Limit` 1–100, `NextToken` opaque. */
const MAX_LIMIT = 100;

/**
 * One page of `items` for a list call (`Limit`, `NextToken`), with the `NextToken` of the next
 * page when there is one. The token is the offset, base64-encoded (opaque to callers, as on AWS).
 */
export function page<T>(items: T[], request: { Limit?: number; NextToken?: string }): { items: T[]; NextToken?: string } {
  const limit = request.Limit ?? MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new EventBridgeError('ValidationException', `Parameter Limit is not valid. Reason: Limit must be between 1 and ${MAX_LIMIT}.`);
  }
  const start = request.NextToken === undefined ? 0 : Number(Buffer.from(request.NextToken, 'base64').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new EventBridgeError('ValidationException', 'Parameter NextToken is not valid.');
  const end = start + limit;
  return { items: items.slice(start, end), ...(end < items.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}) };
}
