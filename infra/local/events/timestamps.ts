/**
 * Timestamps of the EventBridge JSON protocol: epoch seconds (possibly fractional) on the wire;
 * callers in-process may pass a Date.
 */
export type Timestamp = number | Date;

export const toSeconds = (ms: number): number => ms / 1000;
export const toMillis = (t: Timestamp): number => (t instanceof Date ? t.getTime() : t * 1000);

/** EventBridge event times have second precision: `2017-10-02T16:24:49Z`. */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
