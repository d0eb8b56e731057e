/**
 * The execution loop: moves a {@link Thread} state by state, with Retry/Catch around Task,
 * Parallel and Map, waits on the injected clock, and records the history.
 *
 * Every step continues from the thread's position, so the same code starts a new execution,
 * resumes one after a restart (durable mode) and continues a redriven one: a thread found in
 * the middle of a state picks up from the phase it reached (see `thread.ts`).
 */
import type { Clock } from '../clock.js';
import type { CompiledMachine, CompiledState } from './compile.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import { NOT_TRUNCATED, type HistoryRecorder } from './history.js';
import { catcherOutput, effectiveInput, inputPathOnly, stateOutput, type StateOutcome } from './io.js';
import { runMap } from './map.js';
import { errorMatches, isTerminalError, retryDelayMs } from './retry.js';
import { Frame, type Scope } from './scope.js';
import { runTask, type Integrations, type NestedExecutionHost } from './tasks.js';
import type { TaskTokenRegistry } from './task-tokens.js';
import { Thread, type Phase } from './thread.js';
import { VariableScope } from './variables.js';

/**
 * Persistence of an execution's progress (durable mode only). Positions and history events are
 * written together, so that after a crash they still agree.
 */
export interface Checkpointer {
  /** A thread's position changed; it is written at the next {@link Checkpointer.checkpoint}. */
  moved(thread: Thread): void;
  /** Every thread of a tree changed (a redrive rewrites all of them). */
  movedTree(root: Thread): void;
  /**
   * Writes the history recorded so far and every moved position — called before the engine
   * calls out or waits, and as soon as a call's outcome is known, so that nothing recorded is
   * lost and nothing done is done again.
   */
  checkpoint(): void;
}

/** Everything an execution needs from its surroundings. */
export interface RunContext {
  clock: Clock;
  integrations: Integrations;
  tokens: TaskTokenRegistry;
  host: NestedExecutionHost;
  history: HistoryRecorder;
  /** Random numbers for retry jitter (injectable for tests). */
  random: () => number;
  region: string;
  accountId: string;
  execution: {
    Id: string;
    Name: string;
    Input: unknown;
    StartTime: string;
    RoleArn: string;
    RedriveCount: number;
    RedriveTime?: string;
  };
  stateMachine: { Id: string; Name: string };
  /** Durable mode: where positions are persisted; undefined in memory. */
  durable?: Checkpointer;
  /** Called for every billable state transition: each state entered, and each retry of one. */
  countTransition?: (stateName: string) => void;
}

/**
 * Runs `thread` through `machine` from its current position to the end of the machine;
 * resolves with the thread's output or throws (a {@link StatesError}, or the abort reason).
 */
export async function runThread(machine: CompiledMachine, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<unknown> {
  while (thread.phase !== 'done') {
    if (signal.aborted) throw signal.reason;
    const state = machine.states.get(thread.state)!;
    if (thread.phase === 'next') {
      rc.countTransition?.(state.name);
      thread.entered = rc.clock.now();
      thread.phase = 'entered';
      rc.history.add(state.enteredEvent, thread, { name: state.name, input: thread.input ?? null, inputDetails: NOT_TRUNCATED });
      rc.durable?.moved(thread);
    }
    await runState(state, thread, rc, signal);
  }
  return thread.value;
}

/**
 * Resolves at `at` on `clock` — at once when that time has passed (a deadline that went by while
 * the process was down fires on start, even on a clock that only moves when told).
 */
export function sleepUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
  const delay = at - clock.now();
  return delay > 0 ? clock.sleep(delay, signal) : Promise.resolve();
}

/** A new thread for a Parallel branch or Map iteration, child of `parent`'s current fan-out. */
export function childThread(parent: Thread, index: number, machine: CompiledMachine, input: unknown): Thread {
  return new Thread(parent.childId(index), new VariableScope(parent.variables), machine.startAt, input, parent.started!);
}

async function runState(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  switch (state.type) {
    case 'Task':
    case 'Parallel':
    case 'Map':
      return runWithRetryAndCatch(state, thread, rc, signal);
    case 'Pass': {
      const scope = new Frame(rc, thread, state.name).scope();
      const result = state.language === 'JSONata' ? undefined : state.hasResult ? state.result : await effectiveInput(state, thread.input, scope);
      return exit(state, thread, rc, await stateOutput(state, thread.input, result, scope), state.next);
    }
    case 'Wait': {
      const scope = new Frame(rc, thread, state.name).scope();
      // Measured from the entered time, so a restart neither shortens nor restarts the wait.
      const wakeAt = await state.waitUntil!(scope, thread.entered);
      rc.durable?.checkpoint();
      await sleepUntil(rc.clock, wakeAt, signal);
      return exit(state, thread, rc, await stateOutput(state, thread.input, undefined, scope), state.next);
    }
    case 'Choice': {
      const choice = await chooseBranch(state, thread.input, new Frame(rc, thread, state.name).scope());
      return exit(state, thread, rc, choice.outcome, choice.next);
    }
    case 'Succeed':
      return exit(state, thread, rc, await stateOutput(state, thread.input, undefined, new Frame(rc, thread, state.name).scope()), undefined);
    case 'Fail': {
      const scope = new Frame(rc, thread, state.name).scope();
      const error = await state.error?.(scope);
      const cause = await state.cause?.(scope);
      throw new StatesError(error ?? '', cause ?? undefined);
    }
  }
}

/** Leaves a state: applies its assignments, records `…StateExited` and moves the thread on. */
function exit(state: CompiledState, thread: Thread, rc: RunContext, outcome: StateOutcome, next: string | undefined): void {
  const details: Record<string, unknown> = { name: state.name, output: outcome.output ?? null, outputDetails: NOT_TRUNCATED };
  if (outcome.assigned) {
    thread.variables.assign(outcome.assigned);
    details.assignedVariables = Object.fromEntries(Object.entries(outcome.assigned).map(([k, v]) => [k, JSON.stringify(v)]));
    details.assignedVariablesDetails = { truncated: false };
  }
  rc.history.add(state.exitedEvent, thread, details);
  thread.moveTo(next, outcome.output);
  rc.durable?.moved(thread);
}

async function chooseBranch(state: CompiledState, raw: unknown, scope: Scope): Promise<{ next: string; outcome: StateOutcome }> {
  const ruleScope = scope.withData(inputPathOnly(state, raw, scope));
  for (const rule of state.choices!) {
    if (await rule.test(ruleScope)) {
      const outcome = await stateOutput({ ...state, output: rule.output ?? state.output, assign: rule.assign ?? state.assign }, raw, undefined, scope);
      return { next: rule.next, outcome };
    }
  }
  if (state.defaultNext === undefined) {
    throw new StatesError(StatesErrors.NoChoiceMatched, `No Choice Rules matched and no Default is specified in state '${state.name}'`);
  }
  return { next: state.defaultNext, outcome: await stateOutput(state, raw, undefined, scope) };
}

/**
 * A Task/Parallel/Map state: attempts its work, retries it with the matching retrier
 * (per-retrier counters), then tries its catchers in order — resuming from whichever of these
 * phases the thread is in.
 */
async function runWithRetryAndCatch(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  for (;;) {
    switch (thread.phase) {
      case 'entered':
      case 'task':
      case 'fanout':
        try {
          await runWork(state, thread, rc, signal);
        } catch (thrown) {
          if (signal.aborted) throw signal.reason;
          // The work may have recorded its failure (and moved to `error`) already.
          if ((thread.phase as Phase) !== 'error') {
            thread.phase = 'error';
            thread.value = toStatesError(thrown);
            rc.durable?.moved(thread);
          }
        }
        break;
      case 'backoff': {
        await sleepUntil(rc.clock, thread.wakeAt!, signal);
        thread.clearAttempt();
        thread.phase = 'entered';
        rc.durable?.moved(thread);
        break;
      }
      case 'result': {
        const scope = new Frame(rc, thread, state.name).scope();
        return exit(state, thread, rc, await stateOutput(state, thread.input, thread.value ?? null, scope), state.next);
      }
      case 'error': {
        const error = thread.value as StatesError;
        if (isTerminalError(error.error)) throw error;
        const r = state.retriers.findIndex((retrier) => errorMatches(retrier.errorEquals, error.error));
        const counters = (thread.counters ??= state.retriers.map(() => 0));
        if (r >= 0 && counters[r] < state.retriers[r].maxAttempts) {
          const delay = retryDelayMs(state.retriers[r], counters[r]++, rc.random);
          rc.countTransition?.(state.name); // AWS bills each retry as a transition
          thread.clearAttempt();
          thread.retryCount++;
          thread.phase = 'backoff';
          thread.wakeAt = rc.clock.now() + delay;
          rc.durable?.moved(thread);
          rc.durable?.checkpoint();
          break;
        }
        const catcher = state.catchers.find((c) => errorMatches(c.errorEquals, error.error));
        if (!catcher) throw error;
        const scope = new Frame(rc, thread, state.name).scope();
        return exit(state, thread, rc, await catcherOutput(state, catcher, thread.input, error, scope), catcher.next);
      }
      default:
        throw new Error(`state '${state.name}': unexpected phase '${thread.phase}'`);
    }
  }
}

/** One attempt of the work; ends with the thread in phase `result` (or throws). */
function runWork(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  switch (state.type) {
    case 'Task':
      return runTask(state, thread, rc, signal);
    case 'Parallel':
      return runParallel(state, thread, rc, signal);
    default:
      return runMap(state, thread, rc, signal);
  }
}

/** A child AbortController that follows its parent. */
export function childController(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

/** Abort reason of siblings stopped because one branch or iteration failed. */
export const SIBLING_FAILED = Object.freeze({ reason: 'A sibling branch or iteration failed' });

async function runParallel(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  const input = await effectiveInput(state, thread.input, new Frame(rc, thread, state.name).scope());
  const branches = state.branches!;
  if (thread.phase !== 'fanout') {
    thread.started = rc.history.add('ParallelStateStarted', thread);
    thread.phase = 'fanout';
    thread.children = new Array(branches.length);
    rc.durable?.moved(thread);
  }
  const children = (thread.children ??= new Array(branches.length));
  const { controller, release } = childController(signal);
  const runBranch = async (index: number): Promise<unknown> => {
    let child = children[index];
    if (child?.phase === 'done') return child.value;
    if (child?.phase === 'failed') throw child.value;
    if (!child) {
      child = children[index] = childThread(thread, index, branches[index], input);
      rc.durable?.moved(child);
    }
    try {
      return await runThread(branches[index], child, rc, controller.signal);
    } catch (e) {
      if (!controller.signal.aborted) {
        child.fail(toStatesError(e));
        rc.durable?.moved(child);
        controller.abort(SIBLING_FAILED);
      }
      throw e;
    }
  };
  try {
    const results = await Promise.all(branches.map((_, i) => runBranch(i)));
    rc.history.add('ParallelStateSucceeded', thread);
    thread.phase = 'result';
    thread.value = results;
    thread.children = undefined;
    rc.durable?.moved(thread);
  } catch (e) {
    if (signal.aborted) throw signal.reason;
    rc.history.add('ParallelStateFailed', thread);
    thread.phase = 'error';
    thread.value = toStatesError(e);
    rc.durable?.moved(thread);
    throw e;
  } finally {
    release();
  }
}
