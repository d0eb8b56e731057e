import { createHash } from 'node:crypto';
import type { Declaration } from './model.js';

/**
 * The declaration id: derived from the jurisdiction, the declarant and its own reference (LRN,
 * unique per trader and transaction — WCO DE 2/5), so a resubmission names the same declaration
 * and every run of the same submissions gives the same ids (and so the same keyed random draws).
 * Formatted as a UUID (RFC 9562 version 8, "custom") so it reads like any other id.
 */
export function declarationId(declaration: Pick<Declaration, 'jurisdiction' | 'declarant' | 'lrn'>): string {
  const hex = createHash('sha256')
    .update(JSON.stringify([declaration.jurisdiction, declaration.declarant.id, declaration.lrn]))
    .digest('hex')
    .slice(0, 32)
    .split('');
  hex[12] = '8'; // version 8
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16); // RFC 9562 variant
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
