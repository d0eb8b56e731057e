import Decimal from 'decimal.js';
import { z } from 'zod';
import { IsoDate, Jurisdiction, type Declaration } from '../declaration/model.js';
import { ReferenceDataMissingError } from '../errors.js';
import { Channel, CreditClass, Rate, inForce } from './profile.js';

/**
 * Lane parameters per jurisdiction, direction and office, after ASYCUDA's selectivity lanes:
 * the channel mix the administration expects, the minimum share of declarations selected at
 * random (the control group every profile is measured against), and how a trader's credit
 * class scales selection probabilities.
 */
export const Lane = z
  .strictObject({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/),
    version: z.number().int().positive(),
    jurisdiction: Jurisdiction,
    direction: z.enum(['IMPORT', 'EXPORT']),
    /** Offices this lane serves; absent for the jurisdiction's default lane. */
    offices: z.array(z.string().min(1)).min(1).optional(),
    validFrom: IsoDate,
    validTo: IsoDate.optional(),
    /** Expected share of declarations per channel (for measurement); they add up to 1. */
    expectedRates: z.record(Channel, Rate),
    /** The random-selection rate never goes below this, whatever the credit class. */
    minimumRandomRate: Rate,
    /** Multiplier on selection probability per credit class — a weighting, not a hard rule. */
    creditClassMultipliers: z.record(CreditClass, z.string().regex(/^\d{1,3}(\.\d{1,4})?$/)),
    /**
     * A SAMPLE profile whose criteria held this many times in a row in this lane without its draw
     * selecting the declaration selects the next one it holds on: a low sampling rate cannot let
     * a long run of risky declarations through. Absent: no limit. RANDOM profiles are exempt, so
     * the control group stays a true random sample.
     */
    maximumHitsWithoutSelection: z.number().int().positive().optional(),
    /**
     * Seconds a GREEN declaration stands by in the `stand-by` queue before it goes on to
     * assessment and release, so an officer can still pick it for control. Absent or 0: none.
     */
    standBySeconds: z.number().int().min(0).max(86_400).optional(),
    /** False when the office runs no query desk: QUERY hits go to document review (YELLOW). Default true. */
    queryLane: z.boolean().optional(),
  })
  .refine((lane) => Decimal.sum(...Object.values(lane.expectedRates)).eq(1), {
    message: 'expected rates must add up to 1',
    path: ['expectedRates'],
  });
export type Lane = z.infer<typeof Lane>;

export const LaneSet = z.object({ lanes: z.array(Lane) });
export type LaneSet = z.infer<typeof LaneSet>;

/**
 * The lane a declaration is screened in on `date`: a lane naming its office wins over the
 * jurisdiction's default lane; among equals the most recently effective one.
 * Throws `ReferenceDataMissingError` when no lane is in force.
 */
export function laneFor(declaration: Declaration, lanes: readonly Lane[], date: string): Lane {
  const { jurisdiction, direction, office } = declaration;
  const candidates = lanes.filter(
    (lane) =>
      lane.jurisdiction === jurisdiction &&
      lane.direction === direction &&
      inForce(lane, date) &&
      (lane.offices === undefined || (office !== undefined && lane.offices.includes(office))),
  );
  const specificity = (lane: Lane) => (lane.offices ? 1 : 0);
  const [lane] = candidates.sort(
    (a, b) => specificity(b) - specificity(a) || (a.validFrom < b.validFrom ? 1 : a.validFrom > b.validFrom ? -1 : 0),
  );
  if (!lane) {
    throw new ReferenceDataMissingError(`no risk lane for ${jurisdiction} ${direction} office ${office ?? '-'} on ${date}`);
  }
  return lane;
}
