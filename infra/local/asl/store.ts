/**
 * Where the local Step Functions service keeps state machines and executions.
 * {@link MemoryExecutionStore} keeps everything in memory and evicts the oldest finished
 * executions beyond a bound, so memory stays flat under load; `JournalExecutionStore`
 * (journal.ts) adds durability on top of it.
 */
import type { HistoryEvent } from './history.js';
import type { Checkpointer } from './interpreter.js';
import type { TokenOutcome } from './task-tokens.js';
import type { Thread } from './thread.js';

/** Workflow type (Standard or Express). */
export type StateMachineType = 'STANDARD' | 'EXPRESS';

/** Execution status as the API reports it. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

/** A stored state machine. */
export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  /** The definition as given (JSON text). */
  definition: string;
  roleArn: string;
  type: StateMachineType;
  /** Epoch ms. */
  creationDate: number;
  /** Changes with every UpdateStateMachine; executions keep the revision they started on. */
  revisionId: string;
  updateDate?: number;
}

/** A stored execution (dates in epoch ms). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  /** The definition the execution runs (the state machine's revision when it started). */
  revisionId: string;
  definition: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /** JSON text. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  redriveDate?: number;
  /** History events (empty for Express executions, which AWS keeps no history of). */
  events: HistoryEvent[];
  /**
   * The execution's threads while it runs, and where they stopped once it failed, aborted or
   * timed out (RedriveExecution continues from there); dropped when it succeeds.
   */
  root?: Thread;
}

/** Persistence of state machines and executions. */
export interface ExecutionStore {
  /** Every execution kept (the service resumes the running ones of a durable store on start). */
  executions(): Iterable<ExecutionRecord>;
  putStateMachine(record: StateMachineRecord): void;
  getStateMachine(stateMachineArn: string): StateMachineRecord | undefined;
  listStateMachines(): StateMachineRecord[];
  deleteStateMachine(stateMachineArn: string): void;
  /** Inserts or replaces an execution (called on start and whenever its status changes). */
  putExecution(record: ExecutionRecord): void;
  getExecution(executionArn: string): ExecutionRecord | undefined;
  /** Executions of a state machine, most recently started first. */
  listExecutions(stateMachineArn: string): ExecutionRecord[];
}

/** A store that survives a restart: it persists positions and callback answers as they happen. */
export interface DurableExecutionStore extends ExecutionStore {
  readonly durable: true;
  /** The checkpointer of a running execution (undefined for Express executions, not durable on AWS either). */
  checkpointer(record: ExecutionRecord): Checkpointer | undefined;
  /** Persists a SendTaskSuccess/Failure before it is acknowledged. */
  tokenSettled(executionArn: string, token: string, outcome: TokenOutcome): void;
  /** The persisted answer to a token, if any. */
  tokenOutcome(executionArn: string, token: string): TokenOutcome | undefined;
  /** Stops persisting (the process is shutting down); later changes are not kept. */
  close(): void;
}

/** Whether `store` persists executions across restarts. */
export function isDurable(store: ExecutionStore): store is DurableExecutionStore {
  return (store as Partial<DurableExecutionStore>).durable === true;
}

/** Options of {@link MemoryExecutionStore}. */
export interface MemoryExecutionStoreOptions {
  /** Finished executions kept (oldest finished evicted first); default 10,000. */
  maxFinishedExecutions?: number;
}

/** In-memory store with a bound on finished executions. */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executionsByArn = new Map<string, ExecutionRecord>();
  private readonly byStateMachine = new Map<string, Set<string>>();
  /** Finished executions in the order they finished (insertion order of a Set). */
  private readonly finished = new Set<string>();
  private readonly maxFinished: number;

  constructor(options: MemoryExecutionStoreOptions = {}) {
    this.maxFinished = options.maxFinishedExecutions ?? 10_000;
  }

  putStateMachine(record: StateMachineRecord): void {
    this.stateMachines.set(record.stateMachineArn, record);
  }

  getStateMachine(arn: string): StateMachineRecord | undefined {
    return this.stateMachines.get(arn);
  }

  listStateMachines(): StateMachineRecord[] {
    return [...this.stateMachines.values()];
  }

  deleteStateMachine(arn: string): void {
    this.stateMachines.delete(arn);
  }

  putExecution(record: ExecutionRecord): void {
    this.executionsByArn.set(record.executionArn, record);
    let set = this.byStateMachine.get(record.stateMachineArn);
    if (!set) this.byStateMachine.set(record.stateMachineArn, (set = new Set()));
    set.add(record.executionArn);
    if (record.status !== 'RUNNING') {
      this.finished.delete(record.executionArn);
      this.finished.add(record.executionArn);
      this.evict();
    }
  }

  getExecution(arn: string): ExecutionRecord | undefined {
    return this.executionsByArn.get(arn);
  }

  listExecutions(stateMachineArn: string): ExecutionRecord[] {
    const arns = [...(this.byStateMachine.get(stateMachineArn) ?? [])];
    return arns.map((a) => this.executionsByArn.get(a)!).sort((a, b) => b.startDate - a.startDate);
  }

  private evict(): void {
    while (this.finished.size > this.maxFinished) {
      const oldest = this.finished.values().next().value as string;
      this.finished.delete(oldest);
      const record = this.executionsByArn.get(oldest);
      this.executionsByArn.delete(oldest);
      if (record) this.byStateMachine.get(record.stateMachineArn)?.delete(oldest);
      this.evicted(oldest);
    }
  }

  /** Called when a finished execution is dropped to keep the bound. */
  protected evicted(_executionArn: string): void {}

  executions(): IterableIterator<ExecutionRecord> {
    return this.executionsByArn.values();
  }
}
