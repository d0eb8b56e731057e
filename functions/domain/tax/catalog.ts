import { z } from 'zod';
import { CommodityCode, CountryCode, CurrencyCode, DecimalString, IsoDate, Jurisdiction } from '../declaration/model.js';

/**
 * The tax reference data (DESIGN.md §5): effective-dated, versioned records. A record is in
 * force on day `d` when `validFrom <= d` and (`validTo` absent or `d < validTo`, i.e. `validTo`
 * is exclusive). Several versions of one `id` may be in force at once (a correction); the
 * highest version wins. A declaration pins `id@version` of every record it used.
 */
const RecordMeta = {
  /** Stable logical id, e.g. `CN/tariff/8509400000`; versions of one id supersede each other. */
  id: z.string().min(3),
  version: z.number().int().positive(),
  validFrom: IsoDate,
  /** First day the record no longer applies (exclusive). */
  validTo: IsoDate.optional(),
  /** Where the figure comes from: statute article, official publication, or "illustrative". */
  source: z.string().min(3),
  /** True when the figure was chosen for a worked example and is not the official rate. */
  illustrative: z.boolean().optional(),
  note: z.string().optional(),
};

/** A percent figure written as a string, e.g. "13" for 13 %. */
const Percent = DecimalString;

/** A specific (per-quantity) rate: `amount` of `currency` per one `unit` of quantity. */
export const SpecificRate = z.object({
  amount: DecimalString,
  currency: CurrencyCode,
  /** Unit the rate is expressed in (CN unit code such as "001" 台, or a symbol such as "t"). */
  unit: z.string().min(1),
  /** How the unit is printed in a rate, e.g. "unit", "t". */
  unitLabel: z.string().min(1),
  /**
   * Statutory units the declaration may carry, with how many of them make one `unit`
   * (e.g. beer `{ "095": "988" }`: 988 litres make one tonne).
   */
  conversions: z.record(z.string(), DecimalString).optional(),
});
export type SpecificRate = z.infer<typeof SpecificRate>;

/** Ad valorem, specific, or both (compound) — 关税法 Art. 23; 消费税暂行条例 Art. 5. */
export const Rate = z
  .object({ adValoremPct: Percent.optional(), specific: SpecificRate.optional() })
  .refine((r) => r.adValoremPct !== undefined || r.specific !== undefined, 'a rate needs an ad valorem or a specific part');
export type Rate = z.infer<typeof Rate>;

/** A rate granted by an agreement or arrangement to goods of the listed origins (关税法 Art. 12). */
export const AgreementRate = z.object({
  /** The code the declaration claims in `preference` (agreement / certificate). */
  agreement: z.string().min(1),
  origins: z.array(CountryCode).min(1),
  rate: Rate,
});
export type AgreementRate = z.infer<typeof AgreementRate>;

/** A tariff line with its rate columns (关税法 Art. 10; UK Global Tariff third-country duty). */
export const TariffLine = z.object({
  ...RecordMeta,
  jurisdiction: Jurisdiction,
  /** CN 10 digits; GB 8 or 10 digits (an 8-digit code matches the 10-digit one padded with zeros). */
  commodityCode: CommodityCode,
  description: z.string(),
  /** MFN rate (CN 最惠国税率; GB third-country duty). */
  mfn: Rate,
  /** Temporary rate (暂定税率), applied instead of MFN and compared with agreement rates (Art. 13). */
  temporary: Rate.optional(),
  /** General rate (普通税率), for origins outside MFN treatment (Art. 12 para 4). */
  general: Rate.optional(),
  /** Conventional / agreement rates (协定税率). */
  conventional: z.array(AgreementRate).optional(),
  /** Special preferential rates (特惠税率). */
  preferential: z.array(AgreementRate).optional(),
});
export type TariffLine = z.infer<typeof TariffLine>;

/** A CN consumption-tax line (消费税暂行条例 Art. 5 and its annexed table), matched by code prefix. */
export const ConsumptionTaxLine = z.object({
  ...RecordMeta,
  jurisdiction: z.literal('CN'),
  commodityPrefix: z.string().regex(/^\d{2,10}$/),
  description: z.string(),
  rate: Rate,
});
export type ConsumptionTaxLine = z.infer<typeof ConsumptionTaxLine>;

/**
 * A trade-remedy measure (关税法 Art. 16: anti-dumping, countervailing and safeguard duties, whose
 * rates follow the anti-dumping, anti-subsidy and safeguard regulations; Art. 18: retaliatory
 * duties) on goods of a commodity-code prefix and of the listed origins, as the ruling that
 * imposes it publishes. A ruling's firm-specific rates are separate records, each naming the
 * producers it covers; the "all others" rate names none.
 */
export const TradeRemedy = z.object({
  ...RecordMeta,
  jurisdiction: Jurisdiction,
  measure: z.enum(['ANTI_DUMPING', 'COUNTERVAILING', 'SAFEGUARD', 'RETALIATORY']),
  commodityPrefix: z.string().regex(/^\d{4,10}$/),
  /** Origins the measure applies to; absent for a safeguard measure, which applies erga omnes. */
  origins: z.array(CountryCode).min(1).optional(),
  /** Producers a firm-specific rate covers (matched on the item's `producer`); absent: all others. */
  producers: z.array(z.string().min(1)).min(1).optional(),
  description: z.string(),
  rate: Rate,
});
export type TradeRemedy = z.infer<typeof TradeRemedy>;

/** An import VAT rate by commodity-code prefix; the longest matching prefix wins ("" = default). */
export const VatRate = z.object({
  ...RecordMeta,
  jurisdiction: Jurisdiction,
  commodityPrefix: z.string().regex(/^\d{0,10}$/),
  ratePct: Percent,
});
export type VatRate = z.infer<typeof VatRate>;

/** An exchange rate: `rate` units of the jurisdiction's currency for `per` units of `currency`. */
export const FxRate = z.object({
  ...RecordMeta,
  jurisdiction: Jurisdiction,
  currency: CurrencyCode,
  /** The day whose central parity this is (CN: the third Wednesday rule). */
  referenceDate: IsoDate,
  rate: DecimalString,
  per: z.number().int().positive().default(1),
});
export type FxRate = z.infer<typeof FxRate>;

const FxReferenceDateRule = z.object({
  ...RecordMeta,
  rule: z.literal('fx-reference-date'),
  jurisdiction: Jurisdiction,
  fallback: z.enum(['NEXT_TRADING_DAY', 'FOURTH_WEDNESDAY']),
});
const InsuranceDefaultRule = z.object({
  ...RecordMeta,
  rule: z.literal('insurance-default'),
  jurisdiction: Jurisdiction,
  /** Insurance as a fraction of (cost + freight) when it is not declared, e.g. "0.003". */
  rateOfCostAndFreight: DecimalString,
});
const SmallAmountExemptionRule = z.object({
  ...RecordMeta,
  rule: z.literal('small-amount-exemption'),
  jurisdiction: Jurisdiction,
  /** A consignment's tax of a type at or below this amount is not collected. */
  threshold: DecimalString,
  currency: CurrencyCode,
  appliesTo: z.array(z.enum(['DUTY', 'CONSUMPTION', 'VAT'])).min(1),
});
const PaymentDeadlineRule = z.object({
  ...RecordMeta,
  rule: z.literal('payment-deadline'),
  jurisdiction: Jurisdiction,
  days: z.number().int().positive(),
  /** The day the period runs from (the day itself not counted — 民法典 Art. 201). */
  countFrom: z.enum(['DECLARATION_COMPLETION', 'TAX_NOTICE']),
  /** A period ending on a rest day ends on the next working day instead (民法典 Art. 203). */
  rollToWorkingDay: z.boolean(),
});
const MonthlyPaymentDeadlineRule = z.object({
  ...RecordMeta,
  rule: z.literal('monthly-payment-deadline'),
  jurisdiction: Jurisdiction,
  /** Batch-paid taxes are due by the end of this working day of the next month (关税法 Art. 43: the fifth). */
  nthWorkingDayOfNextMonth: z.number().int().min(1).max(23),
});
const LateFeeRule = z.object({
  ...RecordMeta,
  rule: z.literal('late-fee'),
  jurisdiction: Jurisdiction,
  /** Fraction of the overdue tax per calendar day, e.g. "0.0005" (万分之五). */
  dailyRate: DecimalString,
});
const ExemptionNatureRule = z.object({
  ...RecordMeta,
  rule: z.literal('exemption-natures'),
  jurisdiction: Jurisdiction,
  /** CN 征免性质 code → the duty mode it implies when the line's 征免 is 5 (follow exemption nature). */
  natures: z.record(z.string(), z.enum(['FULL', 'HALF', 'EXEMPT'])),
});
const GeneralRateOriginsRule = z.object({
  ...RecordMeta,
  rule: z.literal('general-rate-origins'),
  jurisdiction: Jurisdiction,
  /** Origins outside MFN treatment, to which the general rate applies (关税法 Art. 12 para 4). */
  origins: z.array(CountryCode),
});

/**
 * Who caused tax found short after release — it decides the limitation clock and the late fee
 * (关税法 Arts. 45–47; 进出口关税条例 2017 Art. 51): nobody's fault (a customs error, 补征), a breach
 * of the rules by the taxpayer (追征), or smuggling (走私).
 */
export const RecoveryCause = z.enum(['NO_FAULT', 'TRADER_BREACH', 'SMUGGLING']);
export type RecoveryCause = z.infer<typeof RecoveryCause>;

/** Who found an overpayment: the taxpayer's written claim, or the customs itself. */
export const RefundInitiator = z.enum(['TRADER_CLAIM', 'CUSTOMS_FOUND']);
export type RefundInitiator = z.infer<typeof RefundInitiator>;

/** Whole years of a limitation period; `null`: no limit. */
const LimitYears = z.number().int().positive().nullable();

const PostClearanceRecoveryRule = z.object({
  ...RecordMeta,
  rule: z.literal('post-clearance-recovery'),
  jurisdiction: Jurisdiction,
  /**
   * Years from the day the tax was paid or the goods released within which the customs may
   * recover tax found short, per cause; `null` where the law sets no limit (smuggling, 关税法 Art. 47).
   */
  limitYears: z.strictObject({ NO_FAULT: LimitYears, TRADER_BREACH: LimitYears, SMUGGLING: LimitYears }),
  /** The causes on which a late fee accrues from the day the tax was paid or the goods released. */
  lateFeeOn: z.array(RecoveryCause),
  /** Fraction of the tax found short per day, e.g. "0.0005" (万分之五). */
  lateFeeDailyRate: DecimalString,
  /** A period ending on a rest day ends on the next working day (民法典 Art. 203). */
  rollToWorkingDay: z.boolean(),
});
const RefundClaimRule = z.object({
  ...RecordMeta,
  rule: z.literal('refund-claim'),
  jurisdiction: Jurisdiction,
  /** Years from the day the tax was paid within which the taxpayer may claim an overpayment back. */
  claimYears: z.number().int().positive(),
  /** A period ending on a rest day ends on the next working day (民法典 Art. 203). */
  rollToWorkingDay: z.boolean(),
});
const RefundInterestRule = z.object({
  ...RecordMeta,
  rule: z.literal('refund-interest'),
  jurisdiction: Jurisdiction,
  /** The refunds that earn interest (关税法 Art. 53: every refund; before, the taxpayer's claim only). */
  appliesTo: z.array(RefundInitiator),
  /** The current (demand) deposit rate, percent a year, e.g. "0.35". */
  annualRatePct: DecimalString,
  /** Days of the interest year: the daily rate is the annual rate divided by it. */
  dayCountBasis: z.number().int().positive(),
});

const AuditWindowRule = z.object({
  ...RecordMeta,
  rule: z.literal('audit-window'),
  jurisdiction: Jurisdiction,
  /** Years after release within which the customs may audit (海关稽查条例 Art. 2: 3). */
  years: z.number().int().positive(),
});

export const TaxRule = z.discriminatedUnion('rule', [
  FxReferenceDateRule,
  InsuranceDefaultRule,
  SmallAmountExemptionRule,
  PaymentDeadlineRule,
  MonthlyPaymentDeadlineRule,
  LateFeeRule,
  ExemptionNatureRule,
  GeneralRateOriginsRule,
  PostClearanceRecoveryRule,
  RefundClaimRule,
  RefundInterestRule,
  AuditWindowRule,
]);
export type TaxRule = z.infer<typeof TaxRule>;
export type TaxRuleName = TaxRule['rule'];
/** The rule record of one kind. */
export type RuleOf<N extends TaxRuleName> = Extract<TaxRule, { rule: N }>;
export type PaymentDeadlineRule = RuleOf<'payment-deadline'>;
export type LateFeeRule = RuleOf<'late-fee'>;
export type MonthlyPaymentDeadlineRule = RuleOf<'monthly-payment-deadline'>;
export type PostClearanceRecoveryRule = RuleOf<'post-clearance-recovery'>;
export type RefundClaimRule = RuleOf<'refund-claim'>;
export type RefundInterestRule = RuleOf<'refund-interest'>;
export type AuditWindowRule = RuleOf<'audit-window'>;

/**
 * The rules of post-clearance clocks. Each is chosen on the day its own period starts (the day
 * the tax was paid or the goods released, the day of the refund, the release for the audit
 * window), never bound to a declaration on its completion date like the assessment rules.
 */
export const POST_CLEARANCE_RULES: ReadonlySet<TaxRuleName> = new Set([
  'post-clearance-recovery',
  'refund-claim',
  'refund-interest',
  'audit-window',
]);

/** All tax reference data loaded in memory; the domain never reads it from disk itself. */
export interface TaxCatalog {
  tariffLines: TariffLine[];
  consumptionTax: ConsumptionTaxLine[];
  vatRates: VatRate[];
  fxRates: FxRate[];
  rules: TaxRule[];
  /** Anti-dumping, countervailing, safeguard and retaliatory measures (none when absent). */
  tradeRemedies?: TradeRemedy[];
}

/** Any record of the catalog. */
export type ReferenceRecord = TariffLine | ConsumptionTaxLine | VatRate | FxRate | TaxRule | TradeRemedy;

/** One reference-data file: `{ "kind": "...", "records": [...] }`. */
export const ReferenceDataFile = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tariff-line'), records: z.array(TariffLine) }),
  z.object({ kind: z.literal('consumption-tax'), records: z.array(ConsumptionTaxLine) }),
  z.object({ kind: z.literal('vat-rate'), records: z.array(VatRate) }),
  z.object({ kind: z.literal('fx-rate'), records: z.array(FxRate) }),
  z.object({ kind: z.literal('tax-rule'), records: z.array(TaxRule) }),
  z.object({ kind: z.literal('trade-remedy'), records: z.array(TradeRemedy) }),
]);

const SLOT = {
  'tariff-line': 'tariffLines',
  'consumption-tax': 'consumptionTax',
  'vat-rate': 'vatRates',
  'fx-rate': 'fxRates',
  'tax-rule': 'rules',
  'trade-remedy': 'tradeRemedies',
} as const satisfies Record<z.infer<typeof ReferenceDataFile>['kind'], keyof TaxCatalog>;

/**
 * Builds a catalog from parsed reference-data files (`reference-data/{tariff,fx,tax-rules}/*.json`),
 * validating each. Throws a zod error naming the offending record when a file is malformed.
 */
export function catalogFromFiles(files: unknown[]): TaxCatalog {
  const catalog: TaxCatalog = { tariffLines: [], consumptionTax: [], vatRates: [], fxRates: [], rules: [], tradeRemedies: [] };
  for (const raw of files) {
    const file = ReferenceDataFile.parse(raw);
    (catalog[SLOT[file.kind]] as ReferenceRecord[]).push(...file.records);
  }
  return catalog;
}
