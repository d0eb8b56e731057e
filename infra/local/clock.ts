import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The time source of the local runtime (DESIGN.md §3, §7): everything that waits — Wait states,
 * retry back-off, task timeouts, payment deadlines — waits on an injected {@link Clock}, so tests
 * can run a 15-day deadline in milliseconds with {@link VirtualClock}.
 */
export interface Clock {
  /** Current time, epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** Wall-clock time: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/**
 * Wall-clock time moved by `offsetMs`: time passes as on the wall clock, but from another date —
 * the platform run as of a past legal date (the dated examples, training), deadlines included.
 */
export function shiftedClock(offsetMs: number): Clock {
  return { now: () => Date.now() + offsetMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

/** Where a platform started on a shifted clock keeps its offset, so tools act on its time. */
const CLOCK_FILE = 'clock.json';

/** Records (or, for the wall clock, removes) the offset of the platform running on `dataDir`. */
export function recordClockOffset(dataDir: string, offsetMs: number): void {
  const file = join(dataDir, CLOCK_FILE);
  mkdirSync(dataDir, { recursive: true });
  if (offsetMs === 0) rmSync(file, { force: true });
  else writeFileSync(file, JSON.stringify({ offsetMs }));
}

/** The offset the platform on `dataDir` recorded (0: the wall clock). */
export function recordedClockOffset(dataDir: string): number {
  const file = join(dataDir, CLOCK_FILE);
  return existsSync(file) ? Number((JSON.parse(readFileSync(file, 'utf8')) as { offsetMs: number }).offsetMs) : 0;
}

/** The current time of the platform running on `dataDir`: the wall clock, shifted as it recorded. */
export function platformNow(dataDir: string): number {
  return Date.now() + recordedClockOffset(dataDir);
}

/**
 * The clock offset a platform starts with on `dataDir`: the one it recorded, so a restart goes
 * on from its own time — or, when `startMs` is asked for, that start, but never earlier than the
 * platform's time already is (`hasData`): legal time does not run backwards over recorded data.
 * @throws RangeError when `startMs` lies before the platform's time on a data directory with data
 */
export function startingClockOffset(dataDir: string, hasData: boolean, startMs?: number): number {
  const recorded = recordedClockOffset(dataDir);
  if (startMs === undefined) return recorded;
  const platformTime = Date.now() + recorded;
  if (hasData && startMs < platformTime) {
    throw new RangeError(
      `${dataDir} holds data recorded up to ${new Date(platformTime).toISOString()}; a platform's time never runs backwards — ` +
        'start it later than that, or on a new CLEARWAY_DATA_DIR',
    );
  }
  return startMs - Date.now();
}

interface PendingSleep {
  wakeAt: number;
  seq: number;
  resolve(): void;
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Initial virtual time, epoch ms (default: 2025-01-01T00:00:00Z, so runs are reproducible). */
  start?: number;
  /**
   * Skip ahead automatically once nothing else is runnable (default true). With `false`, only
   * {@link VirtualClock.advance} / {@link VirtualClock.set} move time.
   */
  autoAdvance?: boolean;
  /**
   * How many consecutive `setImmediate` turns without any new sleep must pass before time jumps
   * (default 3). Promise chains drain between turns; this only guards against work that hops
   * through the macrotask queue (I/O callbacks, other `setImmediate`s).
   */
  idleTurns?: number;
}

/**
 * A time-skipping clock: `sleep` never really waits. When every runnable piece of work has
 * drained, virtual time jumps to the earliest pending wake-up and that sleeper resumes; then
 * the next, one at a time, so work triggered by one wake-up runs before time moves on.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly pending: PendingSleep[] = [];
  private seq = 0;
  private scheduled = false;
  private idle = 0;
  private readonly autoAdvance: boolean;
  private readonly idleTurns: number;

  constructor(options: VirtualClockOptions = {}) {
    this.current = options.start ?? Date.UTC(2025, 0, 1);
    this.autoAdvance = options.autoAdvance ?? true;
    this.idleTurns = options.idleTurns ?? 3;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const entry: PendingSleep = {
        wakeAt: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.remove(entry);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.push(entry);
      this.idle = 0;
      this.schedule();
    });
  }

  /** Moves time to `ms` (never backwards) and wakes every sleeper due by then, in order. */
  set(ms: number): void {
    if (ms > this.current) this.current = ms;
    for (let due = this.nextDue(); due && due.wakeAt <= this.current; due = this.nextDue()) {
      this.remove(due);
      due.resolve();
    }
  }

  /** Moves time forward by `ms`. */
  advance(ms: number): void {
    this.set(this.current + ms);
  }

  /** Number of sleepers not yet woken (useful in tests). */
  get pendingSleeps(): number {
    return this.pending.length;
  }

  private nextDue(): PendingSleep | undefined {
    let best: PendingSleep | undefined;
    for (const p of this.pending) {
      if (!best || p.wakeAt < best.wakeAt || (p.wakeAt === best.wakeAt && p.seq < best.seq)) best = p;
    }
    return best;
  }

  private remove(entry: PendingSleep): void {
    const i = this.pending.indexOf(entry);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private schedule(): void {
    if (!this.autoAdvance || this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    if (++this.idle < this.idleTurns) return this.schedule();
    this.idle = 0;
    const due = this.nextDue()!;
    this.remove(due);
    if (due.wakeAt > this.current) this.current = due.wakeAt;
    due.resolve();
    this.schedule();
  }
}
