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
  resolve(output: unknown): void;
  reject(error: StatesError): void;
  heartbeat?: () => void;
}

/** Why a token is no longer pending. */
export type TokenClosure = 'completed' | 'timedOut' | 'aborted';

const TOKEN_PREFIX = 'AQB';

/** Registry of pending task tokens (one per engine). */
export class TaskTokenRegistry {
  private readonly pending = new Map<string, PendingTask>();
  /** Recently closed tokens, so late calls get the right error; bounded. */
  private readonly closed = new Map<string, TokenClosure>();

  constructor(private readonly closedCapacity = 10_000) {}

  /** Creates a token for a task about to be started; `wait()` resolves with the sent output. */
  create(executionArn: string, stateName: string): { token: string; wait: Promise<unknown> } {
    const payload = Buffer.from(JSON.stringify({ e: executionArn, s: stateName })).toString('base64url');
    const token = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}.${payload}`;
    const wait = new Promise<unknown>((resolve, reject) => {
      this.pending.set(token, { executionArn, stateName, resolve, reject });
    });
    wait.catch(() => undefined); // a rejection is observed by whoever awaits it; avoid unhandled noise
    return { token, wait };
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
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw new SfnServiceError('InvalidOutput', 'The provided JSON output is not valid JSON');
    }
    const task = this.take(token);
    task.resolve(value);
  }

  /** SendTaskFailure. */
  fail(token: string, error?: string, cause?: string): void {
    this.take(token).reject(new StatesError(error ?? '', cause));
  }

  /** SendTaskHeartbeat. */
  heartbeat(token: string): void {
    this.lookup(token).heartbeat?.();
  }

  private take(token: string): PendingTask {
    const task = this.lookup(token);
    this.pending.delete(token);
    this.remember(token, 'completed');
    return task;
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
