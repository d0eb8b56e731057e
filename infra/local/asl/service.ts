/**
 * `LocalStepFunctions`: the Step Functions JSON API over the local engine. Method names,
 * request and response fields follow the AWS API
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html) so that
 * `@aws-sdk/client-sfn`, pointed at an HTTP endpoint that calls {@link LocalStepFunctions.handle},
 * works unchanged.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { compileStateMachine, type CompiledStateMachine } from './compile.js';
import { SfnServiceError, StatesError, StatesErrors } from './errors.js';
import { dataDetails, HistoryRecorder, toApiEvent, type ApiHistoryEvent } from './history.js';
import { runMachine, topLevelVisit, type RunContext } from './interpreter.js';
import { tryParseJson } from './json.js';
import { MemoryExecutionStore, type ExecutionRecord, type ExecutionStatus, type ExecutionStore, type StateMachineRecord, type StateMachineType } from './store.js';
import type { Integrations, NestedExecutionHost } from './tasks.js';
import { TaskTokenRegistry } from './task-tokens.js';

/** Options of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  integrations: Integrations;
  clock?: Clock;
  region?: string;
  accountId?: string;
  store?: ExecutionStore;
  /** Random source for retry jitter (default `Math.random`). */
  random?: () => number;
}

/** DescribeExecution response. */
export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  inputDetails: { included: boolean };
  output?: string;
  outputDetails?: { included: boolean };
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
}

/**
 * What the service did since it started, in the units AWS bills (the benchmark prices them):
 * executions started and state transitions per workflow type, transitions per state of each
 * state machine, and the billed duration of Express executions (rounded up to 100 ms each).
 */
export interface StepFunctionsMetrics {
  executionsStarted: Record<StateMachineType, number>;
  stateTransitions: Record<StateMachineType, number>;
  /** State machine name → state name → transitions. */
  transitionsByState: Record<string, Record<string, number>>;
  expressBilledMs: number;
}

/** Why a running execution was stopped from outside its own logic. */
class ExecutionInterrupted extends Error {
  constructor(
    readonly status: 'ABORTED' | 'TIMED_OUT',
    readonly error?: string,
    readonly cause?: string,
  ) {
    super(status);
  }
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

// Names: 1–80 characters, no whitespace, brackets, wildcards, special or control characters (API_StartExecution).
const VALID_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

const require = <T>(value: T | undefined | null, field: string): T => {
  if (value === undefined || value === null || value === '') throw new SfnServiceError('ValidationException', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  return value;
};

/** The local Step Functions service. */
export class LocalStepFunctions implements NestedExecutionHost {
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  private readonly integrations: Integrations;
  private readonly store: ExecutionStore;
  private readonly random: () => number;
  private readonly tokens = new TaskTokenRegistry();
  private readonly compiled = new Map<string, CompiledStateMachine>();
  private readonly running = new Map<string, Running>();
  readonly metrics: StepFunctionsMetrics = {
    executionsStarted: { STANDARD: 0, EXPRESS: 0 },
    stateTransitions: { STANDARD: 0, EXPRESS: 0 },
    transitionsByState: {},
    expressBilledMs: 0,
  };

  constructor(options: LocalStepFunctionsOptions) {
    this.integrations = options.integrations;
    this.clock = options.clock ?? systemClock;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.store = options.store ?? new MemoryExecutionStore();
    this.random = options.random ?? Math.random;
  }

  // ── state machines ──────────────────────────────────────────────────────────────────────────

  /** CreateStateMachine. Idempotent for the same name, definition, role and type; throws `InvalidDefinition`. */
  createStateMachine(req: { name: string; definition: string | object; roleArn?: string; type?: StateMachineType }): { stateMachineArn: string; creationDate: Date } {
    const name = require(req.name, 'name');
    if (!VALID_NAME.test(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const definition = typeof req.definition === 'string' ? req.definition : JSON.stringify(req.definition);
    const compiled = compileStateMachine(require(definition, 'definition'));
    const stateMachineArn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const type = req.type ?? 'STANDARD';
    const roleArn = req.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-stepfunctions`;
    const existing = this.store.getStateMachine(stateMachineArn);
    if (existing) {
      if (existing.definition !== definition || existing.type !== type || existing.roleArn !== roleArn) {
        throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${stateMachineArn}'`);
      }
      return { stateMachineArn, creationDate: new Date(existing.creationDate) };
    }
    const record: StateMachineRecord = { stateMachineArn, name, definition, roleArn, type, creationDate: this.clock.now() };
    this.store.putStateMachine(record);
    this.compiled.set(stateMachineArn, compiled);
    return { stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  /** DescribeStateMachine. */
  describeStateMachine(req: { stateMachineArn: string }) {
    const sm = this.stateMachine(req.stateMachineArn);
    return { stateMachineArn: sm.stateMachineArn, name: sm.name, status: 'ACTIVE', definition: sm.definition, roleArn: sm.roleArn, type: sm.type, creationDate: new Date(sm.creationDate) };
  }

  /** ListStateMachines. */
  listStateMachines(_req: Record<string, unknown> = {}) {
    return { stateMachines: this.store.listStateMachines().map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: new Date(sm.creationDate) })) };
  }

  /** DeleteStateMachine. */
  deleteStateMachine(req: { stateMachineArn: string }): Record<string, never> {
    this.store.deleteStateMachine(require(req.stateMachineArn, 'stateMachineArn'));
    this.compiled.delete(req.stateMachineArn);
    return {};
  }

  // ── executions ──────────────────────────────────────────────────────────────────────────────

  /**
   * StartExecution. Idempotent as on AWS: the same name and input as a RUNNING execution returns
   * that execution; a closed execution or a different input gives `ExecutionAlreadyExists`.
   */
  startExecution(req: { stateMachineArn: string; name?: string; input?: string; traceHeader?: string }): { executionArn: string; startDate: Date } {
    const sm = this.stateMachine(req.stateMachineArn);
    const name = req.name ?? randomUUID();
    if (!VALID_NAME.test(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    const parsed = tryParseJson(input);
    if (!parsed.ok) throw new SfnServiceError('InvalidExecutionInput', 'Invalid execution input: the input must be valid JSON text');
    const kind = sm.type === 'EXPRESS' ? 'express' : 'execution';
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:${kind}:${sm.name}:${name}`;
    const existing = this.store.getExecution(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: new Date(existing.startDate) };
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: sm.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: this.clock.now(),
      input,
      redriveCount: 0,
      events: [],
    };
    this.store.putExecution(record);
    this.launch(sm, record, parsed.value);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  /** StartSyncExecution (Express state machines only, as on AWS). */
  async startSyncExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    const sm = this.stateMachine(req.stateMachineArn);
    if (sm.type !== 'EXPRESS') throw new SfnServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const { executionArn } = this.startExecution(req);
    const done = await this.awaitExecution(executionArn);
    const { redriveCount: _r, redriveStatus: _s, ...rest } = done;
    return { ...rest, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, (done.stopDate!.getTime() - done.startDate.getTime()) | 0) } };
  }

  /** DescribeExecution. */
  describeExecution(req: { executionArn: string }): DescribeExecutionOutput {
    return describe(this.execution(req.executionArn));
  }

  /** Resolves when the execution has finished (for tests and `.sync` tasks). */
  async awaitExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    await this.running.get(executionArn)?.done;
    return this.describeExecution({ executionArn });
  }

  /** ListExecutions (paginated by `maxResults` / `nextToken`). */
  listExecutions(req: { stateMachineArn: string; statusFilter?: ExecutionStatus; maxResults?: number; nextToken?: string }) {
    this.stateMachine(req.stateMachineArn);
    const all = this.store.listExecutions(req.stateMachineArn).filter((e) => !req.statusFilter || e.status === req.statusFilter);
    const { page, nextToken } = paginate(all, req.maxResults, req.nextToken);
    return {
      executions: page.map((e) => ({ executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: new Date(e.startDate), ...(e.stopDate ? { stopDate: new Date(e.stopDate) } : {}) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /** GetExecutionHistory (paginated; `reverseOrder` supported). */
  getExecutionHistory(req: { executionArn: string; maxResults?: number; nextToken?: string; reverseOrder?: boolean; includeExecutionData?: boolean }): {
    events: ApiHistoryEvent[];
    nextToken?: string;
  } {
    const record = this.execution(req.executionArn);
    const events = req.reverseOrder ? [...record.events].reverse() : record.events;
    const { page, nextToken } = paginate(events, req.maxResults, req.nextToken);
    return { events: page.map(toApiEvent), ...(nextToken ? { nextToken } : {}) };
  }

  /** StopExecution. */
  async stopExecution(req: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const record = this.execution(req.executionArn);
    const running = this.running.get(record.executionArn);
    if (running) {
      running.controller.abort(new ExecutionInterrupted('ABORTED', req.error, req.cause));
      await running.done;
    }
    return { stopDate: new Date(this.execution(req.executionArn).stopDate ?? this.clock.now()) };
  }

  // ── task tokens ─────────────────────────────────────────────────────────────────────────────

  /** SendTaskSuccess. */
  sendTaskSuccess(req: { taskToken: string; output: string }): Record<string, never> {
    this.tokens.succeed(require(req.taskToken, 'taskToken'), require(req.output, 'output'));
    return {};
  }

  /** SendTaskFailure. */
  sendTaskFailure(req: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    this.tokens.fail(require(req.taskToken, 'taskToken'), req.error, req.cause);
    return {};
  }

  /** SendTaskHeartbeat. */
  sendTaskHeartbeat(req: { taskToken: string }): Record<string, never> {
    this.tokens.heartbeat(require(req.taskToken, 'taskToken'));
    return {};
  }

  // ── JSON protocol ───────────────────────────────────────────────────────────────────────────

  /**
   * Dispatches one JSON-protocol call (`X-Amz-Target: AWSStepFunctions.<Operation>`) and returns
   * the response body; dates become epoch seconds as on the wire. Errors are thrown as
   * {@link SfnServiceError} (`{__type, message}`).
   */
  async handle(target: string, body: any): Promise<any> {
    const operation = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : target;
    const method = OPERATIONS[operation];
    if (!method) throw new SfnServiceError('UnknownOperationException', `Unknown operation ${target}`);
    try {
      const result = await (this[method] as (req: unknown) => unknown).call(this, body ?? {});
      return toWire(result);
    } catch (e) {
      if (e instanceof SfnServiceError) throw e;
      throw new SfnServiceError('InternalFailure', (e as Error).message);
    }
  }

  // ── NestedExecutionHost (states:startExecution tasks) ───────────────────────────────────────

  async startChildExecution(request: { stateMachineArn: string; input?: string; name?: string }) {
    const started = this.startExecution(request);
    return { executionArn: started.executionArn, startDate: started.startDate.getTime() };
  }

  async awaitChildExecution(executionArn: string) {
    return { ...(await this.awaitExecution(executionArn)) } as unknown as { status: string; [key: string]: unknown };
  }

  async stopChildExecution(executionArn: string): Promise<void> {
    await this.stopExecution({ executionArn, error: 'States.Aborted', cause: 'The parent execution stopped' });
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  private stateMachine(arn: string): StateMachineRecord {
    const sm = this.store.getStateMachine(require(arn, 'stateMachineArn'));
    if (!sm) throw new SfnServiceError(/^arn:aws:states:[^:]+:\d{12}:stateMachine:.+$/.test(arn) ? 'StateMachineDoesNotExist' : 'InvalidArn', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  private compiledFor(sm: StateMachineRecord): CompiledStateMachine {
    let compiled = this.compiled.get(sm.stateMachineArn);
    if (!compiled) this.compiled.set(sm.stateMachineArn, (compiled = compileStateMachine(sm.definition)));
    return compiled;
  }

  private execution(arn: string): ExecutionRecord {
    const record = this.store.getExecution(require(arn, 'executionArn'));
    if (!record) throw new SfnServiceError(/^arn:aws:states:[^:]+:\d{12}:(execution|express):.+:.+$/.test(arn) ? 'ExecutionDoesNotExist' : 'InvalidArn', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private launch(sm: StateMachineRecord, record: ExecutionRecord, input: unknown): void {
    const compiled = this.compiledFor(sm);
    const controller = new AbortController();
    const history = new HistoryRecorder(sm.type === 'EXPRESS' ? null : record.events, () => this.clock.now());
    const cursor = { last: 0 };
    history.add('ExecutionStarted', cursor, { ...dataDetails('input', input), roleArn: sm.roleArn });
    const { metrics } = this;
    const byState = (metrics.transitionsByState[sm.name] ??= {});
    metrics.executionsStarted[sm.type] += 1;
    const rc: RunContext = {
      clock: this.clock,
      integrations: this.integrations,
      tokens: this.tokens,
      host: this,
      history,
      random: this.random,
      region: this.region,
      execution: { Id: record.executionArn, Name: record.name, Input: input, StartTime: new Date(record.startDate).toISOString(), RoleArn: sm.roleArn, RedriveCount: record.redriveCount },
      stateMachine: { Id: sm.stateMachineArn, Name: sm.name },
      countTransition: (stateName) => {
        metrics.stateTransitions[sm.type] += 1;
        byState[stateName] = (byState[stateName] ?? 0) + 1;
      },
    };
    const timer = new AbortController();
    if (compiled.timeoutSeconds) {
      this.clock
        .sleep(compiled.timeoutSeconds * 1000, timer.signal)
        .then(() => controller.abort(new ExecutionInterrupted('TIMED_OUT', StatesErrors.Timeout, 'The execution timed out')))
        .catch(() => undefined);
    }
    const finish = (status: ExecutionStatus, fields: Partial<ExecutionRecord>, event: string, details: Record<string, unknown>) => {
      Object.assign(record, { status, stopDate: this.clock.now(), ...fields });
      if (sm.type === 'EXPRESS') metrics.expressBilledMs += Math.max(100, Math.ceil((record.stopDate! - record.startDate) / 100) * 100);
      history.add(event, cursor, details);
      this.store.putExecution(record);
    };
    const done = runMachine(compiled, input, topLevelVisit(rc, controller.signal, cursor))
      .then(
        (output) => {
          const text = JSON.stringify(output ?? null);
          finish('SUCCEEDED', { output: text }, 'ExecutionSucceeded', dataDetails('output', output));
        },
        (e) => {
          const reason = controller.signal.aborted ? controller.signal.reason : e;
          if (reason instanceof ExecutionInterrupted) {
            const fields = { error: reason.error, cause: reason.cause };
            if (reason.status === 'TIMED_OUT') finish('TIMED_OUT', fields, 'ExecutionTimedOut', fields);
            else finish('ABORTED', fields, 'ExecutionAborted', fields);
            return;
          }
          const error = e instanceof StatesError ? e : new StatesError(StatesErrors.Runtime, String((e as Error)?.message ?? e));
          finish('FAILED', { error: error.error, cause: error.cause }, 'ExecutionFailed', { error: error.error, cause: error.cause ?? '' });
        },
      )
      .finally(() => {
        timer.abort();
        this.running.delete(record.executionArn);
      });
    this.running.set(record.executionArn, { controller, done });
  }
}

const OPERATIONS: Record<string, keyof LocalStepFunctions> = {
  CreateStateMachine: 'createStateMachine',
  DescribeStateMachine: 'describeStateMachine',
  ListStateMachines: 'listStateMachines',
  DeleteStateMachine: 'deleteStateMachine',
  StartExecution: 'startExecution',
  StartSyncExecution: 'startSyncExecution',
  DescribeExecution: 'describeExecution',
  ListExecutions: 'listExecutions',
  GetExecutionHistory: 'getExecutionHistory',
  StopExecution: 'stopExecution',
  SendTaskSuccess: 'sendTaskSuccess',
  SendTaskFailure: 'sendTaskFailure',
  SendTaskHeartbeat: 'sendTaskHeartbeat',
};

function describe(e: ExecutionRecord): DescribeExecutionOutput {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: new Date(e.startDate),
    ...(e.stopDate !== undefined ? { stopDate: new Date(e.stopDate) } : {}),
    input: e.input,
    inputDetails: { included: true },
    ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
    ...(e.error !== undefined ? { error: e.error } : {}),
    ...(e.cause !== undefined ? { cause: e.cause } : {}),
    redriveCount: e.redriveCount,
    redriveStatus: 'NOT_REDRIVABLE',
  };
}

function paginate<T>(items: T[], maxResults = 100, nextToken?: string): { page: T[]; nextToken?: string } {
  const start = nextToken ? Number(nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw new SfnServiceError('InvalidToken', 'Invalid nextToken');
  const size = maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const page = items.slice(start, start + size);
  return { page, nextToken: start + size < items.length ? String(start + size) : undefined };
}

/** Dates → epoch seconds (the AWS JSON protocol's timestamp format). */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v);
    return out;
  }
  return value;
}
