import { z } from 'zod';
import { DecimalString, IsoDate } from '../declaration/model.js';
import { selectionDraw } from '../risk/index.js';

/** An effective-dated post-clearance sampling rule. */
export const AuditSamplingRule = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  validFrom: IsoDate,
  validTo: IsoDate.optional(),
  /** Share of released declarations drawn for audit, 0..1. */
  rate: DecimalString,
  /** Years after release within which customs may audit (海关稽查条例 Art. 2: 3). */
  auditWindowYears: z.number().int().positive(),
  source: z.string().min(1),
});
export type AuditSamplingRule = z.infer<typeof AuditSamplingRule>;

export interface AuditSelection {
  selected: boolean;
  rule: string;
  draw: number;
  rate: number;
  /** Last day an audit may start: release date + the audit window. */
  auditWindowEndsOn: string;
}

/**
 * Post-clearance selection by sampling: a keyed-hash draw of the declaration against the rule
 * in force on the release date — the same draw on every replay (DESIGN.md §6).
 *
 * @param releasedOn legal date of release, `YYYY-MM-DD`
 * @throws RangeError when no sampling rule is in force on that date
 */
export function selectForAudit(declarationId: string, releasedOn: string, rules: readonly AuditSamplingRule[], seed: string): AuditSelection {
  const rule = rules.find((r) => r.validFrom <= releasedOn && (!r.validTo || releasedOn <= r.validTo));
  if (!rule) throw new RangeError(`No audit sampling rule in force on ${releasedOn}`);
  const draw = selectionDraw(declarationId, rule, seed);
  const rate = Number(rule.rate);
  return {
    selected: draw < rate,
    rule: `${rule.id}@${rule.version}`,
    draw,
    rate,
    auditWindowEndsOn: addYears(releasedOn, rule.auditWindowYears),
  };
}

/**
 * The same day `years` later; a period that would end on 29 February of a common year ends
 * on 28 February, the last day of that month (民法典 Art. 202).
 */
export function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${monthDay === '02-29' && !leap ? '02-28' : monthDay}`;
}
