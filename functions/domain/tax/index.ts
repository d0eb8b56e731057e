/**
 * Tax assessment (pure domain): reference-data formats, binding of the versions in force on
 * the completion date, assessment of duty / consumption tax / VAT, and the legal payment clocks.
 */
export { assessDeclaration, type TaxAssessment, type TaxLine, type TaxRelief, type TaxType, type TradeRemedyType } from './assess.js';
export {
  TAX_CURRENCY,
  bindTaxReference,
  declaredCurrencies,
  referenceVersions,
  resolveBinding,
  type BoundReference,
  type TaxBinding,
} from './binding.js';
export { addDays, addMonths, addYears, calendarWith, daysBetween, isWeekday, nextDayThatCounts, type DayPredicate } from './calendar.js';
export {
  AgreementRate,
  ConsumptionTaxLine,
  FxRate,
  POST_CLEARANCE_RULES,
  Rate,
  RecoveryCause,
  RefundInitiator,
  ReferenceDataFile,
  SpecificRate,
  TariffLine,
  TaxRule,
  TradeRemedy,
  VatRate,
  catalogFromFiles,
  type AuditWindowRule,
  type LateFeeRule,
  type MonthlyPaymentDeadlineRule,
  type PaymentDeadlineRule,
  type PostClearanceRecoveryRule,
  type ReferenceRecord,
  type RefundClaimRule,
  type RefundInterestRule,
  type RuleOf,
  type TaxCatalog,
  type TaxRuleName,
} from './catalog.js';
export { Dec, formatMoney, formatPercent, roundToCent } from './money.js';
export { amountDue, computeLateFee, paymentDeadline, type LateFee } from './payment.js';
export { applyRate, chooseDutyRate, formatRate, quantityInUnit, type RateApplication, type RateColumn } from './rates.js';
export { inForce, pickInForce, refOf, sameCommodity, type RecordRef } from './records.js';
export { selectReferenceDate, type ReferenceDateFallback } from './reference-date.js';
export { dutiableValues, type ItemValue, type Valuation } from './valuation.js';
