import { canonicalJson, type HistoryEvent } from '../history/index.js';

/** How one recorded step fared in a replay. */
export type StepStatus =
  /** The replay wrote exactly what was recorded. */
  | 'IDENTICAL'
  /** The replay wrote the same kind of step with other content (see `differences`). */
  | 'DIVERGED'
  /** Recorded, but the replay never got there. */
  | 'NOT_REPLAYED'
  /** Written by the replay, but never recorded. */
  | 'EXTRA';

/** One field that differs, with both values (`undefined`: absent on that side). */
export interface Difference {
  path: string;
  recorded?: unknown;
  replayed?: unknown;
}

export interface ReplayStep {
  /** Position in the recorded history (or in the replay's, for an extra step). */
  seq: number;
  type: string;
  /** The workflow state that wrote it, or the outside party (officer, bank, trader). */
  step: string;
  status: StepStatus;
  differences?: Difference[];
}

export interface ReplayComparison {
  outcome: 'IDENTICAL' | 'DIVERGED';
  identical: number;
  diverged: number;
  steps: ReplayStep[];
}

/** The fields of an event that a decision determines (its position and hashes follow from them). */
const compared = (event: HistoryEvent) => ({
  type: event.type,
  actor: event.actor,
  correlationId: event.correlationId,
  occurredAt: event.occurredAt,
  data: event.data,
});

const stepOf = (event: HistoryEvent) => (event.correlationId.includes('/') ? event.correlationId.split('/').pop()! : event.actor);

/** At most this many differences are listed per step: enough to see what moved. */
const MAX_DIFFERENCES = 40;

/**
 * Compares a recorded history with the one a replay wrote, step by step in order (DESIGN.md §6):
 * each recorded event is identical, diverged (with every differing field and both values), or
 * not replayed; events only the replay wrote are extra. Identical means the same type, actor,
 * correlation (execution and state), clock reading and data.
 */
export function compareHistories(recorded: readonly HistoryEvent[], replayed: readonly HistoryEvent[]): ReplayComparison {
  const steps: ReplayStep[] = [];
  const length = Math.max(recorded.length, replayed.length);
  for (let i = 0; i < length; i++) {
    const was = recorded[i];
    const now = replayed[i];
    if (!now) {
      steps.push({ seq: was.seq, type: was.type, step: stepOf(was), status: 'NOT_REPLAYED' });
    } else if (!was) {
      steps.push({ seq: now.seq, type: now.type, step: stepOf(now), status: 'EXTRA' });
    } else if (canonicalJson(compared(was)) === canonicalJson(compared(now))) {
      steps.push({ seq: was.seq, type: was.type, step: stepOf(was), status: 'IDENTICAL' });
    } else {
      steps.push({ seq: was.seq, type: was.type, step: stepOf(was), status: 'DIVERGED', differences: differences(compared(was), compared(now)) });
    }
  }
  const identical = steps.filter((s) => s.status === 'IDENTICAL').length;
  return { outcome: identical === steps.length ? 'IDENTICAL' : 'DIVERGED', identical, diverged: steps.length - identical, steps };
}

/** The JSON paths (`/data/lines/0/amount`) at which two JSON values differ, with both values. */
export function differences(recorded: unknown, replayed: unknown, path = ''): Difference[] {
  const found: Difference[] = [];
  walk(recorded, replayed, path, found);
  return found;
}

function walk(a: unknown, b: unknown, path: string, found: Difference[]): void {
  if (found.length >= MAX_DIFFERENCES) return;
  if (isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of [...keys].sort()) {
      walk((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, found);
    }
    return;
  }
  if (a === undefined && b === undefined) return;
  if (a === undefined || b === undefined || canonicalJson(a) !== canonicalJson(b)) {
    found.push({ path: path || '/', ...(a === undefined ? {} : { recorded: a }), ...(b === undefined ? {} : { replayed: b }) });
  }
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;
