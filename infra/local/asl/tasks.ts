/**
 * Task states: builds the task input, calls the resource through the injected integrations
 * (Lambda, optimized and AWS SDK integrations, nested executions, callbacks), enforces
 * TimeoutSeconds / HeartbeatSeconds on the clock, and records the Task* history events.
 */
import type { CompiledState, EvalScope } from './compile.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import { dataDetails } from './history.js';
import type { RunContext } from './interpreter.js';
import { effectiveInput, positiveSeconds, stateOutput, type StateOutcome } from './io.js';
import { describeResource, serviceErrorPrefix, type IntegrationPattern, type TaskResource } from './resources.js';

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
  startChildExecution(request: { stateMachineArn: string; input?: string; name?: string }): Promise<{ executionArn: string; startDate: number }>;
  awaitChildExecution(executionArn: string): Promise<{ status: string; output?: string; error?: string; cause?: string; [key: string]: unknown }>;
  stopChildExecution(executionArn: string): Promise<void>;
}

/** Abort reason once a task attempt is over (shared: building an Error per task is costly). */
const TASK_CLOSED = Object.freeze({ reason: 'The task attempt is closed' });

interface Visit {
  rc: RunContext;
  cursor: { last: number };
  signal: AbortSignal;
}

/** Runs one attempt of a Task state. */
export async function runTask(state: CompiledState, raw: unknown, visit: Visit, attempt: number, scopeWith: (extra?: Record<string, unknown>) => EvalScope): Promise<StateOutcome> {
  const { rc } = visit;
  const resource = state.resource!;
  const pattern = resource.kind === 'lambdaFunction' || resource.kind === 'activity' ? 'requestResponse' : resource.pattern;
  const executionArn = rc.execution.Id;
  const callback = pattern === 'waitForTaskToken' ? rc.tokens.create(executionArn, state.name) : undefined;
  const scope = scopeWith(callback ? { Task: { Token: callback.token } } : undefined);
  let controller: AbortController | undefined;
  const onAbort = () => controller!.abort(visit.signal.reason);
  const { resourceType, resource: resourceName } = describeResource(resource, state.resourceArn!);
  const isLambdaArn = resource.kind === 'lambdaFunction';
  const event = (suffix: string, details?: Record<string, unknown>) =>
    rc.history.add(isLambdaArn ? `LambdaFunction${suffix}` : `Task${suffix}`, visit.cursor, isLambdaArn ? details : details && { resourceType, resource: resourceName, ...details });
  let timedOut = false;
  try {
    const params = await effectiveInput(state, raw, scope);
    const timeout = await positiveSeconds(state.timeoutSeconds, scope, 'TimeoutSeconds');
    const heartbeat = await positiveSeconds(state.heartbeatSeconds, scope, 'HeartbeatSeconds');
    if (isLambdaArn) event('Scheduled', { resource: state.resourceArn, ...dataDetails('input', params), ...(timeout ? { timeoutInSeconds: timeout } : {}) });
    else event('Scheduled', { region: rc.region, ...dataDetails('parameters', params), ...(timeout ? { timeoutInSeconds: timeout } : {}), ...(heartbeat ? { heartbeatInSeconds: heartbeat } : {}) });
    event('Started', isLambdaArn ? undefined : {});
    // A signal of the attempt's own only where something can end the attempt before the execution
    // ends (timeouts, callbacks, child executions): AbortControllers are costly on the hot path.
    let signal = visit.signal;
    if (timeout || heartbeat || callback || (resource.kind === 'optimized' && resource.service === 'sfn')) {
      controller = new AbortController();
      visit.signal.addEventListener('abort', onAbort, { once: true });
      signal = controller.signal;
    }
    const ctx: TaskContext = { stateName: state.name, executionArn, attempt, taskToken: callback?.token, resource: state.resourceArn!, integrationPattern: pattern, signal };
    const work = invoke(resource, params, ctx, rc, callback, () => event('Submitted', dataDetails('output', null)));
    const limits: Promise<never>[] = [];
    if (timeout) limits.push(rc.clock.sleep(timeout * 1000, signal).then(() => fail(StatesErrors.Timeout, 'Task timed out')));
    if (heartbeat) limits.push(heartbeatWatch(rc, heartbeat, signal, callback?.token));
    let result: unknown;
    try {
      result = await (limits.length ? Promise.race([work, ...limits]) : work);
    } catch (e) {
      if (visit.signal.aborted) throw e;
      const error = toStatesError(e);
      timedOut = error.error === StatesErrors.Timeout || error.error === StatesErrors.HeartbeatTimeout;
      event(timedOut ? 'TimedOut' : 'Failed', { error: error.error, cause: error.cause ?? '' });
      throw error;
    }
    event('Succeeded', dataDetails('output', result));
    return await stateOutput(state, raw, result ?? null, scope);
  } finally {
    if (controller) {
      visit.signal.removeEventListener('abort', onAbort);
      controller.abort(TASK_CLOSED);
    }
    if (callback) rc.tokens.close(callback.token, timedOut ? 'timedOut' : visit.signal.aborted ? 'aborted' : 'completed');
  }
}

function fail(error: string, cause: string): never {
  throw new StatesError(error, cause);
}

/** Rejects with `States.HeartbeatTimeout` when `seconds` pass without a SendTaskHeartbeat. */
function heartbeatWatch(rc: RunContext, seconds: number, signal: AbortSignal, token: string | undefined): Promise<never> {
  let lastBeat = rc.clock.now();
  if (token) rc.tokens.onHeartbeat(token, () => (lastBeat = rc.clock.now()));
  return (async () => {
    for (;;) {
      const due = lastBeat + seconds * 1000;
      await rc.clock.sleep(due - rc.clock.now(), signal);
      if (rc.clock.now() >= lastBeat + seconds * 1000) fail(StatesErrors.HeartbeatTimeout, 'Task heartbeat timed out');
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
  submitted: () => void,
): Promise<unknown> {
  const { integrations } = rc;
  /** Starts the work; for callbacks, then waits for SendTask* (which may even arrive first). */
  const run = async (start: () => Promise<unknown>): Promise<unknown> => {
    if (!callback) return start();
    const sent = start().then(() => {
      submitted();
      return callback.wait;
    });
    return Promise.race([callback.wait, sent]);
  };
  switch (resource.kind) {
    case 'lambdaFunction':
      return integrations.invokeLambda(resource.arn, params, ctx);
    case 'activity':
      return integrations.callService('activity', resource.name, params, ctx);
    default: {
      const p = (params ?? {}) as Record<string, any>;
      if (resource.kind === 'optimized' && resource.service === 'lambda' && resource.action === 'invoke') {
        if (callback) return run(() => integrations.invokeLambda(p.FunctionName, p.Payload, ctx));
        return lambdaInvokeOutput(await integrations.invokeLambda(p.FunctionName, p.Payload, ctx), ctx.executionArn.split(':').pop() + '-' + ctx.attempt);
      }
      if (resource.kind === 'optimized' && resource.service === 'sfn' && resource.action === 'startExecution') {
        return startNested(p, resource.pattern, rc, ctx, run);
      }
      return run(() => integrations.callService(resource.service, resource.action, params, ctx).catch((e) => Promise.reject(serviceError(resource, e))));
    }
  }
}

/** Nested `states:startExecution` — request/response, `.sync` (string output), `.sync:2` (JSON output) or `.waitForTaskToken`. */
async function startNested(
  p: Record<string, any>,
  pattern: IntegrationPattern,
  rc: RunContext,
  ctx: TaskContext,
  run: (start: () => Promise<unknown>) => Promise<unknown>,
): Promise<unknown> {
  const request = {
    stateMachineArn: p.StateMachineArn,
    name: p.Name,
    input: p.Input === undefined ? undefined : typeof p.Input === 'string' ? p.Input : JSON.stringify(p.Input),
  };
  if (pattern === 'waitForTaskToken') return run(() => rc.host.startChildExecution(request));
  const started = await rc.host.startChildExecution(request).catch((e) => Promise.reject(new StatesError(`StepFunctions.${e.__type ?? e.name}`, e.message)));
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
