/**
 * Task states: builds the task input, calls the resource through the injected integrations
 * (Lambda, optimized and AWS SDK integrations, nested executions, callbacks), enforces
 * TimeoutSeconds / HeartbeatSeconds on the clock, and records the Task* history events.
 */
import { randomUUID } from 'node:crypto';
import type { CompiledState } from './compile.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import { dataDetails, NOT_TRUNCATED } from './history.js';
import { sleepUntil, type RunContext } from './interpreter.js';
import { effectiveInput, positiveSeconds } from './io.js';
import { serviceErrorPrefix, type IntegrationPattern, type TaskResource } from './resources.js';
import { Frame } from './scope.js';
import type { Thread } from './thread.js';

/** What a task invocation knows about itself. */
export interface TaskContext {
  stateName: string;
  executionArn: string;
  /** 0 for the first attempt, then 1, 2… on retries. */
  attempt: number;
  /** The task token of a `.waitForTaskToken` task. */
  taskToken?: string;
  /** The Task's `Resource` ARN as written. */
  resource: string;
  integrationPattern: IntegrationPattern;
  /** Aborted when the task times out or the execution stops. */
  signal: AbortSignal;
}

/** How the engine reaches the outside world; the local runtime wires real handlers in. */
export interface Integrations {
  /** Invokes a Lambda function (name or ARN as given) and resolves with its result payload; throws an Error named like the Lambda `errorType`. */
  invokeLambda(functionName: string, payload: unknown, ctx: TaskContext): Promise<unknown>;
  /** Calls a service action (`'dynamodb'`/`'putItem'`, `'eventbridge'`/`'putEvents'`, `'sfn'`/…, `'activity'`/<name>). */
  callService(service: string, action: string, params: unknown, ctx: TaskContext): Promise<unknown>;
}

/** The part of the Step Functions service that nested `states:startExecution` tasks use. */
export interface NestedExecutionHost {
  /** Starts a child execution; with `adopt`, an existing execution of that name is returned instead of failing. */
  startChildExecution(request: { stateMachineArn: string; input?: string; name?: string }, adopt?: boolean): Promise<{ executionArn: string; startDate: number }>;
  awaitChildExecution(executionArn: string): Promise<{ status: string; output?: string; error?: string; cause?: string; [key: string]: unknown }>;
  stopChildExecution(executionArn: string): Promise<void>;
}

/** Abort reason once a task attempt is over (shared: building an Error per task is costly). */
const TASK_CLOSED = Object.freeze({ reason: 'The task attempt is closed' });

/**
 * Runs one attempt of a Task state, or resumes the attempt a restart interrupted; ends with the
 * thread in phase `result` (or throws, in phase `error`).
 *
 * What a restart does to an attempt (durable mode) follows what AWS guarantees for Standard
 * workflows — "exactly-once workflow execution: execution state internally persists between
 * state transitions" (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html):
 * - a callback task whose call had returned (`TaskSubmitted` recorded) just waits again for its
 *   token, which stays valid across the restart; a SendTaskSuccess/Failure accepted before the
 *   crash is already journaled and completes it at once;
 * - TimeoutSeconds and HeartbeatSeconds deadlines are absolute (the last heartbeat is journaled):
 *   one that passed while the process was down fires at start;
 * - a call that was in flight when the process died is the one thing that is not a state
 *   transition: its outcome is unknown, so it is made again, once, with the same input (and the
 *   same task token, or the same child execution name, so the callee can tell). This is the
 *   at-least-once delivery AWS documents for the Lambda service and why handlers must be
 *   idempotent (https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html); Clearway's are.
 */
export async function runTask(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  const resource = state.resource!;
  const pattern = resource.kind === 'lambdaFunction' || resource.kind === 'activity' ? 'requestResponse' : resource.pattern;
  const executionArn = rc.execution.Id;
  const resuming = thread.phase === 'task';
  const callback = pattern === 'waitForTaskToken' ? rc.tokens.create(executionArn, state.name, thread.token) : undefined;
  const scope = new Frame(rc, thread, state.name, callback ? { Task: { Token: callback.token } } : undefined).scope();
  let controller: AbortController | undefined;
  let onAbort: (() => void) | undefined;
  const isLambdaArn = resource.kind === 'lambdaFunction';
  let timedOut = false;
  try {
    const params = await effectiveInput(state, thread.input, scope);
    const timeout = state.timeoutSeconds && (await positiveSeconds(state.timeoutSeconds, scope, 'TimeoutSeconds'));
    const heartbeat = state.heartbeatSeconds && (await positiveSeconds(state.heartbeatSeconds, scope, 'HeartbeatSeconds'));
    if (!resuming) {
      const scheduled: Record<string, unknown> = isLambdaArn ? { resource: state.resourceArn, input: params ?? null, inputDetails: NOT_TRUNCATED } : { region: rc.region, parameters: params ?? null };
      if (timeout) scheduled.timeoutInSeconds = timeout;
      if (heartbeat && !isLambdaArn) scheduled.heartbeatInSeconds = heartbeat;
      taskEvent(rc, state, thread, 'Scheduled', scheduled);
      taskEvent(rc, state, thread, 'Started', isLambdaArn ? undefined : {});
      thread.phase = 'task';
      thread.token = callback?.token;
      thread.timeoutAt = timeout ? rc.clock.now() + timeout * 1000 : undefined;
      // A nested execution is named before it is started, so a restart finds it instead of starting another.
      if (resource.kind === 'optimized' && resource.service === 'sfn') thread.child = (params as { Name?: string } | null)?.Name ?? randomUUID();
      rc.durable?.moved(thread);
      // Only a token or a child name handed out must be journaled before the call: a plain call
      // interrupted by a crash is made again from the last checkpoint either way.
      if (callback || thread.child !== undefined) rc.durable?.checkpoint();
    }
    // A signal of the attempt's own only where something can end the attempt before the execution
    // ends (timeouts, callbacks, child executions): AbortControllers are costly on the hot path.
    let taskSignal = signal;
    if (timeout || heartbeat || callback || thread.child !== undefined) {
      const own = (controller = new AbortController());
      onAbort = () => own.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      taskSignal = own.signal;
    }
    const ctx: TaskContext = { stateName: state.name, executionArn, attempt: thread.retryCount, taskToken: callback?.token, resource: state.resourceArn!, integrationPattern: pattern, signal: taskSignal };
    // A call that returns after its attempt ended (timed out while the call was in flight) must
    // not mark the thread, which has moved on to another state, as submitted.
    const onSubmitted = callback ? () => void (taskSignal.aborted || submitted(rc, state, thread)) : undefined;
    const work = thread.submitted ? callback!.wait : invoke(resource, params, ctx, rc, callback, thread, resuming, onSubmitted);
    const limits: Promise<never>[] = [];
    if (thread.timeoutAt !== undefined) limits.push(sleepUntil(rc.clock, thread.timeoutAt, taskSignal).then(() => fail(StatesErrors.Timeout, 'Task timed out')));
    if (heartbeat) limits.push(heartbeatWatch(rc, thread, heartbeat, taskSignal, callback?.token));
    let result: unknown;
    try {
      result = await (limits.length ? Promise.race([work, ...limits]) : work);
    } catch (e) {
      if (signal.aborted) throw e;
      const error = toStatesError(e);
      timedOut = error.error === StatesErrors.Timeout || error.error === StatesErrors.HeartbeatTimeout;
      taskEvent(rc, state, thread, timedOut ? 'TimedOut' : 'Failed', { error: error.error, cause: error.cause ?? '' });
      thread.phase = 'error';
      thread.value = error;
      rc.durable?.moved(thread);
      rc.durable?.checkpoint();
      throw error;
    }
    taskEvent(rc, state, thread, 'Succeeded', dataDetails('output', result));
    thread.phase = 'result';
    thread.value = result ?? null;
    rc.durable?.moved(thread);
    rc.durable?.checkpoint();
  } finally {
    if (controller) {
      signal.removeEventListener('abort', onAbort!);
      controller.abort(TASK_CLOSED);
    }
    if (callback) rc.tokens.close(callback.token, timedOut ? 'timedOut' : signal.aborted ? 'aborted' : 'completed');
  }
}

/** A callback task's call returned: from now on it only waits for its token. */
function submitted(rc: RunContext, state: CompiledState, thread: Thread): void {
  taskEvent(rc, state, thread, 'Submitted', dataDetails('output', null));
  thread.submitted = true;
  rc.durable?.moved(thread);
  rc.durable?.checkpoint();
}

type EventSuffix = 'Scheduled' | 'Started' | 'Submitted' | 'Succeeded' | 'Failed' | 'TimedOut';

/** Records `LambdaFunction<suffix>` (a Lambda ARN resource) or `Task<suffix>` with the resource it names. */
function taskEvent(rc: RunContext, state: CompiledState, thread: Thread, suffix: EventSuffix, details?: Record<string, unknown>): number {
  if (state.resource!.kind === 'lambdaFunction') return rc.history.add(`LambdaFunction${suffix}`, thread, details);
  const { resourceType, resource } = state.taskEventResource!;
  return rc.history.add(`Task${suffix}`, thread, { resourceType, resource, ...details });
}

function fail(error: string, cause: string): never {
  throw new StatesError(error, cause);
}

/** Rejects with `States.HeartbeatTimeout` when `seconds` pass without a SendTaskHeartbeat. */
function heartbeatWatch(rc: RunContext, thread: Thread, seconds: number, signal: AbortSignal, token: string | undefined): Promise<never> {
  // The countdown runs from the last heartbeat (or the start of the attempt), journaled with the
  // thread, so one that ran out while the process was down fires on start.
  thread.beatAt ??= rc.clock.now();
  if (token) {
    rc.tokens.onHeartbeat(token, () => {
      thread.beatAt = rc.clock.now();
      rc.durable?.moved(thread);
      rc.durable?.checkpoint();
    });
  }
  return (async () => {
    for (;;) {
      await sleepUntil(rc.clock, thread.beatAt! + seconds * 1000, signal);
      if (rc.clock.now() >= thread.beatAt! + seconds * 1000) fail(StatesErrors.HeartbeatTimeout, 'Task heartbeat timed out');
    }
  })();
}

/** The `lambda:invoke` result as AWS shapes it (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html). */
function lambdaInvokeOutput(payload: unknown, requestId: string): Record<string, unknown> {
  const headers = { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId };
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload ?? null,
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** Qualifies an unqualified service error name (`ConditionalCheckFailedException` → `DynamoDB.ConditionalCheckFailedException`). */
function serviceError(resource: TaskResource, thrown: unknown): StatesError {
  const prefix = serviceErrorPrefix(resource);
  if (thrown instanceof StatesError || !(thrown instanceof Error) || !prefix || thrown.name.includes('.')) return toStatesError(thrown);
  const service = resource.kind === 'sdk' || resource.kind === 'optimized' ? resource.service : '';
  return new StatesError(`${prefix}.${thrown.name}`, `${thrown.message} (Service: ${service}, Status Code: 400, Error Code: ${thrown.name})`);
}

async function invoke(
  resource: TaskResource,
  params: unknown,
  ctx: TaskContext,
  rc: RunContext,
  callback: { token: string; wait: Promise<unknown> } | undefined,
  thread: Thread,
  resuming: boolean,
  submitted: (() => void) | undefined,
): Promise<unknown> {
  const { integrations } = rc;
  switch (resource.kind) {
    case 'lambdaFunction':
      return integrations.invokeLambda(resource.arn, params, ctx);
    case 'activity':
      return integrations.callService('activity', resource.name, params, ctx);
    default: {
      const p = (params ?? {}) as Record<string, any>;
      if (resource.kind === 'optimized' && resource.service === 'lambda' && resource.action === 'invoke' && !callback) {
        return lambdaInvokeOutput(await integrations.invokeLambda(p.FunctionName, p.Payload, ctx), ctx.executionArn.split(':').pop() + '-' + ctx.attempt);
      }
      const run = (start: () => Promise<unknown>) => (callback ? startThenWait(start, callback, submitted!) : start());
      if (resource.kind === 'optimized' && resource.service === 'lambda' && resource.action === 'invoke') return run(() => integrations.invokeLambda(p.FunctionName, p.Payload, ctx));
      if (resource.kind === 'optimized' && resource.service === 'sfn' && resource.action === 'startExecution') {
        return startNested(p, resource.pattern, rc, ctx, run, thread.child!, resuming);
      }
      return run(() => integrations.callService(resource.service, resource.action, params, ctx).catch((e) => Promise.reject(serviceError(resource, e))));
    }
  }
}

/** Starts a callback task's work, then waits for SendTask* (which may even arrive first). */
function startThenWait(start: () => Promise<unknown>, callback: { wait: Promise<unknown> }, submitted: () => void): Promise<unknown> {
  const sent = start().then(() => {
    submitted();
    return callback.wait;
  });
  return Promise.race([callback.wait, sent]);
}

/** Nested `states:startExecution` — request/response, `.sync` (string output), `.sync:2` (JSON output) or `.waitForTaskToken`. */
async function startNested(
  p: Record<string, any>,
  pattern: IntegrationPattern,
  rc: RunContext,
  ctx: TaskContext,
  run: (start: () => Promise<unknown>) => Promise<unknown>,
  name: string,
  resuming: boolean,
): Promise<unknown> {
  const request = {
    stateMachineArn: p.StateMachineArn,
    name,
    input: p.Input === undefined ? undefined : typeof p.Input === 'string' ? p.Input : JSON.stringify(p.Input),
  };
  // Resuming after a restart: the child this attempt started before the crash is the one to follow.
  if (pattern === 'waitForTaskToken') return run(() => rc.host.startChildExecution(request, resuming));
  const started = await rc.host.startChildExecution(request, resuming).catch((e) => Promise.reject(new StatesError(`StepFunctions.${e.__type ?? e.name}`, e.message)));
  if (pattern === 'requestResponse') return { ExecutionArn: started.executionArn, StartDate: started.startDate };
  const stop = () => void rc.host.stopChildExecution(started.executionArn);
  ctx.signal.addEventListener('abort', stop, { once: true });
  const done = await rc.host.awaitChildExecution(started.executionArn);
  ctx.signal.removeEventListener('abort', stop);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(done)) out[k.charAt(0).toUpperCase() + k.slice(1)] = v instanceof Date ? v.getTime() : v;
  // `.sync:2` returns Input/Output as JSON, `.sync` as strings.
  if (pattern === 'sync:2') {
    for (const field of ['Input', 'Output']) if (typeof out[field] === 'string') out[field] = JSON.parse(out[field] as string);
  }
  if (done.status !== 'SUCCEEDED') throw new StatesError(StatesErrors.TaskFailed, JSON.stringify(out));
  return out;
}
