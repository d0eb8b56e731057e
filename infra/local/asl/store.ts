/**
 * Where the local Step Functions service keeps state machines and executions. The interface is
 * shaped for a durable implementation (each write is a whole record, so a store can persist it
 * as one document); {@link MemoryExecutionStore} keeps everything in memory and evicts the
 * oldest finished executions beyond a bound, so memory stays flat under load.
 */
import type { HistoryEvent } from './history.js';

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
}

/** A stored execution (dates in epoch ms). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  /** JSON text. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
  /** History events (empty for Express executions, which AWS keeps no history of). */
  events: HistoryEvent[];
}

/** Persistence of state machines and executions. */
export interface ExecutionStore {
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

/** Options of {@link MemoryExecutionStore}. */
export interface MemoryExecutionStoreOptions {
  /** Finished executions kept (oldest finished evicted first); default 10,000. */
  maxFinishedExecutions?: number;
}

/** In-memory store with a bound on finished executions. */
export class MemoryExecutionStore implements ExecutionStore {
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
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
    this.executions.set(record.executionArn, record);
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
    return this.executions.get(arn);
  }

  listExecutions(stateMachineArn: string): ExecutionRecord[] {
    const arns = [...(this.byStateMachine.get(stateMachineArn) ?? [])];
    return arns.map((a) => this.executions.get(a)!).sort((a, b) => b.startDate - a.startDate);
  }

  private evict(): void {
    while (this.finished.size > this.maxFinished) {
      const oldest = this.finished.values().next().value as string;
      this.finished.delete(oldest);
      const record = this.executions.get(oldest);
      this.executions.delete(oldest);
      if (record) this.byStateMachine.get(record.stateMachineArn)?.delete(oldest);
    }
  }
}
