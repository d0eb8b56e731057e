import { describe, expect, it } from 'vitest';
import {
  genesisHash,
  sealEvent,
  verifyChain,
  type HistoryEvent,
  type UnsealedEvent,
} from '../../../functions/domain/history/index.js';

const ID = 'DECL-2025-000001';

/** Expected values below were computed outside this code base with coreutils `sha256sum`. */
// printf %s 'clearway:genesis:DECL-2025-000001' | sha256sum
const GENESIS = 'ef634f9c3d8bae4c4d33903978fcb47e58fb275d5159db09cc9cd60eabc06322';

const submitted: UnsealedEvent = {
  declarationId: ID,
  seq: 1,
  type: 'DeclarationSubmitted',
  schemaVersion: 1,
  actor: 'declarant:GB553202734852',
  correlationId: `${ID}-v1:Receive`,
  occurredAt: '2025-03-03T09:00:00.000Z',
  data: { lrn: '7847767E1WB6' },
};

/** A sealed chain of `length` events for one declaration. */
function chainOf(length: number, id = ID): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (let seq = 1; seq <= length; seq++) {
    const prevHash = events.at(-1)?.hash ?? genesisHash(id);
    events.push(
      sealEvent(
        {
          ...submitted,
          declarationId: id,
          seq,
          type: seq === 1 ? 'DeclarationSubmitted' : 'StepRecorded',
          correlationId: `${id}-v1:Step${seq}`,
          occurredAt: `2025-03-03T09:00:0${seq}.000Z`,
          data: { step: seq, amounts: ['20.00', '204.00'] },
        },
        prevHash,
      ),
    );
  }
  return events;
}

/** Edit an event in place as an attacker with write access to the table would. */
const tamper = (events: HistoryEvent[], index: number, change: Partial<HistoryEvent>) =>
  events.map((event, i) => (i === index ? { ...event, ...change } : event));

/** Re-hash every event from `from` onwards, as an attacker who knows the scheme would. */
function rehashFrom(events: HistoryEvent[], from: number): HistoryEvent[] {
  const out = events.slice(0, from);
  for (const { hash: _hash, prevHash: _prev, ...event } of events.slice(from)) {
    out.push(sealEvent(event, out.at(-1)?.hash ?? genesisHash(event.declarationId)));
  }
  return out;
}

describe('genesisHash', () => {
  it('is SHA-256 of "clearway:genesis:<declarationId>"', () => {
    expect(genesisHash(ID)).toBe(GENESIS);
  });
});

describe('sealEvent', () => {
  it('hashes the canonical JSON of the event with its prevHash and without its hash', () => {
    const sealed = sealEvent(submitted, GENESIS);
    // sha256sum of:
    // {"actor":"declarant:GB553202734852","correlationId":"DECL-2025-000001-v1:Receive","data":{"lrn":"7847767E1WB6"},
    //  "declarationId":"DECL-2025-000001","occurredAt":"2025-03-03T09:00:00.000Z","prevHash":"ef63…6322",
    //  "schemaVersion":1,"seq":1,"type":"DeclarationSubmitted"}   (one line, no whitespace)
    expect(sealed.hash).toBe('4d1bcc10141616620776357eb4082c840045047c64de29d161958b106480c17f');
    expect(sealed.prevHash).toBe(GENESIS);
  });

  it('gives the same hash whatever the key order of the payload', () => {
    const a = sealEvent({ ...submitted, data: { x: 1, y: { p: 'a', q: 'b' } } }, GENESIS);
    const b = sealEvent({ ...submitted, data: { y: { q: 'b', p: 'a' }, x: 1 } }, GENESIS);
    expect(a.hash).toBe(b.hash);
  });

  it('refuses a seq that is not a positive integer and a prevHash that is not a SHA-256', () => {
    expect(() => sealEvent({ ...submitted, seq: 0 }, GENESIS)).toThrow(TypeError);
    expect(() => sealEvent({ ...submitted, seq: 1.5 }, GENESIS)).toThrow(TypeError);
    expect(() => sealEvent(submitted, 'not-a-hash')).toThrow(TypeError);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its length and head', () => {
    const events = chainOf(5);
    expect(verifyChain(events)).toEqual({ ok: true, length: 5, head: { seq: 5, hash: events[4].hash } });
  });

  it('accepts an empty history', () => {
    expect(verifyChain([])).toEqual({ ok: true, length: 0, head: null });
  });

  it('detects an edited payload at the edited event', () => {
    const events = tamper(chainOf(5), 2, { data: { step: 3, amounts: ['2.00', '204.00'] } });
    expect(verifyChain(events)).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
  });

  it.each(['type', 'actor', 'correlationId', 'occurredAt'] as const)('detects an edited %s', (field) => {
    const events = tamper(chainOf(3), 1, { [field]: 'forged' });
    expect(verifyChain(events)).toEqual({ ok: false, brokenAt: 2, reason: 'hash-mismatch' });
  });

  it('detects an edited event that was re-hashed, at the next link', () => {
    const edited = tamper(chainOf(5), 2, { data: { step: 3, amounts: ['0.00'] } });
    const { hash: _h, prevHash, ...content } = edited[2];
    const resealed = [...edited.slice(0, 2), sealEvent(content, prevHash), ...edited.slice(3)];
    expect(verifyChain(resealed)).toEqual({ ok: false, brokenAt: 4, reason: 'prev-mismatch' });
  });

  it('detects a deleted event as a gap', () => {
    const events = chainOf(5);
    expect(verifyChain([...events.slice(0, 2), ...events.slice(3)])).toEqual({ ok: false, brokenAt: 3, reason: 'gap' });
  });

  it('detects a deletion even when the later events were renumbered and re-hashed', () => {
    const events = chainOf(5);
    const renumbered = [...events.slice(0, 2), ...events.slice(3).map((e) => ({ ...e, seq: e.seq - 1 }))];
    // Renumbered but not re-hashed: the renumbered event no longer matches its hash.
    expect(verifyChain(renumbered)).toEqual({ ok: false, brokenAt: 3, reason: 'hash-mismatch' });
    // Re-hashed too: the chain is consistent again, and only the anchored head can tell.
    const rewritten = rehashFrom(renumbered, 2);
    expect(verifyChain(rewritten).ok).toBe(true);
    expect(verifyChain(rewritten, { anchor: { seq: 5, hash: events[4].hash } })).toEqual({
      ok: false,
      brokenAt: 5,
      reason: 'anchor-mismatch',
    });
  });

  it('detects swapped events as an order break', () => {
    const events = chainOf(5);
    const swapped = [events[0], events[2], events[1], events[3], events[4]];
    expect(verifyChain(swapped)).toEqual({ ok: false, brokenAt: 2, reason: 'order' });
  });

  it('detects a duplicated event as an order break', () => {
    const events = chainOf(3);
    expect(verifyChain([events[0], events[1], events[1], events[2]])).toEqual({
      ok: false,
      brokenAt: 3,
      reason: 'order',
    });
  });

  it('detects an inserted event, sealed onto the right predecessor, at the event after it', () => {
    const events = chainOf(4);
    const inserted = sealEvent({ ...submitted, seq: 3, type: 'OfficerReleased', data: {} }, events[1].hash);
    const rest = events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    const forged = [events[0], events[1], inserted, ...rest];
    // The shifted successors no longer match their hashes (seq is hashed).
    expect(verifyChain(forged)).toEqual({ ok: false, brokenAt: 4, reason: 'hash-mismatch' });
  });

  it('detects an inserted event when the successors were re-hashed too, against the anchored head', () => {
    const events = chainOf(4);
    const inserted = { ...submitted, seq: 3, type: 'OfficerReleased', data: {}, prevHash: '', hash: '' };
    const shifted = events.slice(2).map((e) => ({ ...e, seq: e.seq + 1 }));
    const rewritten = rehashFrom([events[0], events[1], inserted, ...shifted], 2);
    expect(verifyChain(rewritten, { anchor: { seq: 4, hash: events[3].hash } })).toEqual({
      ok: false,
      brokenAt: 4,
      reason: 'anchor-mismatch',
    });
  });

  it('detects a truncated chain against the anchored head', () => {
    const events = chainOf(5);
    const anchor = { seq: 5, hash: events[4].hash };
    expect(verifyChain(events, { anchor }).ok).toBe(true);
    expect(verifyChain(events.slice(0, 4), { anchor })).toEqual({ ok: false, brokenAt: 5, reason: 'anchor-mismatch' });
  });

  it('detects a chain that does not start from the genesis value of its declaration', () => {
    const moved = chainOf(3, 'DECL-OTHER').map((e) => ({ ...e, declarationId: ID }));
    // Moving a chain under another id changes every event's content, so the first hash breaks …
    expect(verifyChain(moved)).toEqual({ ok: false, brokenAt: 1, reason: 'hash-mismatch' });
    // … and re-hashing it in place still leaves it anchored to the other declaration's genesis.
    const { hash: _h, prevHash, ...first } = moved[0];
    expect(verifyChain([sealEvent(first, prevHash), ...moved.slice(1)])).toEqual({
      ok: false,
      brokenAt: 1,
      reason: 'genesis',
    });
  });

  it("detects an event copied from another declaration's history", () => {
    const events = chainOf(3);
    const other = chainOf(3, 'DECL-OTHER');
    expect(verifyChain([events[0], other[1], events[2]])).toEqual({ ok: false, brokenAt: 2, reason: 'foreign' });
  });

  it('reports stored content JSON cannot carry as a hash mismatch instead of throwing', () => {
    const events = tamper(chainOf(2), 1, { data: { amount: Number.NaN } });
    expect(verifyChain(events)).toEqual({ ok: false, brokenAt: 2, reason: 'hash-mismatch' });
  });
});
