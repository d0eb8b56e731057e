import { createRequire } from 'node:module';

/**
 * Capacity metering of the local DynamoDB: the read and write request units each request would
 * consume on an on-demand table, counted as dynalite serves it (not estimated afterwards), so the
 * benchmark can price a declaration. The rules are DynamoDB's, from the Developer Guide:
 *  - item size: attribute names plus values, strings as UTF-8, numbers ≈ 1 byte per two
 *    significant digits + 1, lists and maps 3 bytes + 1 per element ("Item sizes and formats");
 *  - writes ("Capacity unit consumption for write operations"): one unit per KB (rounded up) of
 *    the larger of the item before and after a PutItem or UpdateItem, of the deleted item for a
 *    DeleteItem, and of the existing item (at least one unit) for a write whose condition fails;
 *  - global secondary indexes ("Provisioned throughput considerations for GSIs", GSI.Writes):
 *    writing an item that enters an index costs one index write, one that leaves it one, and one
 *    that changes the index key two (delete the old index item, put the new one);
 *  - reads ("Capacity unit consumption for read operations"): one unit per 4 KB (rounded up),
 *    half for an eventually consistent read; a GetItem of a missing item still costs one read;
 *    a Query sums the sizes of the items it reads and rounds the total up once.
 *
 * dynalite computes `ConsumedCapacity` only when asked and never for indexes, so the meter hooks
 * the functions of dynalite's `db` module that every action calls (the version is pinned in
 * package.json): `checkConditional` (failed conditions), `updateIndexes` (every successful write,
 * with the item before and after), `addConsumedCapacity` (GetItem) and `queryTable` (Query). The
 * module is one per process, so the meter counts every dynalite in the process.
 */

/** Counts since the process started (or since {@link resetDynamoMeter}). */
export interface DynamoMeterCounts {
  /** Requests by operation (`GetItem`, `PutItem`, …), counted by the local endpoint. */
  requests: Record<string, number>;
  /** Read request units (eventually consistent reads count half). */
  readUnits: number;
  /** Write request units on tables. */
  writeUnits: number;
  /** Write request units on global secondary indexes. */
  indexWriteUnits: number;
  /** Index items put or deleted (a key change is both): what the index writes would cost were each item ≤ 1 KB. */
  indexItemWrites: number;
  /** Writes refused by their condition (they consume write units all the same). */
  conditionalFailures: number;
  /** Bytes of the items written (after the write; deletes count the deleted item). */
  bytesWritten: number;
}

type Item = Record<string, AttributeValue>;
type AttributeValue = Record<string, any>;
interface TableDescription {
  GlobalSecondaryIndexes?: { IndexName: string; KeySchema: { AttributeName: string }[] }[];
}

const counts: DynamoMeterCounts = emptyCounts();

function emptyCounts(): DynamoMeterCounts {
  return { requests: {}, readUnits: 0, writeUnits: 0, indexWriteUnits: 0, indexItemWrites: 0, conditionalFailures: 0, bytesWritten: 0 };
}

/** A copy of the counts so far. */
export function dynamoMeterCounts(): DynamoMeterCounts {
  return { ...counts, requests: { ...counts.requests } };
}

/** Sets every count back to zero. */
export function resetDynamoMeter(): void {
  Object.assign(counts, emptyCounts());
}

/** Counts one request of a DynamoDB operation (`X-Amz-Target: DynamoDB_20120810.<Operation>`). */
export function countDynamoRequest(target: string): void {
  const operation = target.slice(target.indexOf('.') + 1);
  counts.requests[operation] = (counts.requests[operation] ?? 0) + 1;
}

const KB = 1024;
const writeUnitsOf = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));
const readUnitsOf = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

/** The size DynamoDB bills an item by (DynamoDB JSON, as dynalite stores it). */
export function itemBytes(item: Item): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name) + valueBytes(item[name]);
  return size;
}

function valueBytes(value: AttributeValue): number {
  const type = Object.keys(value)[0];
  const v = value[type];
  switch (type) {
    case 'S':
      return Buffer.byteLength(v);
    case 'N':
      return numberBytes(v);
    case 'B':
      return Buffer.from(v, 'base64').length;
    case 'SS':
      return v.reduce((sum: number, s: string) => sum + Buffer.byteLength(s), 0);
    case 'NS':
      return v.reduce((sum: number, n: string) => sum + numberBytes(n), 0);
    case 'BS':
      return v.reduce((sum: number, b: string) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L':
      return 3 + v.reduce((sum: number, element: AttributeValue) => sum + 1 + valueBytes(element), 0);
    case 'M':
      return 3 + Object.keys(v).length + itemBytes(v);
    default:
      return 1; // NULL, BOOL
  }
}

/** About one byte per two significant digits, plus one (at most 21 bytes). */
function numberBytes(text: string): number {
  const mantissa = text.replace(/^[-+]/, '').replace(/[eE].*$/, '').replace('.', '');
  const digits = mantissa.replace(/^0+/, '').replace(/0+$/, '').length || 1;
  return Math.min(21, 1 + Math.ceil(digits / 2));
}

/** Counts the index writes of one item write: one to enter or leave an index, two to move within it. */
function countIndexWrites(table: TableDescription, before: Item | undefined, after: Item | undefined, beforeBytes: number, afterBytes: number): void {
  for (const index of table.GlobalSecondaryIndexes ?? []) {
    const keys = index.KeySchema.map((k) => k.AttributeName);
    const inBefore = !!before && keys.every((k) => before[k] !== undefined);
    const inAfter = !!after && keys.every((k) => after[k] !== undefined);
    if (inBefore && inAfter) {
      const moved = keys.some((k) => JSON.stringify(before![k]) !== JSON.stringify(after![k]));
      counts.indexWriteUnits += moved ? writeUnitsOf(beforeBytes) + writeUnitsOf(afterBytes) : writeUnitsOf(Math.max(beforeBytes, afterBytes));
      counts.indexItemWrites += moved ? 2 : 1;
    } else if (inBefore || inAfter) {
      counts.indexWriteUnits += writeUnitsOf(inBefore ? beforeBytes : afterBytes);
      counts.indexItemWrites += 1;
    }
  }
}

let installed = false;

/** Hooks the meter into dynalite's `db` module (once per process). */
export function installDynamoMeter(): void {
  if (installed) return;
  installed = true;
  const db = createRequire(import.meta.url)('dynalite/db/index.js');

  const checkConditional = db.checkConditional;
  db.checkConditional = (data: any, existing: Item | undefined) => {
    const refused = checkConditional(data, existing);
    if (refused) {
      counts.conditionalFailures += 1;
      counts.writeUnits += writeUnitsOf(existing ? itemBytes(existing) : 0);
    }
    return refused;
  };

  const updateIndexes = db.updateIndexes;
  db.updateIndexes = (store: unknown, table: TableDescription, before: Item | undefined, after: Item | null, cb: unknown) => {
    const beforeBytes = before ? itemBytes(before) : 0;
    const afterBytes = after ? itemBytes(after) : 0;
    counts.writeUnits += writeUnitsOf(Math.max(beforeBytes, afterBytes));
    countIndexWrites(table, before, after ?? undefined, beforeBytes, afterBytes);
    counts.bytesWritten += after ? afterBytes : beforeBytes;
    return updateIndexes(store, table, before, after, cb);
  };

  // Called by GetItem with the item read (writes pass isRead = false and are metered above).
  const addConsumedCapacity = db.addConsumedCapacity;
  db.addConsumedCapacity = (data: any, isRead: boolean, item: Item | undefined, other?: Item) => {
    if (isRead) counts.readUnits += readUnitsOf(item ? itemBytes(item) : 0, !!data.ConsistentRead);
    return addConsumedCapacity(data, isRead, item, other);
  };

  const queryTable = db.queryTable;
  db.queryTable = (store: unknown, table: unknown, data: any, ...rest: unknown[]) => {
    const cb = rest.pop() as (err: unknown, result?: { Items?: Item[] }) => void;
    return queryTable(store, table, data, ...rest, (err: unknown, result?: { Items?: Item[] }) => {
      if (!err && result) {
        const bytes = (result.Items ?? []).reduce((sum, item) => sum + itemBytes(item), 0);
        counts.readUnits += readUnitsOf(bytes, !!data.ConsistentRead);
      }
      cb(err, result);
    });
  };
}
