/**
 * Delivery of one event to one target with the target's retry policy and dead-letter queue
 * (AWS "Event retry policy and using dead-letter queues"): a failed invocation is retried up to
 * `MaximumRetryAttempts` times (default 185); when all attempts fail the event goes to the
 * dead-letter queue if one is configured, otherwise it is dropped.
 *
 * Locally the retries happen immediately: AWS's exponential back-off with jitter is about time,
 * not about outcome, and tests must not sleep. `MaximumEventAgeInSeconds` therefore never expires.
 */

/** Sends a payload to a target ARN; rejects when the target fails. Injected by the runtime. */
export type Deliver = (targetArn: string, payload: unknown) => Promise<void>;

export interface RetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}

export interface DeadLetterConfig {
  Arn?: string;
}

/** AWS default when a target has no RetryPolicy. */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;

/** How a delivery ended, for callers that report or test it. */
export type DeliveryOutcome =
  | { status: 'delivered'; attempts: number }
  | { status: 'dead-lettered'; attempts: number; error: unknown }
  | { status: 'dropped'; attempts: number; error: unknown };

/** Delivers with retries, then dead-letters. Never rejects: the outcome says what happened. */
export async function deliverWithRetry(
  deliver: Deliver,
  target: { Arn: string; RetryPolicy?: RetryPolicy; DeadLetterConfig?: DeadLetterConfig },
  payload: unknown,
): Promise<DeliveryOutcome> {
  const maxAttempts = 1 + (target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS);
  let lastError: unknown;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      await deliver(target.Arn, payload);
      return { status: 'delivered', attempts: attempt };
    } catch (error) {
      lastError = error;
    }
  }
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq) {
    try {
      await deliver(dlq, payload);
      return { status: 'dead-lettered', attempts: maxAttempts, error: lastError };
    } catch {
      // A failing dead-letter queue loses the event, as on AWS.
    }
  }
  return { status: 'dropped', attempts: maxAttempts, error: lastError };
}
