/**
 * Error matching and retry timing (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 */
import type { Retrier } from './compile.js';
import { StatesErrors } from './errors.js';

/**
 * Errors that no Retry or Catch handles: "A retry or catch on States.ALL won't catch
 * States.Runtime errors" — they always fail the execution, as do data-limit errors.
 */
export function isTerminalError(error: string): boolean {
  return error === StatesErrors.Runtime || error === StatesErrors.DataLimitExceeded;
}

/**
 * Whether an `ErrorEquals` list matches `error`: names match exactly; `States.ALL` matches any
 * error; `States.TaskFailed` matches any error except timeouts; `States.Timeout` also matches a
 * heartbeat timeout (both are "timeouts" in the AWS error table).
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (isTerminalError(error)) return false;
  return errorEquals.some((name) => {
    if (name === error || name === StatesErrors.ALL) return true;
    if (name === StatesErrors.TaskFailed) return error !== StatesErrors.Timeout && error !== StatesErrors.HeartbeatTimeout;
    if (name === StatesErrors.Timeout) return error === StatesErrors.HeartbeatTimeout;
    return false;
  });
}

/**
 * Wait before the retry that follows `retriesSoFar` earlier retries of this retrier:
 * IntervalSeconds × BackoffRate^retriesSoFar, capped by MaxDelaySeconds; with
 * `JitterStrategy: FULL` a uniformly random fraction of it.
 */
export function retryDelayMs(retrier: Retrier, retriesSoFar: number, random: () => number): number {
  let seconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, retriesSoFar);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  if (retrier.jitter) seconds *= random();
  return seconds * 1000;
}
