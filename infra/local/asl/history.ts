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

/** The last event of one thread of control (the execution, a branch, an iteration). */
export interface HistoryCursor {
  last: number;
}

/** Which `…EventDetails` key an event type uses (several types share one). */
function detailsKey(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

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

/** `{…, "outputDetails": {"truncated": false}}` helper for data fields of event details. */
export function dataDetails(field: 'input' | 'output' | 'parameters', value: unknown): Record<string, unknown> {
  return { [field]: JSON.stringify(value ?? null), [`${field}Details`]: { truncated: false } };
}
