/**
 * The execution loop: runs a compiled machine state by state, with Retry/Catch around Task,
 * Parallel and Map, waits on the injected clock, and records the history.
 */
import type { Clock } from '../clock.js';
import type { CompiledMachine, CompiledState, EvalScope } from './compile.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import { dataDetails, type HistoryCursor, type HistoryRecorder } from './history.js';
import { catcherOutput, effectiveInput, inputPathOnly, makeScope, stateOutput, type StateOutcome } from './io.js';
import { errorMatches, isTerminalError, retryDelayMs } from './retry.js';
import { runTask, type Integrations, type NestedExecutionHost } from './tasks.js';
import type { TaskTokenRegistry } from './task-tokens.js';
import { VariableScope } from './variables.js';

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
  execution: {
    Id: string;
    Name: string;
    Input: unknown;
    StartTime: string;
    RoleArn: string;
    RedriveCount: number;
  };
  stateMachine: { Id: string; Name: string };
  /** Called for every billable state transition: each state entered, and each retry of one. */
  countTransition?: (stateName: string) => void;
}

/** One thread of control: its variables, history cursor and cancellation signal. */
export interface Visit {
  rc: RunContext;
  variables: VariableScope;
  cursor: HistoryCursor;
  signal: AbortSignal;
}

/** Runs `machine` from its StartAt to a terminal state; resolves with the output or throws a {@link StatesError}. */
export async function runMachine(machine: CompiledMachine, input: unknown, visit: Visit): Promise<unknown> {
  let state = machine.states.get(machine.startAt)!;
  let data = input;
  for (;;) {
    if (visit.signal.aborted) throw visit.signal.reason;
    const { output, next } = await runState(state, data, visit);
    if (next === undefined) return output;
    state = machine.states.get(next)!;
    data = output;
  }
}

/** Creates the variable scope and cursor of a top-level execution. */
export function topLevelVisit(rc: RunContext, signal: AbortSignal, cursor: HistoryCursor, variables = new VariableScope()): Visit {
  return { rc, variables, cursor, signal };
}

function contextObject(rc: RunContext, state: CompiledState, enteredTime: string, retryCount: number, extra?: Record<string, unknown>): Record<string, unknown> {
  return {
    Execution: rc.execution,
    State: { Name: state.name, EnteredTime: enteredTime, RetryCount: retryCount },
    StateMachine: rc.stateMachine,
    ...extra,
  };
}

async function runState(state: CompiledState, raw: unknown, visit: Visit): Promise<{ output: unknown; next?: string }> {
  const { rc } = visit;
  rc.countTransition?.(state.name);
  const enteredTime = new Date(rc.clock.now()).toISOString();
  rc.history.add(`${state.type}StateEntered`, visit.cursor, { name: state.name, ...dataDetails('input', raw) });
  const scopeFor = (retryCount: number, extra?: Record<string, unknown>) => makeScope(raw, contextObject(rc, state, enteredTime, retryCount, extra), visit.variables);
  let outcome: StateOutcome;
  let next = state.next;
  switch (state.type) {
    case 'Task':
    case 'Parallel':
    case 'Map': {
      const handled = await withRetryAndCatch(state, raw, visit, scopeFor);
      outcome = handled.outcome;
      next = handled.next;
      break;
    }
    case 'Pass': {
      const scope = scopeFor(0);
      const result = state.language === 'JSONata' ? undefined : state.hasResult ? state.result : await effectiveInput(state, raw, scope);
      outcome = await stateOutput(state, raw, result, scope);
      break;
    }
    case 'Wait': {
      const scope = scopeFor(0);
      const wakeAt = await state.waitUntil!(scope, rc.clock.now());
      const delay = wakeAt - rc.clock.now();
      if (delay > 0) await rc.clock.sleep(delay, visit.signal);
      outcome = await stateOutput(state, raw, undefined, scope);
      break;
    }
    case 'Choice': {
      const scope = scopeFor(0);
      const choice = await chooseBranch(state, raw, scope);
      next = choice.next;
      outcome = choice.outcome;
      break;
    }
    case 'Succeed':
      outcome = await stateOutput(state, raw, undefined, scopeFor(0));
      next = undefined;
      break;
    case 'Fail': {
      const scope = scopeFor(0);
      const error = await state.error?.(scope);
      const cause = await state.cause?.(scope);
      throw new StatesError(error ?? '', cause ?? undefined);
    }
  }
  if (outcome.assigned) visit.variables.assign(outcome.assigned);
  const exitDetails: Record<string, unknown> = { name: state.name, ...dataDetails('output', outcome.output) };
  if (outcome.assigned) {
    exitDetails.assignedVariables = Object.fromEntries(Object.entries(outcome.assigned).map(([k, v]) => [k, JSON.stringify(v)]));
    exitDetails.assignedVariablesDetails = { truncated: false };
  }
  rc.history.add(`${state.type}StateExited`, visit.cursor, exitDetails);
  return { output: outcome.output, next };
}

async function chooseBranch(state: CompiledState, raw: unknown, scope: EvalScope): Promise<{ next: string; outcome: StateOutcome }> {
  const data = inputPathOnly(state, raw, scope);
  const ruleScope: EvalScope = { ...scope, data };
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

/** Runs a Task/Parallel/Map with its retriers (per-retrier counters), then its catchers in order. */
async function withRetryAndCatch(
  state: CompiledState,
  raw: unknown,
  visit: Visit,
  scopeFor: (retryCount: number, extra?: Record<string, unknown>) => EvalScope,
): Promise<{ outcome: StateOutcome; next?: string }> {
  const counters = state.retriers.map(() => 0);
  for (let retryCount = 0; ; retryCount++) {
    try {
      return { outcome: await runWork(state, raw, visit, scopeFor, retryCount), next: state.next };
    } catch (thrown) {
      if (visit.signal.aborted) throw visit.signal.reason;
      const error = toStatesError(thrown);
      if (isTerminalError(error.error)) throw error;
      const r = state.retriers.findIndex((retrier) => errorMatches(retrier.errorEquals, error.error));
      if (r >= 0 && counters[r] < state.retriers[r].maxAttempts) {
        const delay = retryDelayMs(state.retriers[r], counters[r]++, visit.rc.random);
        visit.rc.countTransition?.(state.name); // AWS bills each retry as a transition
        await visit.rc.clock.sleep(delay, visit.signal);
        continue;
      }
      const catcher = state.catchers.find((c) => errorMatches(c.errorEquals, error.error));
      if (!catcher) throw error;
      return { outcome: await catcherOutput(state, catcher, raw, error, scopeFor(retryCount)), next: catcher.next };
    }
  }
}

function runWork(state: CompiledState, raw: unknown, visit: Visit, scopeFor: (retryCount: number, extra?: Record<string, unknown>) => EvalScope, retryCount: number): Promise<StateOutcome> {
  switch (state.type) {
    case 'Task':
      return runTask(state, raw, visit, retryCount, (extra) => scopeFor(retryCount, extra));
    case 'Parallel':
      return runParallel(state, raw, visit, scopeFor(retryCount));
    default:
      return runMap(state, raw, visit, scopeFor(retryCount), (extra) => scopeFor(retryCount, extra));
  }
}

/** A child AbortController that follows its parent. */
function childController(parent: AbortSignal): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

/** Signals siblings to stop because one branch or iteration failed. */
class SiblingFailed extends Error {}

async function runParallel(state: CompiledState, raw: unknown, visit: Visit, scope: EvalScope): Promise<StateOutcome> {
  const input = await effectiveInput(state, raw, scope);
  const { rc } = visit;
  rc.history.add('ParallelStateStarted', visit.cursor);
  const started = visit.cursor.last;
  const { controller, release } = childController(visit.signal);
  try {
    const results = await Promise.all(
      state.branches!.map((branch) =>
        runMachine(branch, input, { rc, variables: new VariableScope(visit.variables), cursor: { last: started }, signal: controller.signal }).catch((e) => {
          if (!controller.signal.aborted) controller.abort(new SiblingFailed());
          throw e;
        }),
      ),
    );
    rc.history.add('ParallelStateSucceeded', visit.cursor);
    return await stateOutput(state, raw, results, scope);
  } catch (e) {
    if (visit.signal.aborted) throw e;
    rc.history.add('ParallelStateFailed', visit.cursor);
    throw e;
  } finally {
    release();
  }
}

async function runMap(state: CompiledState, raw: unknown, visit: Visit, scope: EvalScope, scopeWith: (extra: Record<string, unknown>) => EvalScope): Promise<StateOutcome> {
  const { rc } = visit;
  const mapInput = inputPathOnly(state, raw, scope);
  const items = await state.items!({ ...scope, data: mapInput });
  if (!Array.isArray(items)) throw new StatesError(StatesErrors.Runtime, `Map state '${state.name}': the items to iterate over must be an array, got ${JSON.stringify(items)}`);
  rc.history.add('MapStateStarted', visit.cursor, { length: items.length });
  const started = visit.cursor.last;
  const results: unknown[] = new Array(items.length);
  const limit = state.maxConcurrency && state.maxConcurrency > 0 ? state.maxConcurrency : items.length;
  const tolerated = toleratedFailures(state, items.length);
  let failures = 0;
  let firstError: unknown;
  let nextIndex = 0;
  const { controller, release } = childController(visit.signal);
  const iterate = async (index: number) => {
    const cursor = { last: started };
    const details = { name: state.name, index };
    rc.history.add('MapIterationStarted', cursor, details);
    const item = items[index];
    try {
      const itemScope = scopeWith({ Map: { Item: { Index: index, Value: item } } });
      const itemInput = state.itemSelector ? await state.itemSelector({ ...itemScope, data: mapInput }) : item;
      results[index] = await runMachine(state.processor!, itemInput, { rc, variables: new VariableScope(visit.variables), cursor, signal: controller.signal });
      rc.history.add('MapIterationSucceeded', cursor, details);
    } catch (e) {
      if (controller.signal.aborted) {
        rc.history.add('MapIterationAborted', cursor, details);
        return;
      }
      rc.history.add('MapIterationFailed', cursor, details);
      const error = toStatesError(e);
      results[index] = error.toErrorOutput();
      failures++;
      if (failures > tolerated) {
        firstError ??= e;
        controller.abort(new SiblingFailed());
      }
    }
  };
  const worker = async () => {
    while (nextIndex < items.length && !controller.signal.aborted) await iterate(nextIndex++);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  } finally {
    release();
  }
  if (visit.signal.aborted) throw visit.signal.reason;
  if (firstError !== undefined) {
    rc.history.add('MapStateFailed', visit.cursor);
    if (tolerated > 0 || state.toleratedFailureCount !== undefined || state.toleratedFailurePercentage !== undefined) {
      throw new StatesError(StatesErrors.ExceedToleratedFailureThreshold, `The Map state '${state.name}' exceeded its tolerated failure threshold`);
    }
    throw firstError;
  }
  rc.history.add('MapStateSucceeded', visit.cursor);
  return stateOutput(state, raw, results, scope);
}

/** How many failed iterations a Map tolerates (count and percentage: the stricter wins). */
function toleratedFailures(state: CompiledState, itemCount: number): number {
  const byCount = state.toleratedFailureCount ?? Infinity;
  const byPercent = state.toleratedFailurePercentage === undefined ? Infinity : Math.floor((state.toleratedFailurePercentage / 100) * itemCount);
  const limit = Math.min(byCount, byPercent);
  return limit === Infinity ? 0 : limit;
}
