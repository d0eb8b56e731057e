/**
 * From the runtime's counters (infra/local/runtime.ts `metrics()`) to what one declaration used,
 * in the units AWS bills — the input of the cost model.
 */
import type { RuntimeMetrics } from '../infra/local/runtime.js';

/** `after - before`, field by field (the counters only grow). */
export function diffMetrics(before: RuntimeMetrics, after: RuntimeMetrics): RuntimeMetrics {
  return diff(before, after) as RuntimeMetrics;
}

function diff(before: unknown, after: unknown): unknown {
  if (typeof after === 'number') return after - (typeof before === 'number' ? before : 0);
  if (after && typeof after === 'object') {
    const previous = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, diff(previous[key], value)]));
  }
  return after;
}

/** DynamoDB operations that read, and that write (the rest are control-plane calls). */
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/** What one declaration used, on average over a run. */
export interface Usage {
  apiRequests: Record<string, number>;
  standardTransitions: number;
  expressRequests: number;
  expressBilledMs: number;
  /** State name → transitions (the lifecycle state machine). */
  transitionsByState: Record<string, number>;
  /** Function → invocations and billed milliseconds. */
  lambda: Record<string, { invocations: number; billedMs: number }>;
  dynamodb: {
    readRequests: number;
    writeRequests: number;
    requests: Record<string, number>;
    readUnits: number;
    writeUnits: number;
    indexWriteUnits: number;
    indexItemWrites: number;
    bytesWritten: number;
  };
  events: { published: number; billedChunks: number; deliveries: number };
  sqsRequests: number;
}

/** Per-declaration usage from the counters of a run of `n` declarations. */
export function usagePerDeclaration(m: RuntimeMetrics, n: number, stateMachine = 'clearway-lifecycle'): Usage {
  const per = (value: number) => value / n;
  const perEach = (record: Record<string, number>) => Object.fromEntries(Object.entries(record).filter(([, v]) => v > 0).map(([k, v]) => [k, per(v)]));
  const requests = perEach(m.dynamodb.requests);
  const sum = (names: Set<string>) => Object.entries(requests).reduce((total, [op, count]) => total + (names.has(op) ? count : 0), 0);
  return {
    apiRequests: perEach(m.api),
    standardTransitions: per(m.stepFunctions.stateTransitions.STANDARD),
    expressRequests: per(m.stepFunctions.executionsStarted.EXPRESS),
    expressBilledMs: per(m.stepFunctions.expressBilledMs),
    transitionsByState: perEach(m.stepFunctions.transitionsByState[stateMachine] ?? {}),
    lambda: Object.fromEntries(
      Object.entries(m.lambda)
        .filter(([, s]) => s.invocations > 0)
        .map(([name, s]) => [name, { invocations: per(s.invocations), billedMs: per(s.billedMs) }]),
    ),
    dynamodb: {
      readRequests: sum(READS),
      writeRequests: sum(WRITES),
      requests,
      readUnits: per(m.dynamodb.readUnits),
      writeUnits: per(m.dynamodb.writeUnits),
      indexWriteUnits: per(m.dynamodb.indexWriteUnits),
      indexItemWrites: per(m.dynamodb.indexItemWrites),
      bytesWritten: per(m.dynamodb.bytesWritten),
    },
    events: { published: per(m.events.eventsPublished), billedChunks: per(m.events.billedEventChunks), deliveries: per(m.events.deliveries) },
    sqsRequests: per(m.queues.sent + m.queues.received + m.queues.deleted),
  };
}
