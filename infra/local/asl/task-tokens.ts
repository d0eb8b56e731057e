/**
 * Task tokens of `.waitForTaskToken` tasks and the SendTask* calls that complete them, with the
 * API errors AWS answers: `InvalidToken` (not a token at all), `TaskTimedOut` (the task already
 * timed out), `TaskDoesNotExist` (unknown, or already closed)
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html).
 */
import { randomBytes } from 'node:crypto';
import { SfnServiceError, StatesError } from './errors.js';

interface PendingTask {
  executionArn: string;
  stateName: string;
  wait: Promise<unknown>;
  resolve(output: unknown): void;
  reject(error: StatesError): void;
  heartbeat?: () => void;
}

/** How a callback was answered (what the journal keeps of a SendTaskSuccess/Failure). */
export type TokenOutcome = { output: string } | { error?: string; cause?: string };

/** Why a token is no longer pending. */
export type TokenClosure = 'completed' | 'timedOut' | 'aborted';

const TOKEN_PREFIX = 'AQB';

/** Registry of pending task tokens (one per engine). */
export class TaskTokenRegistry {
  private readonly pending = new Map<string, PendingTask>();
  /** Waits of restored tokens, until their resumed task takes them (even once answered). */
  private readonly restored = new Map<string, Promise<unknown>>();
  /** Recently closed tokens, so late calls get the right error; bounded. */
  private readonly closed = new Map<string, TokenClosure>();

  /**
   * @param onSettled called (before the waiting task is resumed) with every SendTaskSuccess or
   *   SendTaskFailure accepted — durable mode journals it there, so an answer acknowledged to the
   *   caller survives a crash.
   */
  constructor(
    private readonly closedCapacity = 10_000,
    private readonly onSettled?: (executionArn: string, token: string, outcome: TokenOutcome) => void,
  ) {}

  /**
   * Creates a token for a task about to be started — or, given the `token` of an attempt that a
   * restart interrupted, the pending entry for it; `wait` resolves with the sent output.
   */
  create(executionArn: string, stateName: string, token?: string): { token: string; wait: Promise<unknown> } {
    if (token) {
      const restored = this.restored.get(token);
      this.restored.delete(token);
      return { token, wait: restored ?? (this.pending.get(token) ?? this.register(token, executionArn, stateName)).wait };
    }
    const payload = Buffer.from(JSON.stringify({ e: executionArn, s: stateName })).toString('base64url');
    const fresh = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}.${payload}`;
    return { token: fresh, wait: this.register(fresh, executionArn, stateName).wait };
  }

  /**
   * Makes a token journaled before a restart valid again (before the endpoint answers any
   * call), completing it at once if its answer was journaled too.
   */
  restore(token: string, executionArn: string, stateName: string, outcome?: TokenOutcome): void {
    const pending = this.pending.get(token) ?? this.register(token, executionArn, stateName);
    this.restored.set(token, pending.wait);
    if (outcome) this.settle(token, pending, outcome);
  }

  private register(token: string, executionArn: string, stateName: string): PendingTask {
    let resolve!: (output: unknown) => void;
    let reject!: (error: StatesError) => void;
    const wait = new Promise<unknown>((res, rej) => ((resolve = res), (reject = rej)));
    wait.catch(() => undefined); // a rejection is observed by whoever awaits it; avoid unhandled noise
    const pending: PendingTask = { executionArn, stateName, wait, resolve, reject };
    this.pending.set(token, pending);
    return pending;
  }

  private settle(token: string, task: PendingTask, outcome: TokenOutcome): void {
    this.pending.delete(token);
    this.remember(token, 'completed');
    if ('output' in outcome) task.resolve(JSON.parse(outcome.output));
    else task.reject(new StatesError(outcome.error ?? '', outcome.cause));
  }

  /** Calls `listener` on every heartbeat of `token` while it is pending. */
  onHeartbeat(token: string, listener: () => void): void {
    const task = this.pending.get(token);
    if (task) task.heartbeat = listener;
  }

  /** Closes a token without completing its task (timeout, abort, failed start). */
  close(token: string, reason: TokenClosure): void {
    if (this.pending.delete(token)) this.remember(token, reason);
  }

  /** SendTaskSuccess: `output` must be JSON text. */
  succeed(token: string, output: string): void {
    try {
      JSON.parse(output);
    } catch {
      throw new SfnServiceError('InvalidOutput', 'The provided JSON output is not valid JSON');
    }
    this.answer(token, { output });
  }

  /** SendTaskFailure. */
  fail(token: string, error?: string, cause?: string): void {
    this.answer(token, { error, cause });
  }

  private answer(token: string, outcome: TokenOutcome): void {
    const task = this.lookup(token);
    this.onSettled?.(task.executionArn, token, outcome);
    this.settle(token, task, outcome);
  }

  /** SendTaskHeartbeat. */
  heartbeat(token: string): void {
    this.lookup(token).heartbeat?.();
  }

  private lookup(token: string): PendingTask {
    if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX) || !token.includes('.')) {
      throw new SfnServiceError('InvalidToken', 'Invalid token');
    }
    const task = this.pending.get(token);
    if (task) return task;
    if (this.closed.get(token) === 'timedOut') throw new SfnServiceError('TaskTimedOut', 'Task Timed Out');
    throw new SfnServiceError('TaskDoesNotExist', 'Task does not exist anymore');
  }

  private remember(token: string, reason: TokenClosure): void {
    this.closed.set(token, reason);
    if (this.closed.size > this.closedCapacity) this.closed.delete(this.closed.keys().next().value as string);
  }
}
