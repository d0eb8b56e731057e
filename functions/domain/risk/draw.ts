import { createHmac } from 'node:crypto';

/** 2^48: the draw uses the first 48 bits of the MAC, which a double holds exactly. */
const SCALE = 2 ** 48;

/**
 * The deterministic random draw of a declaration for a profile version (DESIGN.md §6): HMAC-SHA-256
 * keyed with the selection seed over (declaration id, profile id, profile version), mapped to [0, 1).
 *
 * Replaying a screening gives the same draw; a trader who does not know the seed cannot predict
 * it. The declaration's version is deliberately not an input, so amending a declaration does not
 * roll the dice again.
 */
export function selectionDraw(declarationId: string, profile: { id: string; version: number }, seed: string): number {
  const mac = createHmac('sha256', seed).update(JSON.stringify([declarationId, profile.id, profile.version])).digest();
  return mac.readUIntBE(0, 6) / SCALE;
}
