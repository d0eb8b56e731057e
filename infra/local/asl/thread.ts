/**
 * Where a thread of control is: the position the interpreter resumes from after a restart, and
 * the one RedriveExecution continues from after a failure.
 *
 * A thread is the top level of an execution, one Parallel branch or one Map iteration. Its
 * position is the state it is in, that state's input, the thread's own workflow variables, and
 * a phase saying how far into the state it got. The interpreter moves a thread in the same
 * synchronous step in which it records the matching history event, so the history and the
 * positions always agree — a journal that persists both together can resume any execution
 * without re-recording or re-running anything already recorded.
 */
import type { HistoryCursor } from './history.js';
import { StatesError } from './errors.js';
import { VariableScope } from './variables.js';

/**
 * How far into its current state a thread got:
 * - `next`: about to enter it (its `…StateEntered` event is not recorded yet);
 * - `entered`: entered, its work (re)starts from the beginning of an attempt;
 * - `task`: a Task attempt was scheduled and its call may have been made (`token`, `timeoutAt`,
 *   `submitted`, `child` say more);
 * - `backoff`: waiting until `wakeAt` before the next retry;
 * - `fanout`: a Parallel/Map attempt started (`started` = its `…StateStarted` event) and its
 *   children run;
 * - `result`: the work succeeded with `value`, its output is being computed;
 * - `error`: the work failed with `value` (a {@link StatesError}), Retry/Catch decide next;
 * - `done`: the thread ended with output `value`;
 * - `failed`: the thread ended with error `value`; its position stays where it failed.
 */
export type Phase = 'next' | 'entered' | 'task' | 'backoff' | 'fanout' | 'result' | 'error' | 'done' | 'failed';

/** A thread position as the journal stores it (short keys: one is written per checkpoint). */
export interface ThreadSnapshot {
  id: string;
  /** State name. */
  s: string;
  /** State input. */
  i?: unknown;
  /** Own variables. */
  v?: Record<string, unknown>;
  /** Entered time, epoch ms. */
  e: number;
  /** History cursor (last event id of this thread). */
  c: number;
  p: Phase;
  /** Retry count and per-retrier counters of the current state. */
  rc?: number;
  rn?: number[];
  /** Task token, absolute task deadline, callback handed out, nested execution name. */
  tk?: string;
  to?: number;
  /** Last heartbeat. */
  hb?: number;
  sb?: 1;
  ch?: string;
  /** Backoff wake-up time, fan-out start event. */
  wk?: number;
  st?: number;
  /** Result, output or error output (phase-dependent). */
  val?: unknown;
}

/** One thread of control and its position. Implements the history cursor of its events. */
export class Thread implements HistoryCursor {
  /** Id of the last history event of this thread. */
  last: number;
  /** When the current state was entered (epoch ms). */
  entered = 0;
  phase: Phase = 'next';
  /** Retries of the current state so far, and how many each retrier has spent. */
  retryCount = 0;
  counters: number[] | undefined = undefined;
  token: string | undefined = undefined;
  timeoutAt: number | undefined = undefined;
  /** Last heartbeat of a task with HeartbeatSeconds (or the start of its attempt). */
  beatAt: number | undefined = undefined;
  submitted = false;
  child: string | undefined = undefined;
  wakeAt: number | undefined = undefined;
  started: number | undefined = undefined;
  /** Phase-dependent: the work's result, the thread's output, or its error. */
  value: unknown = undefined;
  /** Branches/iterations of the current Parallel/Map attempt, by index. */
  children: (Thread | undefined)[] | undefined = undefined;

  constructor(
    readonly id: string,
    readonly variables: VariableScope,
    /** The current state. */
    public state: string,
    /** The current state's input. */
    public input: unknown,
    last: number,
  ) {
    this.last = last;
  }

  /** The id of child `index` of the fan-out that started with event `started`. */
  childId(index: number): string {
    return `${this.id}/${this.started}.${index}`;
  }

  /** Forgets everything about the current attempt (a new attempt or a new state begins). */
  clearAttempt(): void {
    this.token = undefined;
    this.timeoutAt = undefined;
    this.beatAt = undefined;
    this.submitted = false;
    this.child = undefined;
    this.wakeAt = undefined;
    this.started = undefined;
    this.value = undefined;
    this.children = undefined;
  }

  /** Moves to state `next` with `input` (or ends the thread with `input` as output). */
  moveTo(next: string | undefined, input: unknown): void {
    this.clearAttempt();
    this.retryCount = 0;
    this.counters = undefined;
    this.input = input;
    if (next === undefined) {
      this.phase = 'done';
      this.value = input;
    } else {
      this.state = next;
      this.phase = 'next';
    }
  }

  /** Ends the thread with `error`, keeping its position (for RedriveExecution). */
  fail(error: StatesError): void {
    this.phase = 'failed';
    this.value = error;
  }

  /** The journal form of this position. */
  snapshot(): ThreadSnapshot {
    const s: ThreadSnapshot = { id: this.id, s: this.state, e: this.entered, c: this.last, p: this.phase };
    if (this.phase !== 'done') {
      s.i = this.input;
      const own = this.variables.ownVariables();
      if (own) s.v = own;
    }
    if (this.retryCount) s.rc = this.retryCount;
    if (this.counters) s.rn = this.counters;
    if (this.token !== undefined) s.tk = this.token;
    if (this.timeoutAt !== undefined) s.to = this.timeoutAt;
    if (this.beatAt !== undefined) s.hb = this.beatAt;
    if (this.submitted) s.sb = 1;
    if (this.child !== undefined) s.ch = this.child;
    if (this.wakeAt !== undefined) s.wk = this.wakeAt;
    if (this.started !== undefined) s.st = this.started;
    if (this.value !== undefined) s.val = this.value instanceof StatesError ? { Error: this.value.error, Cause: this.value.cause } : this.value;
    return s;
  }

  /** Rebuilds a thread from its snapshot; `parent` supplies the enclosing variable scope. */
  static restore(s: ThreadSnapshot, parentVariables?: VariableScope): Thread {
    const thread = new Thread(s.id, new VariableScope(parentVariables, s.v), s.s, s.i, s.c);
    thread.entered = s.e;
    thread.phase = s.p;
    thread.retryCount = s.rc ?? 0;
    thread.counters = s.rn;
    thread.token = s.tk;
    thread.timeoutAt = s.to;
    thread.beatAt = s.hb;
    thread.submitted = s.sb === 1;
    thread.child = s.ch;
    thread.wakeAt = s.wk;
    thread.started = s.st;
    const stored = s.val as { Error: string; Cause?: string } | undefined;
    thread.value = (s.p === 'error' || s.p === 'failed') && stored ? new StatesError(stored.Error, stored.Cause) : s.val;
    return thread;
  }
}

/** The id of the top-level thread of every execution. */
export const ROOT_THREAD = 'r';

/** The parent id and child index of a thread id (`r/12.3` → `r`, 3); undefined for the root. */
export function parentOf(id: string): { parent: string; started: number; index: number } | undefined {
  const slash = id.lastIndexOf('/');
  if (slash < 0) return undefined;
  const [started, index] = id.slice(slash + 1).split('.').map(Number);
  return { parent: id.slice(0, slash), started, index };
}

/**
 * Rebuilds a tree of threads from the latest snapshot of each: children hang under the parent
 * whose current fan-out (`started`) they belong to; any other snapshot is stale and dropped.
 */
export function rebuildTree(snapshots: Iterable<ThreadSnapshot>): Thread | undefined {
  const byParent = new Map<string, ThreadSnapshot[]>();
  let root: ThreadSnapshot | undefined;
  for (const s of snapshots) {
    const p = parentOf(s.id);
    if (!p) root = s;
    else {
      let list = byParent.get(p.parent);
      if (!list) byParent.set(p.parent, (list = []));
      list.push(s);
    }
  }
  if (!root) return undefined;
  const build = (s: ThreadSnapshot, parentVariables?: VariableScope): Thread => {
    const thread = Thread.restore(s, parentVariables);
    const kids = thread.started === undefined ? undefined : byParent.get(s.id)?.filter((k) => parentOf(k.id)!.started === thread.started);
    if (kids?.length) {
      thread.children = [];
      for (const k of kids) thread.children[parentOf(k.id)!.index] = build(k, thread.variables);
    }
    return thread;
  };
  return build(root);
}
