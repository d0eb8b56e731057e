/**
 * `LocalStepFunctions`: the Step Functions JSON API over the local engine. Method names,
 * request and response fields follow the AWS API
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html) so that
 * `@aws-sdk/client-sfn`, pointed at an HTTP endpoint that calls {@link LocalStepFunctions.handle},
 * works unchanged.
 *
 * With a durable store (`JournalExecutionStore`) the service survives a restart: pending task
 * tokens are valid again as soon as it is constructed, and {@link LocalStepFunctions.resumeExecutions}
 * continues every execution that was running from where it was.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { compileStateMachine, type CompiledStateMachine } from './compile.js';
import { InvalidDefinitionError, SfnServiceError, StatesError, StatesErrors } from './errors.js';
import { dataDetails, HistoryRecorder, NO_HISTORY, toApiEvent, type ApiHistoryEvent } from './history.js';
import { runThread, sleepUntil, type RunContext } from './interpreter.js';
import { tryParseJson } from './json.js';
import { expressProblems } from './validate.js';
import { notRedrivableReason, prepareRedrive } from './redrive.js';
import { isDurable, MemoryExecutionStore, type DurableExecutionStore, type ExecutionRecord, type ExecutionStatus, type ExecutionStore, type StateMachineRecord, type StateMachineType } from './store.js';
import type { Integrations, NestedExecutionHost } from './tasks.js';
import { TaskTokenRegistry } from './task-tokens.js';
import { ROOT_THREAD, Thread } from './thread.js';
import { VariableScope } from './variables.js';

/** Options of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  integrations: Integrations;
  clock?: Clock;
  region?: string;
  accountId?: string;
  /** Where executions are kept: in memory (default) or a `JournalExecutionStore` (durable). */
  store?: ExecutionStore;
  /** Random source for retry jitter (default `Math.random`). */
  random?: () => number;
  /**
   * Called once when an execution ends, with what DescribeExecution answers — where AWS puts a
   * "Step Functions Execution Status Change" event on the default bus.
   */
  onExecutionClosed?: (execution: DescribeExecutionOutput) => void;
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
  redriveDate?: Date;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  redriveStatusReason?: string;
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

/** Abort reason of executions left where they are because the service shuts down. */
const SHUTDOWN = Object.freeze({ reason: 'The local Step Functions service is shutting down' });

/** RedriveExecution answers the same redrive for a client token reused within 15 minutes. */
const CLIENT_TOKEN_TTL_MS = 15 * 60 * 1000;

/** The local Step Functions service. */
export class LocalStepFunctions implements NestedExecutionHost {
  readonly region: string;
  readonly accountId: string;
  readonly clock: Clock;
  private readonly integrations: Integrations;
  private readonly store: ExecutionStore;
  private readonly durable?: DurableExecutionStore;
  private readonly random: () => number;
  private readonly onExecutionClosed?: (execution: DescribeExecutionOutput) => void;
  private readonly tokens: TaskTokenRegistry;
  /** Compiled definitions by revision id. */
  private readonly compiled = new Map<string, CompiledStateMachine>();
  private readonly running = new Map<string, Running>();
  private readonly redriveTokens = new Map<string, { clientToken: string; redriveDate: number }[]>();
  private readonly now = () => this.clock.now();
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
    this.onExecutionClosed = options.onExecutionClosed;
    if (isDurable(this.store)) {
      const durable = (this.durable = this.store);
      this.tokens = new TaskTokenRegistry(10_000, (arn, token, outcome) => durable.tokenSettled(arn, token, outcome));
      this.restorePendingTokens();
    } else {
      this.tokens = new TaskTokenRegistry();
    }
  }

  // ── state machines ──────────────────────────────────────────────────────────────────────────

  /** CreateStateMachine. Idempotent for the same name, definition, role and type; throws `InvalidDefinition`. */
  createStateMachine(req: { name: string; definition: string | object; roleArn?: string; type?: StateMachineType }): { stateMachineArn: string; creationDate: Date } {
    const name = require(req.name, 'name');
    if (!VALID_NAME.test(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const definition = typeof req.definition === 'string' ? req.definition : JSON.stringify(req.definition);
    const type = req.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new SfnServiceError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    const compiled = compileFor(require(definition, 'definition'), type);
    const stateMachineArn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const roleArn = req.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-stepfunctions`;
    const existing = this.store.getStateMachine(stateMachineArn);
    if (existing) {
      if (existing.definition !== definition || existing.type !== type || existing.roleArn !== roleArn) {
        throw new SfnServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${stateMachineArn}'`);
      }
      return { stateMachineArn, creationDate: new Date(existing.creationDate) };
    }
    const record: StateMachineRecord = { stateMachineArn, name, definition, roleArn, type, creationDate: this.clock.now(), revisionId: randomUUID() };
    this.store.putStateMachine(record);
    this.compiled.set(record.revisionId, compiled);
    return { stateMachineArn, creationDate: new Date(record.creationDate) };
  }

  /**
   * UpdateStateMachine: a new definition and/or role. Running executions finish on the
   * revision they started with, as on AWS; new executions use the new one.
   */
  updateStateMachine(req: { stateMachineArn: string; definition?: string | object; roleArn?: string }): { updateDate: Date; revisionId: string } {
    const sm = this.stateMachine(req.stateMachineArn);
    const definition = req.definition === undefined ? sm.definition : typeof req.definition === 'string' ? req.definition : JSON.stringify(req.definition);
    const roleArn = req.roleArn ?? sm.roleArn;
    if (definition === sm.definition && roleArn === sm.roleArn) return { updateDate: new Date(sm.updateDate ?? sm.creationDate), revisionId: sm.revisionId };
    const compiled = compileFor(definition, sm.type);
    const record: StateMachineRecord = { ...sm, definition, roleArn, revisionId: randomUUID(), updateDate: this.clock.now() };
    this.store.putStateMachine(record);
    this.compiled.set(record.revisionId, compiled);
    return { updateDate: new Date(record.updateDate!), revisionId: record.revisionId };
  }

  /** DescribeStateMachine. */
  describeStateMachine(req: { stateMachineArn: string }) {
    return describeStateMachine(this.stateMachine(req.stateMachineArn));
  }

  /** DescribeStateMachineForExecution: the definition the execution runs. */
  describeStateMachineForExecution(req: { executionArn: string }) {
    const record = this.execution(req.executionArn);
    const sm = this.store.getStateMachine(record.stateMachineArn);
    return {
      stateMachineArn: record.stateMachineArn,
      name: sm?.name ?? record.stateMachineArn.split(':').pop(),
      definition: record.definition,
      roleArn: sm?.roleArn,
      updateDate: new Date(sm?.updateDate ?? sm?.creationDate ?? record.startDate),
      revisionId: record.revisionId,
    };
  }

  /** ListStateMachines. */
  listStateMachines(_req: Record<string, unknown> = {}) {
    return { stateMachines: this.store.listStateMachines().map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: new Date(sm.creationDate) })) };
  }

  /** DeleteStateMachine. */
  deleteStateMachine(req: { stateMachineArn: string }): Record<string, never> {
    this.store.deleteStateMachine(require(req.stateMachineArn, 'stateMachineArn'));
    return {};
  }

  /**
   * ValidateStateMachineDefinition: `OK`, or `FAIL` with one `SCHEMA_VALIDATION_FAILED`
   * diagnostic per problem — the same problems CreateStateMachine rejects a definition for.
   */
  validateStateMachineDefinition(req: { definition: string; type?: StateMachineType }) {
    try {
      compileFor(require(req.definition, 'definition'), req.type ?? 'STANDARD');
      return { result: 'OK', diagnostics: [], truncated: false };
    } catch (e) {
      if (!(e instanceof InvalidDefinitionError)) throw e;
      const diagnostics = e.problems.map((problem) => {
        const [location, ...message] = problem.split(': ');
        return { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: message.length ? message.join(': ') : problem, ...(location.startsWith('/') ? { location } : {}) };
      });
      return { result: 'FAIL', diagnostics, truncated: false };
    }
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
    const executionArn = this.executionArnOf(sm, name);
    const existing = this.store.getExecution(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn, startDate: new Date(existing.startDate) };
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: sm.stateMachineArn,
      name,
      type: sm.type,
      revisionId: sm.revisionId,
      definition: sm.definition,
      status: 'RUNNING',
      startDate: this.clock.now(),
      input,
      redriveCount: 0,
      events: [],
    };
    this.store.putExecution(record);
    this.launch(record, parsed.value);
    return { executionArn, startDate: new Date(record.startDate) };
  }

  /** StartSyncExecution (Express state machines only, as on AWS). */
  async startSyncExecution(req: { stateMachineArn: string; name?: string; input?: string }) {
    const sm = this.stateMachine(req.stateMachineArn);
    if (sm.type !== 'EXPRESS') throw new SfnServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const { executionArn } = this.startExecution(req);
    const done = await this.awaitExecution(executionArn);
    const { redriveCount: _r, redriveStatus: _s, redriveStatusReason: _sr, redriveDate: _d, ...rest } = done;
    return { ...rest, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, (done.stopDate!.getTime() - done.startDate.getTime()) | 0) } };
  }

  /** DescribeExecution. */
  describeExecution(req: { executionArn: string }): DescribeExecutionOutput {
    const record = this.execution(req.executionArn);
    const reason = notRedrivableReason(record, this.store.getStateMachine(record.stateMachineArn), this.clock.now());
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      ...(record.stopDate !== undefined ? { stopDate: new Date(record.stopDate) } : {}),
      input: record.input,
      inputDetails: { included: true },
      ...(record.output !== undefined ? { output: record.output, outputDetails: { included: true } } : {}),
      ...(record.error !== undefined ? { error: record.error } : {}),
      ...(record.cause !== undefined ? { cause: record.cause } : {}),
      redriveCount: record.redriveCount,
      ...(record.redriveDate !== undefined ? { redriveDate: new Date(record.redriveDate) } : {}),
      redriveStatus: reason ? 'NOT_REDRIVABLE' : 'REDRIVABLE',
      ...(reason ? { redriveStatusReason: reason } : {}),
    };
  }

  /** Resolves when the execution has finished (for tests and `.sync` tasks). */
  async awaitExecution(executionArn: string): Promise<DescribeExecutionOutput> {
    await this.running.get(executionArn)?.done;
    return this.describeExecution({ executionArn });
  }

  /** ListExecutions (paginated by `maxResults` / `nextToken`; `statusFilter`, `redriveFilter`). */
  listExecutions(req: { stateMachineArn: string; statusFilter?: ExecutionStatus; redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN'; maxResults?: number; nextToken?: string }) {
    this.stateMachine(req.stateMachineArn);
    const all = this.store.listExecutions(req.stateMachineArn).filter(
      (e) => (!req.statusFilter || e.status === req.statusFilter) && (!req.redriveFilter || (req.redriveFilter === 'REDRIVEN') === e.redriveCount > 0),
    );
    const { page, nextToken } = paginate(all, req.maxResults, req.nextToken);
    return {
      executions: page.map((e) => ({
        executionArn: e.executionArn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: new Date(e.startDate),
        ...(e.stopDate ? { stopDate: new Date(e.stopDate) } : {}),
        redriveCount: e.redriveCount,
        ...(e.redriveDate ? { redriveDate: new Date(e.redriveDate) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  /** GetExecutionHistory (paginated; `reverseOrder`, `includeExecutionData`). */
  getExecutionHistory(req: { executionArn: string; maxResults?: number; nextToken?: string; reverseOrder?: boolean; includeExecutionData?: boolean }): {
    events: ApiHistoryEvent[];
    nextToken?: string;
  } {
    const record = this.execution(req.executionArn);
    const events = req.reverseOrder ? [...record.events].reverse() : record.events;
    const { page, nextToken } = paginate(events, req.maxResults, req.nextToken);
    return { events: page.map((e) => toApiEvent(e, req.includeExecutionData !== false)), ...(nextToken ? { nextToken } : {}) };
  }

  /** StopExecution. */
  async stopExecution(req: { executionArn: string; error?: string; cause?: string }): Promise<{ stopDate: Date }> {
    const record = this.execution(req.executionArn);
    const running = this.running.get(record.executionArn);
    if (running) {
      running.controller.abort(new ExecutionInterrupted('ABORTED', req.error, req.cause));
      await running.done;
    } else if (record.status === 'RUNNING') {
      // Journaled as running but not resumed (yet): stop it where it is.
      Object.assign(record, { status: 'ABORTED', stopDate: this.clock.now(), error: req.error, cause: req.cause });
      this.history(record).add('ExecutionAborted', record.root ?? { last: record.events.length }, { error: req.error, cause: req.cause });
      this.store.putExecution(record);
      this.onExecutionClosed?.(this.describeExecution({ executionArn: record.executionArn }));
    }
    return { stopDate: new Date(this.execution(req.executionArn).stopDate ?? this.clock.now()) };
  }

  /**
   * RedriveExecution: continues a FAILED, ABORTED or TIMED_OUT Standard execution from the
   * states that did not succeed (see redrive.ts). Idempotent per `clientToken` for 15 minutes.
   */
  redriveExecution(req: { executionArn: string; clientToken?: string }): { redriveDate: Date } {
    const record = this.execution(req.executionArn);
    const now = this.clock.now();
    const previous = (this.redriveTokens.get(record.executionArn) ?? []).filter((t) => now - t.redriveDate < CLIENT_TOKEN_TTL_MS);
    const same = req.clientToken && previous.find((t) => t.clientToken === req.clientToken);
    if (same) return { redriveDate: new Date(same.redriveDate) };
    const reason = notRedrivableReason(record, this.store.getStateMachine(record.stateMachineArn), now);
    if (reason) throw new SfnServiceError('ExecutionNotRedrivable', reason);
    const root = record.root!;
    const checkpointer = this.durable?.checkpointer(record);
    record.status = 'RUNNING';
    record.redriveCount += 1;
    record.redriveDate = now;
    delete record.stopDate;
    delete record.output;
    delete record.error;
    delete record.cause;
    this.history(record).add('ExecutionRedriven', root, { redriveCount: record.redriveCount });
    prepareRedrive(root, now);
    checkpointer?.movedTree(root);
    this.store.putExecution(record);
    if (req.clientToken) this.redriveTokens.set(record.executionArn, [...previous.slice(-9), { clientToken: req.clientToken, redriveDate: now }]);
    this.launch(record, JSON.parse(record.input));
    return { redriveDate: new Date(now) };
  }

  /**
   * Leaves every running execution where it is, recording nothing more (a durable store resumes
   * them on the next start), and closes the store. A call in flight is not waited for: its
   * execution stops at its next step. The service is unusable afterwards.
   */
  async shutdown(): Promise<void> {
    this.durable?.close();
    for (const r of this.running.values()) r.controller.abort(SHUTDOWN);
  }

  /**
   * Continues every execution a durable store kept as running (after a restart). Call once the
   * integrations can be reached; until then their task tokens are already valid.
   */
  resumeExecutions(): string[] {
    const resumed: string[] = [];
    for (const record of [...this.store.executions()]) {
      if (record.status !== 'RUNNING' || this.running.has(record.executionArn)) continue;
      this.launch(record, JSON.parse(record.input));
      resumed.push(record.executionArn);
    }
    return resumed;
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

  async startChildExecution(request: { stateMachineArn: string; input?: string; name?: string }, adopt = false) {
    if (adopt && request.name) {
      const sm = this.store.getStateMachine(request.stateMachineArn);
      const existing = sm && this.store.getExecution(this.executionArnOf(sm, request.name));
      if (existing) return { executionArn: existing.executionArn, startDate: existing.startDate };
    }
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

  private executionArnOf(sm: StateMachineRecord, name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:${sm.type === 'EXPRESS' ? 'express' : 'execution'}:${sm.name}:${name}`;
  }

  private compiledFor(record: ExecutionRecord): CompiledStateMachine {
    let compiled = this.compiled.get(record.revisionId);
    if (!compiled) this.compiled.set(record.revisionId, (compiled = compileStateMachine(record.definition)));
    return compiled;
  }

  private execution(arn: string): ExecutionRecord {
    const record = this.store.getExecution(require(arn, 'executionArn'));
    if (!record) throw new SfnServiceError(/^arn:aws:states:[^:]+:\d{12}:(execution|express):.+:.+$/.test(arn) ? 'ExecutionDoesNotExist' : 'InvalidArn', `Execution Does Not Exist: '${arn}'`);
    return record;
  }

  private history(record: ExecutionRecord): HistoryRecorder {
    return record.type === 'EXPRESS' ? NO_HISTORY : new HistoryRecorder(record.events, this.now);
  }

  /** Makes the task tokens of journaled running executions valid again (and answers the ones answered before the restart). */
  private restorePendingTokens(): void {
    const walk = (record: ExecutionRecord, thread: Thread) => {
      if (thread.phase === 'task' && thread.token) {
        this.tokens.restore(thread.token, record.executionArn, thread.state, this.durable!.tokenOutcome(record.executionArn, thread.token));
      }
      for (const child of thread.children ?? []) if (child) walk(record, child);
    };
    for (const record of this.store.executions()) if (record.status === 'RUNNING' && record.root) walk(record, record.root);
  }

  /** Runs (or resumes, or continues a redriven) execution from its root thread's position. */
  private launch(record: ExecutionRecord, input: unknown): void {
    const compiled = this.compiledFor(record);
    const sm = this.store.getStateMachine(record.stateMachineArn);
    const roleArn = sm?.roleArn ?? `arn:aws:iam::${this.accountId}:role/local-stepfunctions`;
    const controller = new AbortController();
    const history = this.history(record);
    const durable = this.durable?.checkpointer(record);
    const { metrics } = this;
    const machineName = sm?.name ?? record.stateMachineArn.split(':').pop()!;
    const byState = (metrics.transitionsByState[machineName] ??= {});
    let root = record.root;
    if (!root) {
      const started = history.add('ExecutionStarted', { last: 0 }, { ...dataDetails('input', input), roleArn });
      root = record.root = new Thread(ROOT_THREAD, new VariableScope(), compiled.startAt, input, started);
      durable?.moved(root);
      metrics.executionsStarted[record.type] += 1;
    }
    const rc: RunContext = {
      clock: this.clock,
      integrations: this.integrations,
      tokens: this.tokens,
      host: this,
      history,
      random: this.random,
      region: this.region,
      accountId: this.accountId,
      execution: {
        Id: record.executionArn,
        Name: record.name,
        Input: input,
        StartTime: new Date(record.startDate).toISOString(),
        RoleArn: roleArn,
        RedriveCount: record.redriveCount,
        ...(record.redriveDate !== undefined ? { RedriveTime: new Date(record.redriveDate).toISOString() } : {}),
      },
      stateMachine: { Id: record.stateMachineArn, Name: machineName },
      durable,
      countTransition: (stateName) => {
        metrics.stateTransitions[record.type] += 1;
        byState[stateName] = (byState[stateName] ?? 0) + 1;
      },
    };
    let timer: AbortController | undefined;
    if (compiled.timeoutSeconds) {
      // A redrive starts the execution timeout again (it is "reset to 0").
      const deadline = (record.redriveDate ?? record.startDate) + compiled.timeoutSeconds * 1000;
      timer = new AbortController();
      sleepUntil(this.clock, deadline, timer.signal)
        .then(() => controller.abort(new ExecutionInterrupted('TIMED_OUT', StatesErrors.Timeout, 'The execution timed out')))
        .catch(() => undefined);
    }
    const thread = root;
    const finish = (status: ExecutionStatus, fields: Partial<ExecutionRecord>, event: string, details: Record<string, unknown>) => {
      Object.assign(record, { status, stopDate: this.clock.now(), ...fields });
      if (record.type === 'EXPRESS') metrics.expressBilledMs += Math.max(100, Math.ceil((record.stopDate! - record.startDate) / 100) * 100);
      history.add(event, thread, details);
      this.store.putExecution(record);
      this.onExecutionClosed?.(this.describeExecution({ executionArn: record.executionArn }));
    };
    const done = runThread(compiled, root, rc, controller.signal)
      .then(
        (output) => {
          finish('SUCCEEDED', { output: JSON.stringify(output ?? null) }, 'ExecutionSucceeded', dataDetails('output', output));
          record.root = undefined;
        },
        (e) => {
          const reason = controller.signal.aborted ? controller.signal.reason : e;
          if (reason === SHUTDOWN) return;
          if (reason instanceof ExecutionInterrupted) {
            const fields = { error: reason.error, cause: reason.cause };
            if (reason.status === 'TIMED_OUT') finish('TIMED_OUT', fields, 'ExecutionTimedOut', fields);
            else finish('ABORTED', fields, 'ExecutionAborted', fields);
            return;
          }
          const error = e instanceof StatesError ? e : new StatesError(StatesErrors.Runtime, String((e as Error)?.message ?? e));
          thread.fail(error);
          durable?.moved(thread);
          finish('FAILED', { error: error.error, cause: error.cause }, 'ExecutionFailed', { error: error.error, cause: error.cause ?? '' });
        },
      )
      .finally(() => {
        timer?.abort();
        this.running.delete(record.executionArn);
      });
    this.running.set(record.executionArn, { controller, done });
  }
}

const OPERATIONS: Record<string, keyof LocalStepFunctions> = {
  CreateStateMachine: 'createStateMachine',
  UpdateStateMachine: 'updateStateMachine',
  DescribeStateMachine: 'describeStateMachine',
  DescribeStateMachineForExecution: 'describeStateMachineForExecution',
  ListStateMachines: 'listStateMachines',
  DeleteStateMachine: 'deleteStateMachine',
  ValidateStateMachineDefinition: 'validateStateMachineDefinition',
  StartExecution: 'startExecution',
  StartSyncExecution: 'startSyncExecution',
  DescribeExecution: 'describeExecution',
  ListExecutions: 'listExecutions',
  GetExecutionHistory: 'getExecutionHistory',
  StopExecution: 'stopExecution',
  RedriveExecution: 'redriveExecution',
  SendTaskSuccess: 'sendTaskSuccess',
  SendTaskFailure: 'sendTaskFailure',
  SendTaskHeartbeat: 'sendTaskHeartbeat',
};

/** Validates and compiles a definition for a state machine of `type` (Express machines have fewer patterns). */
function compileFor(definition: string, type: StateMachineType): CompiledStateMachine {
  const compiled = compileStateMachine(definition);
  const problems = type === 'EXPRESS' ? expressProblems(compiled.definition) : [];
  if (problems.length) throw new InvalidDefinitionError(problems);
  return compiled;
}

function describeStateMachine(sm: StateMachineRecord) {
  return {
    stateMachineArn: sm.stateMachineArn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: new Date(sm.creationDate),
    revisionId: sm.revisionId,
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
