/**
 * RedriveExecution as AWS defines it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html,
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html):
 * a FAILED, ABORTED or TIMED_OUT Standard execution continues "from the unsuccessful step and
 * uses the same input"; the results and history of successful steps are kept and not rerun; an
 * Inline Map or Parallel state reruns only the iterations and branches that failed or were
 * aborted; the same execution ARN and definition are used; the execution-level timeout starts
 * again; `ExecutionRedriven` (with the new `redriveCount`) is appended to the history.
 */
import type { ExecutionRecord, StateMachineRecord } from './store.js';
import type { Thread } from './thread.js';

/** Redrives are possible for 14 days after the execution stopped. */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 3600 * 1000;
/** A Standard execution can last at most a year. */
const MAX_EXECUTION_MS = 365 * 24 * 3600 * 1000;
/** History limit of an execution (a redrive appends to the same history). */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * Why `record` cannot be redriven at `now` — in the words of `redriveStatusReason`
 * (API_DescribeExecution) — or undefined when it can.
 */
export function notRedrivableReason(record: ExecutionRecord, stateMachine: StateMachineRecord | undefined, now: number): string | undefined {
  if (record.type === 'EXPRESS') return 'Execution is of type EXPRESS and cannot be redriven.';
  if (!stateMachine) return 'State machine is in DELETING status.';
  if (record.status === 'RUNNING') return 'Execution is RUNNING and cannot be redriven.';
  if (record.status === 'SUCCEEDED') return 'Execution is SUCCEEDED and cannot be redriven.';
  if (record.events.length >= MAX_HISTORY_EVENTS) return 'Execution history event limit exceeded.';
  if (now - record.startDate > MAX_EXECUTION_MS) return 'Execution has exceeded the max execution time.';
  if (record.stopDate !== undefined && now - record.stopDate > REDRIVABLE_PERIOD_MS) return 'Execution redrivable period exceeded.';
  if (!record.root) return 'Execution position is no longer kept and cannot be redriven.';
  return undefined;
}

/**
 * Turns the threads of a stopped execution into the threads of its redrive: every thread that
 * did not finish restarts the state it stopped in (as a new entry of that state: a fresh
 * attempt, retry counts reset, new task token) — except a Parallel or Map state whose branches
 * or iterations had started: it continues with the finished ones kept and the others redriven.
 */
export function prepareRedrive(thread: Thread, now: number): void {
  if (thread.phase === 'done') return;
  thread.retryCount = 0;
  thread.counters = undefined;
  const children = thread.started !== undefined ? thread.children : undefined;
  if (children) {
    const started = thread.started;
    thread.clearAttempt();
    thread.started = started;
    thread.children = children;
    thread.phase = 'fanout';
    for (const child of children) if (child) prepareRedrive(child, now);
    return;
  }
  thread.clearAttempt();
  thread.phase = 'entered';
  thread.entered = now;
}
