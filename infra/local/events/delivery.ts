import type { Clock } from '../clock.js';

/**
 * Delivery of one event to one target with the target's retry policy and dead-letter queue
 * (AWS user guide "Event retry policy and using dead-letter queues", RetryPolicy reference):
 * - a retriable failure is retried with exponential back-off until `MaximumRetryAttempts`
 *   retries were made (default 185) or the next try would come after `MaximumEventAgeInSeconds`
 *   (default 24 hours) since the bus received the event — whichever comes first;
 * - a failure that cannot heal by itself (a target resource that does not exist) is not retried;
 * - then the event goes to the dead-letter queue when one is configured — the event itself, with
 *   the message attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS and,
 *   when a retry limit ended the delivery, EXHAUSTED_RETRY_CONDITION — otherwise it is dropped.
 *
 * Back-off waits on the injected clock. AWS does not publish its schedule (only "exponential back
 * off and jitter"): locally the wait doubles from 1 s up to 8 minutes, so the default policy's 185
 * retries span about 24 hours, and there is no jitter, so runs are reproducible.
 */

/** Sends a payload to a target ARN (with SQS message attributes for a queue); rejects when it fails. */
export type Deliver = (targetArn: string, payload: unknown, messageAttributes?: Record<string, string>) => Promise<void>;

export interface RetryPolicy {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
}

export interface DeadLetterConfig {
  Arn?: string;
}

/** AWS defaults when a target has no RetryPolicy (or leaves a field out). */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 480_000;

/** The wait before retry number `retry` (1-based). */
export const backoffMs = (retry: number): number => Math.min(FIRST_BACKOFF_MS * 2 ** (retry - 1), MAX_BACKOFF_MS);

/**
 * A delivery failure with an EventBridge DLQ error code. Errors of any other type count as
 * `ERROR_FROM_TARGET` and are retried.
 */
export class TargetDeliveryError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'TargetDeliveryError';
  }
}

/** The target does not exist: AWS sends such events "directly to the DLQ" without retrying. */
export const noResource = (message: string): TargetDeliveryError => new TargetDeliveryError('NO_RESOURCE', message, false);

/** Which limit ended the retries (the DLQ attribute EXHAUSTED_RETRY_CONDITION). */
export type ExhaustedRetryCondition = 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds';

export interface DeliveryFailure {
  errorCode: string;
  errorMessage: string;
}

/** How a delivery ended; `attempts` counts the first try and the retries. */
export type DeliveryOutcome =
  | { status: 'delivered'; attempts: number }
  | { status: 'dead-lettered' | 'dropped'; attempts: number; failure: DeliveryFailure; exhausted?: ExhaustedRetryCondition };

/** One event for one target of one rule. */
export interface DeliveryRequest {
  ruleArn: string;
  target: { Arn: string; RetryPolicy?: RetryPolicy; DeadLetterConfig?: DeadLetterConfig };
  /** What the target receives (the event, or its Input / InputPath / InputTransformer rendering). */
  payload: unknown;
  /** The event itself: what the dead-letter queue receives. */
  event: unknown;
  /** When the bus received the event (epoch ms): the origin of MaximumEventAgeInSeconds. */
  ingestedAtMs: number;
}

/** A running delivery: the first try, and the whole delivery with its retries. */
export interface Delivery {
  firstAttempt: Promise<void>;
  outcome: Promise<DeliveryOutcome>;
}

/**
 * Delivers with retries, then dead-letters. `outcome` never rejects; aborting `signal` (the bus
 * closing) ends a delivery waiting for its next retry as dropped.
 */
export function deliverWithRetry(deliver: Deliver, clock: Pick<Clock, 'now' | 'sleep'>, request: DeliveryRequest, signal?: AbortSignal): Delivery {
  let firstAttemptDone!: () => void;
  const firstAttempt = new Promise<void>((resolve) => (firstAttemptDone = resolve));
  const { target } = request;
  const maxRetries = target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
  const maxAgeMs = (target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS) * 1000;

  const run = async (): Promise<DeliveryOutcome> => {
    for (let retries = 0; ; retries++) {
      let failure: DeliveryFailure & { retryable: boolean };
      try {
        await deliver(target.Arn, request.payload);
        return { status: 'delivered', attempts: retries + 1 };
      } catch (error) {
        failure = describeFailure(error);
      } finally {
        if (retries === 0) firstAttemptDone();
      }
      const wait = backoffMs(retries + 1);
      const exhausted: ExhaustedRetryCondition | undefined = !failure.retryable
        ? undefined
        : retries >= maxRetries
          ? 'MaximumRetryAttempts'
          : clock.now() + wait - request.ingestedAtMs > maxAgeMs
            ? 'MaximumEventAgeInSeconds'
            : undefined;
      const { retryable: _, ...reported } = failure;
      if (!failure.retryable || exhausted) return deadLetter(deliver, request, reported, retries, exhausted);
      try {
        await clock.sleep(wait, signal);
      } catch {
        return { status: 'dropped', attempts: retries + 1, failure: reported };
      }
    }
  };
  return { firstAttempt, outcome: run() };
}

function describeFailure(error: unknown): DeliveryFailure & { retryable: boolean } {
  if (error instanceof TargetDeliveryError) return { errorCode: error.errorCode, errorMessage: error.message, retryable: error.retryable };
  return { errorCode: 'ERROR_FROM_TARGET', errorMessage: error instanceof Error ? error.message : String(error), retryable: true };
}

async function deadLetter(
  deliver: Deliver,
  request: DeliveryRequest,
  failure: DeliveryFailure,
  retries: number,
  exhausted: ExhaustedRetryCondition | undefined,
): Promise<DeliveryOutcome> {
  const attempts = retries + 1;
  const dlq = request.target.DeadLetterConfig?.Arn;
  if (dlq) {
    const attributes: Record<string, string> = {
      RULE_ARN: request.ruleArn,
      TARGET_ARN: request.target.Arn,
      ERROR_CODE: failure.errorCode,
      ERROR_MESSAGE: failure.errorMessage,
      RETRY_ATTEMPTS: String(retries),
      ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: exhausted } : {}),
    };
    try {
      await deliver(dlq, request.event, attributes);
      return { status: 'dead-lettered', attempts, failure, exhausted };
    } catch {
      // A failing dead-letter queue loses the event, as on AWS (metric InvocationsFailedToBeSentToDLQ).
    }
  }
  return { status: 'dropped', attempts, failure, exhausted };
}
