/**
 * Execution history in the shape of `GetExecutionHistory`: every event has `id`,
 * `previousEventId`, `timestamp` and `type`, plus one `<camelCaseType>EventDetails` object
 * (`stateEnteredEventDetails` for every `*StateEntered`, and so on)
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
 */

/** One history event as stored (timestamp in epoch ms; the API layer turns it into a date). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

/** A history event as `GetExecutionHistory` returns it. */
export interface ApiHistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

/** The last event of one thread of control (the execution, a branch, an iteration). */
export interface HistoryCursor {
  last: number;
}

const detailsKeys = new Map<string, string>();

/** Which `…EventDetails` key an event type uses (several types share one). */
function detailsKey(type: string): string {
  let key = detailsKeys.get(type);
  if (key === undefined) {
    if (type.endsWith('StateEntered')) key = 'stateEnteredEventDetails';
    else if (type.endsWith('StateExited')) key = 'stateExitedEventDetails';
    else key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
    detailsKeys.set(type, key);
  }
  return key;
}

/** `{truncated: false}`, shared by every data field (nothing is ever truncated locally). */
export const NOT_TRUNCATED = Object.freeze({ truncated: false });

/** Appends events to an execution's history (or drops them when `events` is null). */
export class HistoryRecorder {
  constructor(
    private readonly events: HistoryEvent[] | null,
    private readonly now: () => number,
  ) {}

  /** Records an event after `cursor`'s last event and moves the cursor to it; returns its id. */
  add(type: string, cursor: HistoryCursor, details?: Record<string, unknown>): number {
    if (!this.events) return 0;
    const id = this.events.length + 1;
    const event: HistoryEvent = { timestamp: this.now(), type, id, previousEventId: cursor.last };
    if (details) event[detailsKey(type)] = details;
    this.events.push(event);
    cursor.last = id;
    return id;
  }
}

/** A recorder that keeps nothing (Express executions, distributed Map iterations). */
export const NO_HISTORY = new HistoryRecorder(null, () => 0);

const DATA_FIELDS = ['input', 'output', 'parameters'] as const;

/**
 * `{output: …, outputDetails: {truncated: false}}` for a data field of event details. The value
 * is kept as is (the engine never mutates JSON values it has handed on) and serialized only when
 * the history is read — most histories are never read, and serializing every state's input and
 * output would dominate the hot path.
 */
export function dataDetails(field: 'input' | 'output', value: unknown): Record<string, unknown> {
  return field === 'input' ? { input: value ?? null, inputDetails: NOT_TRUNCATED } : { output: value ?? null, outputDetails: NOT_TRUNCATED };
}

/**
 * An event as the API returns it: date timestamp, data fields as JSON text — or left out when
 * `includeData` is false (`GetExecutionHistory`'s `includeExecutionData`).
 */
export function toApiEvent(event: HistoryEvent, includeData = true): ApiHistoryEvent {
  const out: ApiHistoryEvent = { ...event, timestamp: new Date(event.timestamp) };
  for (const [key, details] of Object.entries(event)) {
    if (!key.endsWith('EventDetails') || typeof details !== 'object' || details === null) continue;
    const serialized: Record<string, unknown> = { ...details };
    for (const field of DATA_FIELDS) {
      if (!(field in serialized)) continue;
      if (includeData) serialized[field] = JSON.stringify(serialized[field]);
      else delete serialized[field];
    }
    out[key] = serialized;
  }
  return out;
}
