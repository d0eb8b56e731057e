import { z } from 'zod';
import { CountryCode, DecimalString, IsoDate, Jurisdiction, TransactionTerms } from '../declaration/model.js';

/**
 * Risk profiles as data (DESIGN.md §5, issue 6): versioned, effective-dated, authored and approved
 * by two different people, with criteria in a small typed rule language — never code per profile.
 */

/** Where a declaration goes after screening, in increasing severity: see `CHANNEL_SEVERITY`. */
export const Channel = z.enum(['GREEN', 'QUERY', 'YELLOW', 'RED']);
export type Channel = z.infer<typeof Channel>;

/** RED (physical inspection) > YELLOW (document review) > QUERY (valuation query) > GREEN. */
export const CHANNEL_SEVERITY: Record<Channel, number> = { GREEN: 0, QUERY: 1, YELLOW: 2, RED: 3 };

/**
 * Trader credit class, after the three classes of GACC Order 251 (海关注册登记和备案企业信用管理办法,
 * 2021): advanced certified enterprise (AEO), regular, distrusted.
 */
export const CreditClass = z.enum(['ADVANCED_CERTIFIED', 'REGULAR', 'DISTRUSTED']);
export type CreditClass = z.infer<typeof CreditClass>;

/** A probability written as a decimal string between 0 and 1, e.g. "0.05". */
export const Rate = DecimalString.refine((rate) => Number(rate) <= 1, 'must be a rate between 0 and 1');

const Codes = <T extends z.ZodType>(code: T) => z.array(code).min(1);

/** Leaf criteria. Item-level ones hold when some goods item satisfies them (see `criteria.ts`). */
export const HsCodeCriterion = z.strictObject({
  type: z.literal('hsCode'),
  /** Commodity code prefixes: "93" is the HS chapter, "2402" a heading, "85109000" a line. */
  prefixes: Codes(z.string().regex(/^\d{2,10}$/)),
});
export const OriginCountryCriterion = z.strictObject({ type: z.literal('originCountry'), countries: Codes(CountryCode) });
export const DispatchCountryCriterion = z.strictObject({
  type: z.literal('dispatchCountry'),
  countries: Codes(CountryCode),
});
export const CreditClassCriterion = z.strictObject({ type: z.literal('traderCreditClass'), classes: Codes(CreditClass) });
/** Holds when the importer has never imported before (an indicator supplied by the caller). */
export const FirstTimeImporterCriterion = z.strictObject({ type: z.literal('firstTimeImporter') });
/**
 * Declared unit price against the reference-price table: holds when it lies at least `belowPercent`
 * under the reference (undervaluation) or at least `abovePercent` over it (overvaluation).
 */
export const UnitPriceDeviationCriterion = z
  .strictObject({
    type: z.literal('unitPriceDeviation'),
    belowPercent: DecimalString.optional(),
    abovePercent: DecimalString.optional(),
  })
  .refine((c) => c.belowPercent !== undefined || c.abovePercent !== undefined, 'needs belowPercent or abovePercent');
export const TransactionTermsCriterion = z.strictObject({
  type: z.literal('transactionTerms'),
  terms: Codes(TransactionTerms),
});
/** CN 监管方式 trade mode, e.g. 0214 processing with supplied materials. */
export const TradeModeCriterion = z.strictObject({ type: z.literal('tradeMode'), modes: Codes(z.string().regex(/^\d{4}$/)) });
export const PartyRole = z.enum(['declarant', 'importer', 'exporter']);
export type PartyRole = z.infer<typeof PartyRole>;
/** Holds when a party in one of `roles` (all roles when absent) is on the watch list. */
export const WatchListedPartyCriterion = z.strictObject({
  type: z.literal('watchListedParty'),
  roles: Codes(PartyRole).optional(),
  parties: Codes(z.strictObject({ id: z.string().min(1), reason: z.string().optional() })),
});
/** Holds when a goods item carries none of `documentTypes` (on the item or the header): a licence missing. */
export const DocumentMissingCriterion = z.strictObject({
  type: z.literal('documentMissing'),
  documentTypes: Codes(z.string().min(1).max(8)),
});

/**
 * Holds when the declaration confirms `confirmation` as `is` (default true): a related-party sale,
 * a price the relationship influenced, royalties payable — the valuation questions of the CN form.
 */
export const ValuationConfirmationCriterion = z.strictObject({
  type: z.literal('valuationConfirmation'),
  confirmation: z.enum(['specialRelationship', 'priceInfluence', 'royaltiesPayable']),
  is: z.boolean().default(true),
});

export const LeafCriterion = z.union([
  HsCodeCriterion,
  OriginCountryCriterion,
  DispatchCountryCriterion,
  CreditClassCriterion,
  FirstTimeImporterCriterion,
  UnitPriceDeviationCriterion,
  TransactionTermsCriterion,
  TradeModeCriterion,
  WatchListedPartyCriterion,
  DocumentMissingCriterion,
  ValuationConfirmationCriterion,
]);
export type LeafCriterion = z.infer<typeof LeafCriterion>;

/** A criterion: a leaf, or `all` / `any` / `not` over criteria. */
export type Criterion =
  | LeafCriterion
  | { type: 'all'; of: Criterion[] }
  | { type: 'any'; of: Criterion[] }
  | { type: 'not'; criterion: Criterion };
export const Criterion: z.ZodType<Criterion> = z.lazy(() =>
  z.union([
    LeafCriterion,
    z.strictObject({ type: z.literal('all'), of: z.array(Criterion).min(1) }),
    z.strictObject({ type: z.literal('any'), of: z.array(Criterion).min(1) }),
    z.strictObject({ type: z.literal('not'), criterion: Criterion }),
  ]),
);

/**
 * How a profile whose criteria hold turns into a hit:
 * - `RULE`: always (prohibitions and restrictions, e.g. arms);
 * - `SAMPLE`: with probability `rate` × the trader's credit-class multiplier;
 * - `RANDOM`: the random-selection control group, with a rate per lane (never below the lane's
 *   minimum random rate) × the credit-class multiplier.
 */
export const Selection = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('RULE') }),
  z.strictObject({ kind: z.literal('SAMPLE'), rate: Rate }),
  z.strictObject({ kind: z.literal('RANDOM'), rateByLane: z.record(z.string(), Rate) }),
]);
export type Selection = z.infer<typeof Selection>;

/** Which declarations a profile applies to; an absent list means "all". */
export const Scope = z.strictObject({
  jurisdictions: Codes(Jurisdiction).optional(),
  offices: Codes(z.string().min(1)).optional(),
  tradeModes: Codes(z.string().regex(/^\d{4}$/)).optional(),
  direction: z.enum(['IMPORT', 'EXPORT']).optional(),
});
export type Scope = z.infer<typeof Scope>;

export const RiskProfile = z
  .strictObject({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be an upper-case id like RP-HS93-ARMS'),
    version: z.number().int().positive(),
    author: z.string().min(1),
    approver: z.string().min(1),
    rationale: z.string().min(1),
    scope: Scope.default({}),
    validFrom: IsoDate,
    /** Last day in force (inclusive); absent while the profile is open-ended. */
    validTo: IsoDate.optional(),
    /** All must hold (an implicit `all`); empty for a profile that applies to everything in scope. */
    criteria: z.array(Criterion),
    channel: Channel,
    /** Contribution to the screening score when the profile hits (0–100). */
    weight: z.number().int().min(0).max(100),
    selection: Selection.default({ kind: 'RULE' }),
  })
  // Four eyes: a profile is approved by someone other than its author (issue 6).
  .refine((p) => p.author !== p.approver, { message: 'approver must differ from author', path: ['approver'] })
  .refine((p) => p.validTo === undefined || p.validTo >= p.validFrom, {
    message: 'validTo must not precede validFrom',
    path: ['validTo'],
  });
export type RiskProfile = z.infer<typeof RiskProfile>;

/** Whether two effective-dated records overlap in time (both ends inclusive). */
function periodsOverlap(a: { validFrom: string; validTo?: string }, b: { validFrom: string; validTo?: string }) {
  return a.validFrom <= (b.validTo ?? '9999-12-31') && b.validFrom <= (a.validTo ?? '9999-12-31');
}

/**
 * The profiles file (`reference-data/risk/profiles.json`). Two versions of one profile may never be
 * in force on the same day, so the version a declaration binds is unambiguous.
 */
export const RiskProfileSet = z
  .object({
    /** Seed of the random draws for demos and tests; production keeps its seed secret, outside the repository. */
    defaultSeed: z.string().min(8).optional(),
    profiles: z.array(RiskProfile),
  })
  .superRefine(({ profiles }, ctx) => {
    profiles.forEach((a, i) =>
      profiles.slice(i + 1).forEach((b) => {
        if (a.id === b.id && (a.version === b.version || periodsOverlap(a, b))) {
          ctx.addIssue({
            code: 'custom',
            message: `${a.id} v${a.version} and v${b.version} are both in force on some day`,
            path: ['profiles', i],
          });
        }
      }),
    );
  });
export type RiskProfileSet = z.infer<typeof RiskProfileSet>;

/** Whether an effective-dated record is in force on `date` (YYYY-MM-DD, both ends inclusive). */
export function inForce(record: { validFrom: string; validTo?: string }, date: string): boolean {
  return record.validFrom <= date && (record.validTo === undefined || date <= record.validTo);
}
