import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * How values the table never queries inside are stored (dynamodb-toolbox transformers). Each
 * decoder also reads what the earlier form stored — a map as it is, JSON as text — so items
 * written before a part changed form stay readable.
 */

/** Text gzipped into a binary attribute; text stored as a string is read as it is. */
export const gzippedText = {
  encode: (text: unknown) => gzipSync(text as string),
  decode: (stored: unknown) => (stored instanceof Uint8Array ? gunzipSync(stored).toString('utf8') : stored),
};

/**
 * A nested value as one JSON string attribute rather than a DynamoDB map: it skips the
 * per-attribute work of every layer (the toolbox's parse and format, marshalling, the wire
 * format, the table's validation).
 */
export const jsonText = {
  encode: (value: unknown) => JSON.stringify(value),
  decode: (stored: unknown) => (typeof stored === 'string' ? JSON.parse(stored) : stored),
};

/** A nested value as gzipped JSON: for a large value, smaller than as a map or as JSON text. */
export const gzippedJson = {
  encode: (value: unknown) => gzippedText.encode(jsonText.encode(value)),
  decode: (stored: unknown) => jsonText.decode(gzippedText.decode(stored)),
};
