/**
 * The durable store of the local Step Functions service: everything {@link MemoryExecutionStore}
 * keeps, plus an append-only journal file (`stepfunctions.jsonl` in the data directory) from
 * which it is rebuilt on start — state machines and their revisions, executions, their history,
 * the positions of their threads (state, input, variables, phase: pending task tokens, task
 * deadlines, retry back-off, fan-outs) and the answers to callbacks.
 *
 * Why a journal, rather than a table in dynalite:
 * - a checkpoint is one `write(2)` of one line to a file kept open: tens of microseconds,
 *   synchronous, so the interpreter has persisted a position before it calls out or waits. A
 *   dynalite write is an HTTP round trip into LevelDB (≈ 1,800 puts/s here, STACK-NOTES.md),
 *   asynchronous, and the engine could not hold a position across it without slowing every
 *   transition;
 * - one line carries the history events and the positions of one checkpoint together, so a
 *   crash can never separate them (a torn last line is skipped on replay);
 * - what the service reads (DescribeExecution, GetExecutionHistory…) is served from memory, as
 *   in the in-memory mode, which stays exactly as fast: no journal, no checkpoint calls;
 * - the journal is compacted on every start and when it has grown to twice its compacted size:
 *   rewritten to a temporary file with only the live records, then renamed over the journal
 *   (atomic on POSIX), so it stays proportional to what is kept.
 *
 * Lines are written with `writeSync` and not fsync'ed: they survive the process being killed
 * (even `kill -9`: the kernel has them), not the machine losing power — the trade-off every
 * local emulator makes; finished executions are bounded as in memory.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { HistoryEvent } from './history.js';
import type { Checkpointer } from './interpreter.js';
import { MemoryExecutionStore, type ExecutionRecord, type MemoryExecutionStoreOptions, type StateMachineRecord } from './store.js';
import type { TokenOutcome } from './task-tokens.js';
import { rebuildTree, type Thread, type ThreadSnapshot } from './thread.js';

/** An execution as journaled: the record without its history, threads and definition text. */
type StoredExecution = Omit<ExecutionRecord, 'events' | 'root' | 'definition'>;

type Entry =
  | { t: 'sm'; r: StateMachineRecord }
  | { t: 'smd'; a: string }
  | { t: 'rev'; a: string; id: string; d: string }
  | { t: 'x'; r: StoredExecution; ev?: HistoryEvent[]; th?: ThreadSnapshot[] }
  | { t: 'cp'; a: string; ev?: HistoryEvent[]; th?: ThreadSnapshot[] }
  | { t: 'tok'; a: string; k: string; o: TokenOutcome };

/** Options of {@link JournalExecutionStore}. */
export interface JournalExecutionStoreOptions extends MemoryExecutionStoreOptions {
  /** Compact once this many bytes were appended since the last compaction (default: 2 × its size, at least 64 MB). */
  compactAfterBytes?: number;
}

/** Every thread of a tree, parents first. */
function* threadsOf(root: Thread): Generator<Thread> {
  yield root;
  for (const child of root.children ?? []) if (child) yield* threadsOf(child);
}

/** A store whose every change is appended to a journal file and replayed on start. */
export class JournalExecutionStore extends MemoryExecutionStore {
  readonly durable = true;
  private fd: number;
  private closed = false;
  private appended = 0;
  private compactAt: number;
  /** Definitions by revision id (executions keep running on theirs after an update). */
  private readonly revisions = new Map<string, string>();
  private readonly checkpointers = new Map<string, JournalCheckpointer>();
  /** Callback answers of running executions, by execution then token. */
  private readonly outcomes = new Map<string, Map<string, TokenOutcome>>();

  constructor(
    readonly path: string,
    private readonly options: JournalExecutionStoreOptions = {},
  ) {
    super(options);
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) this.replay(readFileSync(path, 'utf8'));
    this.fd = this.compact();
    this.compactAt = this.threshold();
  }

  /** How a SendTaskSuccess/Failure answered a token, if it was answered before a restart. */
  tokenOutcome(executionArn: string, token: string): TokenOutcome | undefined {
    return this.outcomes.get(executionArn)?.get(token);
  }

  /** Journals a callback answer before it is acknowledged. */
  tokenSettled(executionArn: string, token: string, outcome: TokenOutcome): void {
    if (!this.getExecution(executionArn) || this.getExecution(executionArn)!.type === 'EXPRESS') return;
    let tokens = this.outcomes.get(executionArn);
    if (!tokens) this.outcomes.set(executionArn, (tokens = new Map()));
    tokens.set(token, outcome);
    this.write({ t: 'tok', a: executionArn, k: token, o: outcome });
  }

  /** The checkpointer of a running Standard execution (Express executions are not durable, as on AWS). */
  checkpointer(record: ExecutionRecord): Checkpointer | undefined {
    if (record.type === 'EXPRESS') return undefined;
    let checkpointer = this.checkpointers.get(record.executionArn);
    if (!checkpointer) this.checkpointers.set(record.executionArn, (checkpointer = new JournalCheckpointer(record, (entry) => this.write(entry))));
    return checkpointer;
  }

  /** Closes the journal file; later changes are kept in memory only. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  override putStateMachine(record: StateMachineRecord): void {
    super.putStateMachine(record);
    this.revisions.set(record.revisionId, record.definition);
    this.write({ t: 'sm', r: record });
  }

  override deleteStateMachine(stateMachineArn: string): void {
    super.deleteStateMachine(stateMachineArn);
    this.write({ t: 'smd', a: stateMachineArn });
  }

  override putExecution(record: ExecutionRecord): void {
    super.putExecution(record);
    if (record.type === 'EXPRESS') return;
    const entry: Extract<Entry, { t: 'x' }> = { t: 'x', r: stored(record) };
    this.checkpointers.get(record.executionArn)?.drainInto(entry);
    this.write(entry);
    if (record.status !== 'RUNNING') {
      this.checkpointers.delete(record.executionArn);
      this.outcomes.delete(record.executionArn);
    }
  }

  private write(entry: Entry): void {
    if (this.closed) return;
    const line = `${JSON.stringify(entry)}\n`;
    this.appended += writeSync(this.fd, line);
    if (this.appended >= this.compactAt) {
      closeSync(this.fd);
      this.fd = this.compact();
      this.compactAt = this.threshold();
    }
  }

  private threshold(): number {
    return this.options.compactAfterBytes ?? Math.max(64 * 2 ** 20, 2 * fstatSync(this.fd).size);
  }

  /** Rebuilds the store from the journal's lines; a torn last line (a crash mid-write) is skipped. */
  private replay(text: string): void {
    const positions = new Map<string, Map<string, ThreadSnapshot>>();
    const remember = (arn: string, snapshots: ThreadSnapshot[] | undefined) => {
      if (!snapshots) return;
      let byId = positions.get(arn);
      if (!byId) positions.set(arn, (byId = new Map()));
      for (const s of snapshots) byId.set(s.id, s);
    };
    for (const line of text.split('\n')) {
      if (!line) continue;
      let entry: Entry;
      try {
        entry = JSON.parse(line) as Entry;
      } catch {
        continue;
      }
      switch (entry.t) {
        case 'sm':
          super.putStateMachine(entry.r);
          this.revisions.set(entry.r.revisionId, entry.r.definition);
          break;
        case 'smd':
          super.deleteStateMachine(entry.a);
          break;
        case 'rev':
          this.revisions.set(entry.id, entry.d);
          break;
        case 'x': {
          const events = this.getExecution(entry.r.executionArn)?.events ?? [];
          if (entry.ev) events.push(...entry.ev);
          remember(entry.r.executionArn, entry.th);
          super.putExecution({ ...entry.r, definition: this.revisions.get(entry.r.revisionId) ?? '', events });
          if (entry.r.status === 'SUCCEEDED') positions.delete(entry.r.executionArn);
          if (entry.r.status !== 'RUNNING') this.outcomes.delete(entry.r.executionArn);
          break;
        }
        case 'cp': {
          const record = this.getExecution(entry.a);
          if (!record) break;
          if (entry.ev) record.events.push(...entry.ev);
          remember(entry.a, entry.th);
          break;
        }
        case 'tok': {
          let tokens = this.outcomes.get(entry.a);
          if (!tokens) this.outcomes.set(entry.a, (tokens = new Map()));
          tokens.set(entry.k, entry.o);
          break;
        }
      }
    }
    for (const [arn, byId] of positions) {
      const record = this.getExecution(arn);
      if (record && record.status !== 'SUCCEEDED') record.root = rebuildTree(byId.values());
    }
  }

  protected override evicted(executionArn: string): void {
    this.outcomes.delete(executionArn);
  }

  /** Rewrites the journal with only what is live; returns the descriptor to append to. */
  private compact(): number {
    const temporary = `${this.path}.compacting`;
    const fd = openSync(temporary, 'w');
    const put = (entry: Entry) => writeSync(fd, `${JSON.stringify(entry)}\n`);
    const current = new Set<string>();
    for (const sm of this.listStateMachines()) {
      put({ t: 'sm', r: sm });
      current.add(sm.revisionId);
    }
    const written = new Set<string>();
    for (const record of this.executions()) {
      if (record.type === 'EXPRESS') continue;
      if (!current.has(record.revisionId) && !written.has(record.revisionId)) {
        put({ t: 'rev', a: record.stateMachineArn, id: record.revisionId, d: record.definition });
        written.add(record.revisionId);
      }
      const entry: Extract<Entry, { t: 'x' }> = { t: 'x', r: stored(record), ev: record.events };
      if (record.root && record.status !== 'SUCCEEDED') entry.th = [...threadsOf(record.root)].map((t) => t.snapshot());
      put(entry);
      for (const [token, outcome] of this.outcomes.get(record.executionArn) ?? []) put({ t: 'tok', a: record.executionArn, k: token, o: outcome });
      this.checkpointers.get(record.executionArn)?.compacted();
    }
    closeSync(fd);
    renameSync(temporary, this.path);
    this.appended = 0;
    return openSync(this.path, 'a');
  }
}

/** The journal form of an execution record. */
function stored(record: ExecutionRecord): StoredExecution {
  const { events: _events, root: _root, definition: _definition, ...rest } = record;
  return rest;
}

/** Checkpoints of one running execution: its new history events and moved threads, one line each. */
class JournalCheckpointer implements Checkpointer {
  private readonly dirty = new Set<Thread>();
  private flushed: number;

  constructor(
    private readonly record: ExecutionRecord,
    private readonly write: (entry: Entry) => void,
  ) {
    this.flushed = record.events.length;
  }

  moved(thread: Thread): void {
    this.dirty.add(thread);
  }

  /** Marks every thread of a tree as moved (a redrive rewrites the whole tree). */
  movedTree(root: Thread): void {
    for (const thread of threadsOf(root)) this.dirty.add(thread);
  }

  checkpoint(): void {
    if (this.dirty.size === 0 && this.flushed === this.record.events.length) return;
    const entry: Extract<Entry, { t: 'cp' }> = { t: 'cp', a: this.record.executionArn };
    this.drainInto(entry);
    this.write(entry);
  }

  /** Moves what is not yet journaled into `entry`. */
  drainInto(entry: { ev?: HistoryEvent[]; th?: ThreadSnapshot[] }): void {
    if (this.flushed < this.record.events.length) entry.ev = this.record.events.slice(this.flushed);
    if (this.dirty.size) entry.th = [...this.dirty].map((t) => t.snapshot());
    this.flushed = this.record.events.length;
    this.dirty.clear();
  }

  /** The journal was just rewritten from memory: everything is in it. */
  compacted(): void {
    this.flushed = this.record.events.length;
    this.dirty.clear();
  }
}
