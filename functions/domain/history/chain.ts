import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The tamper-evident history of a declaration (DESIGN.md §5, issue 7): every event carries the
 * hash of its predecessor and its own hash over its canonical JSON, so changing, reordering,
 * deleting or inserting a stored event breaks the chain at a point `verifyChain` names.
 */

/** A history event as stored: the system of record of a declaration. */
export interface HistoryEvent<TData = unknown> {
  declarationId: string;
  /** 1-based position in the declaration's history; the storage sort key. */
  seq: number;
  /** What happened, e.g. `DeclarationSubmitted`, `RiskScreened`. */
  type: string;
  /** Version of `data`'s shape for this `type`. */
  schemaVersion: number;
  /** Who caused it: a user, a system function, an officer. */
  actor: string;
  /** Execution and state that wrote it (callback and replay correlation). */
  correlationId: string;
  /** ISO 8601 timestamp from the injected clock, never read inside the domain. */
  occurredAt: string;
  /** The event's payload; must be representable in JSON (see `canonicalJson`). */
  data: TData;
  /** `hash` of the previous event, or `genesisHash(declarationId)` for the first. */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of every other field. */
  hash: string;
}

/** An event before it is sealed into the chain. */
export type UnsealedEvent<TData = unknown> = Omit<HistoryEvent<TData>, 'prevHash' | 'hash'>;

/** The last link of a verified chain; what gets anchored outside the table. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainBreak =
  /** An event's stored hash is not the hash of its content: the event was edited. */
  | 'hash-mismatch'
  /** An event does not point at its predecessor's hash: something was edited and re-hashed, or inserted. */
  | 'prev-mismatch'
  /** A sequence number is missing: an event was deleted. */
  | 'gap'
  /** Sequence numbers are out of order or repeated: events were moved or duplicated. */
  | 'order'
  /** The first event does not start from the declaration's genesis value. */
  | 'genesis'
  /** An event belongs to another declaration. */
  | 'foreign'
  /** The chain is shorter than, or differs from, the head anchored outside the store. */
  | 'anchor-mismatch';

export type ChainVerification =
  | { ok: true; length: number; head: ChainHead | null }
  | { ok: false; brokenAt: number; reason: ChainBreak };

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The value the first event of a declaration points back to: SHA-256 of
 * `clearway:genesis:<declarationId>`. Binding it to the id stops a whole chain being moved
 * under another declaration.
 */
export function genesisHash(declarationId: string): string {
  return sha256Hex(`clearway:genesis:${declarationId}`);
}

/** The hash an event must carry: SHA-256 over the canonical JSON (RFC 8785) of all fields but `hash`. */
function hashOf(event: Omit<HistoryEvent, 'hash'>): string {
  // Pick the fields explicitly: storage attributes (PK, SK, GSI keys) are not part of the event.
  const { declarationId, seq, type, schemaVersion, actor, correlationId, occurredAt, data, prevHash } = event;
  return sha256Hex(
    canonicalJson({ declarationId, seq, type, schemaVersion, actor, correlationId, occurredAt, data, prevHash }),
  );
}

/**
 * Seal an event onto a chain whose last hash is `prevHash` (`genesisHash(id)` for `seq` 1).
 * Throws `TypeError` for a malformed `seq` or `prevHash`, or data JSON cannot carry faithfully.
 */
export function sealEvent<TData>(unsealed: UnsealedEvent<TData>, prevHash: string): HistoryEvent<TData> {
  if (!Number.isSafeInteger(unsealed.seq) || unsealed.seq < 1) {
    throw new TypeError(`seq must be a positive integer, got ${unsealed.seq}`);
  }
  if (!HEX_SHA256.test(prevHash)) throw new TypeError('prevHash must be a lower-case hex SHA-256');
  const withPrev = { ...unsealed, prevHash };
  return { ...withPrev, hash: hashOf(withPrev) };
}

/**
 * Recompute a declaration's chain from its stored events (in storage order) and report the first
 * broken link. Deleting the newest events leaves a shorter but valid chain; pass the head
 * anchored outside the store (`anchor`) to detect that too.
 */
export function verifyChain(events: readonly HistoryEvent[], options: { anchor?: ChainHead } = {}): ChainVerification {
  const first = events[0];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const expectedSeq = i + 1;
    if (event.seq !== expectedSeq) {
      // The missing number further on means the events were moved; nowhere at all, deleted.
      const movedLater = events.slice(i + 1).some((later) => later.seq === expectedSeq);
      return { ok: false, brokenAt: expectedSeq, reason: movedLater || event.seq < expectedSeq ? 'order' : 'gap' };
    }
    if (event.declarationId !== first.declarationId) return { ok: false, brokenAt: event.seq, reason: 'foreign' };
    if (!hashMatches(event)) return { ok: false, brokenAt: event.seq, reason: 'hash-mismatch' };
    const expectedPrev = i === 0 ? genesisHash(first.declarationId) : events[i - 1].hash;
    if (event.prevHash !== expectedPrev) {
      return { ok: false, brokenAt: event.seq, reason: i === 0 ? 'genesis' : 'prev-mismatch' };
    }
  }
  const last = events.at(-1);
  const head = last ? { seq: last.seq, hash: last.hash } : null;
  const { anchor } = options;
  if (anchor && events[anchor.seq - 1]?.hash !== anchor.hash) {
    return { ok: false, brokenAt: anchor.seq, reason: 'anchor-mismatch' };
  }
  return { ok: true, length: events.length, head };
}

function hashMatches(event: HistoryEvent): boolean {
  try {
    return hashOf(event) === event.hash;
  } catch {
    // Stored content JSON cannot carry (e.g. a non-finite number) cannot be what was sealed.
    return false;
  }
}
