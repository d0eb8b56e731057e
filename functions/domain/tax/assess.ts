import { requireDutiable, type Declaration, type DutiableDeclaration, type DutiableGoodsItem as GoodsItem, type Jurisdiction } from '../declaration/model.js';
import { ReferenceDataMissingError } from '../errors.js';
import { TAX_CURRENCY, bindTaxReference, referenceVersions, resolveBinding, type BoundReference, type TaxBinding } from './binding.js';
import type { DayPredicate } from './calendar.js';
import type { TaxCatalog, TradeRemedy } from './catalog.js';
import { Dec, ZERO, formatMoney, formatPercent, roundToCent } from './money.js';
import { applyRate, chooseDutyRate, formatRate, type RateColumn } from './rates.js';
import { refOf } from './records.js';
import { dutiableValues, type ItemValue } from './valuation.js';

/** Trade-remedy duties (关税法 Arts. 16, 18), each its own line on the tax notice. */
export type TradeRemedyType = TradeRemedy['measure'];
export type TaxType = 'DUTY' | TradeRemedyType | 'CONSUMPTION' | 'VAT';
/** Tax types in the order they are computed and printed (later bases include earlier taxes). */
const TAX_TYPES: readonly TaxType[] = ['DUTY', 'ANTI_DUMPING', 'COUNTERVAILING', 'SAFEGUARD', 'RETALIATORY', 'CONSUMPTION', 'VAT'];

/** Tax-type codes a jurisdiction prints on its notices (GB DE 4/3: A00 customs duty, B00 VAT). */
const TAX_CODES: Partial<Record<Jurisdiction, Partial<Record<TaxType, string>>>> = {
  GB: { DUTY: 'A00', VAT: 'B00' },
};

/** Why a line's payable amount differs from the computed one. */
export interface TaxRelief {
  kind: 'HALF' | 'EXEMPT' | 'SMALL_AMOUNT';
  /** The amount before the relief, rounded to 0.01. */
  computedAmount: string;
}

/** One tax on one goods item, as printed on the tax notice. */
export interface TaxLine {
  itemSequence: number;
  type: TaxType;
  /** The jurisdiction's tax-type code, where it has one (GB A00 / B00). */
  code?: string;
  /** The base the rate applies to (composite bases are shown rounded, computed unrounded). */
  base: string;
  rate: string;
  /** Payable amount, two decimals. */
  amount: string;
  currency: string;
  /** `id@version` of every record this line depends on. */
  ruleVersions: string[];
  /** The tariff column applied (duty lines). */
  column?: RateColumn;
  /** Quantity in the specific rate's unit (specific and compound rates). */
  quantity?: string;
  /** Specific and ad valorem parts, rounded for display (compound rates). */
  parts?: { specific: string; adValorem: string };
  relief?: TaxRelief;
}

export interface TaxAssessment {
  jurisdiction: Jurisdiction;
  completedOn: string;
  currency: string;
  lines: TaxLine[];
  totals: Record<TaxType, string>;
  total: string;
  referenceVersions: string[];
  binding: TaxBinding;
  /** The computation step by step, with the rules and sources applied. */
  explanation: string[];
}

type DutyMode = 'FULL' | 'HALF' | 'EXEMPT';
const MODE_FACTOR: Record<DutyMode, Dec> = { FULL: new Dec(1), HALF: new Dec('0.5'), EXEMPT: ZERO };

/**
 * The CN 征免 duty mode of an item: 2 half, 3 exempt, 5 as the declaration's exemption nature
 * says; 1 (full), 4 (special case, assessed in full pending the special approval) and 7
 * (guarantee: assessed in full, secured) are full. It applies to duty and import-stage taxes.
 */
function dutyMode(item: GoodsItem, declaration: DutiableDeclaration, bound: BoundReference, used: string[]): DutyMode {
  if (item.dutyMode === '2') return 'HALF';
  if (item.dutyMode === '3') return 'EXEMPT';
  if (item.dutyMode !== '5') return 'FULL';
  const rule = bound.rules['exemption-natures'];
  const mode = declaration.exemptionNature ? rule?.natures[declaration.exemptionNature] : undefined;
  if (!rule || !mode) {
    throw new ReferenceDataMissingError(`no rule for exemption nature ${declaration.exemptionNature ?? '(none)'}`, '/exemptionNature');
  }
  used.push(refOf(rule));
  return mode;
}

interface WorkingLine extends Omit<TaxLine, 'amount' | 'relief'> {
  payable: Dec;
  computed: Dec;
  reliefKind?: TaxRelief['kind'];
}

function makeLine(
  type: TaxType,
  jurisdiction: Jurisdiction,
  item: ItemValue,
  fields: Omit<WorkingLine, 'type' | 'itemSequence' | 'currency' | 'payable' | 'computed' | 'code'>,
  computed: Dec,
  mode: DutyMode,
): WorkingLine {
  const code = TAX_CODES[jurisdiction]?.[type];
  return {
    itemSequence: item.sequence,
    type,
    ...(code ? { code } : {}),
    currency: TAX_CURRENCY[jurisdiction],
    ...fields,
    computed: roundToCent(computed),
    payable: roundToCent(computed.times(MODE_FACTOR[mode])),
    ...(mode === 'FULL' ? {} : { reliefKind: mode }),
  };
}

/**
 * The small-amount exemption: a consignment whose tax of one type is at or below the
 * threshold pays none of it (进出口关税条例 2017 Art. 45(1): duty of CNY 50 or less; 关税法
 * Art. 32(1): within the amount the State Council sets).
 */
function applySmallAmountExemption(lines: WorkingLine[], type: 'DUTY' | 'CONSUMPTION' | 'VAT', bound: BoundReference, explanation: string[]): void {
  const rule = bound.rules['small-amount-exemption'];
  if (!rule || !rule.appliesTo.includes(type)) return;
  const ofType = lines.filter((l) => l.type === type);
  const total = ofType.reduce((sum, l) => sum.plus(l.payable), ZERO);
  if (ofType.length === 0 || total.isZero() || total.greaterThan(rule.threshold)) return;
  for (const line of ofType) {
    line.payable = ZERO;
    line.reliefKind = 'SMALL_AMOUNT';
    line.ruleVersions = [...line.ruleVersions, refOf(rule)];
  }
  explanation.push(`${type} of ${formatMoney(total)} ${rule.currency} is within the small-amount exemption of ${rule.threshold} (${rule.source}): not collected.`);
}

function finish(line: WorkingLine): TaxLine {
  const { payable, computed, reliefKind, ...rest } = line;
  return {
    ...rest,
    amount: formatMoney(payable),
    ...(reliefKind ? { relief: { kind: reliefKind, computedAmount: formatMoney(computed) } } : {}),
  };
}

/**
 * Assesses the import taxes of a declaration on the law, tariff and exchange rate in force on
 * its completion date:
 * - duty (关税法 Art. 23) at the column chosen by origin and claim (Arts. 12–13);
 * - CN consumption tax on the composite base (value + duty [+ specific part]) ÷ (1 − rate)
 *   (消费税暂行条例 Art. 9), unrounded until the tax line;
 * - import VAT on value + duty + consumption tax (增值税法 Art. 14; 增值税暂行条例 Art. 14), GB B00
 *   on customs value + duty + VAT value adjustment;
 * - CN duty modes (征免) and the small-amount exemption.
 * Every converted amount and every tax line is rounded half-up to 0.01.
 *
 * @param declaration the canonical declaration
 * @param catalog the loaded reference data
 * @param completedOn declaration completion date, `YYYY-MM-DD`
 * @param options.binding versions pinned earlier (a replay); bound now when absent
 * @param options.isTradingDay interbank trading calendar for the FX reference date
 * @throws ReferenceDataMissingError when tariff, VAT rate, FX or a needed rule is missing
 */
export function assessDeclaration(
  submitted: Declaration,
  catalog: TaxCatalog,
  completedOn: string,
  options: { binding?: TaxBinding; isTradingDay?: DayPredicate } = {},
): TaxAssessment {
  const declaration = requireDutiable(submitted);
  const binding = options.binding ?? bindTaxReference(declaration, completedOn, catalog, options.isTradingDay);
  const bound = resolveBinding(binding, catalog);
  const { jurisdiction } = declaration;
  const currency = TAX_CURRENCY[jurisdiction];
  const explanation: string[] = [];
  const lines: WorkingLine[] = [];

  if (declaration.direction === 'IMPORT') {
    const valuation = dutiableValues(declaration, bound);
    explanation.push(...valuation.explanation);
    const generalOrigins = bound.rules['general-rate-origins']?.origins ?? [];
    const itemsBySequence = new Map(declaration.items.map((item, index) => [item.sequence, { item, index }]));
    const values = valuation.items;
    const modes = new Map<number, { mode: DutyMode; refs: string[] }>();

    for (const value of values) {
      const { item, index } = itemsBySequence.get(value.sequence)!;
      const { tariff } = bound.items.get(value.sequence)!;
      const refs: string[] = [];
      const mode = dutyMode(item, declaration, bound, refs);
      modes.set(value.sequence, { mode, refs });
      const chosen = chooseDutyRate(tariff, item, value.value, generalOrigins, `/items/${index}`);
      const compound = chosen.rate.specific && chosen.rate.adValoremPct !== undefined;
      lines.push(
        makeLine('DUTY', jurisdiction, value, {
          base: formatMoney(value.value),
          rate: formatRate(chosen.rate),
          column: chosen.column,
          ruleVersions: [refOf(tariff), ...valuation.ruleVersions, ...refs],
          ...(chosen.applied.quantity ? { quantity: chosen.applied.quantity.toString() } : {}),
          ...(compound ? { parts: { specific: formatMoney(chosen.applied.specific), adValorem: formatMoney(chosen.applied.adValorem) } } : {}),
        }, chosen.applied.total, mode),
      );
      explanation.push(`Item ${item.sequence}: duty at the ${chosen.column} rate ${formatRate(chosen.rate)} of ${tariff.commodityCode} (${tariff.source})${mode === 'FULL' ? '' : `, duty mode ${mode}`}.`);
    }
    applySmallAmountExemption(lines, 'DUTY', bound, explanation);

    for (const value of values) {
      const { item, index } = itemsBySequence.get(value.sequence)!;
      for (const measure of bound.items.get(value.sequence)!.tradeRemedies) {
        const applied = applyRate(measure.rate, value.value, item, `/items/${index}`);
        // The ruling imposes the measure whatever the line's 征免 relief, which covers the duty
        // and import-stage taxes only: assessed in full.
        lines.push(
          makeLine(measure.measure, jurisdiction, value, {
            base: formatMoney(value.value),
            rate: formatRate(measure.rate),
            ruleVersions: [refOf(measure), ...valuation.ruleVersions],
            ...(applied.quantity ? { quantity: applied.quantity.toString() } : {}),
          }, applied.total, 'FULL'),
        );
        const producer = measure.producers ? `, producer ${item.producer}` : '';
        explanation.push(`Item ${item.sequence}: ${measure.measure} duty ${formatRate(measure.rate)} on origin ${item.origin}${producer} (${measure.source}).`);
      }
    }
    // Trade-remedy duties are duties (关税法 Art. 16), so the consumption-tax and VAT bases, which
    // add "关税" to the value (消费税暂行条例 Art. 9; 增值税法 Art. 14), include them.
    const dutyOf = (sequence: number) =>
      lines.filter((l) => l.itemSequence === sequence && l.type !== 'CONSUMPTION' && l.type !== 'VAT').reduce((sum, l) => sum.plus(l.payable), ZERO);

    for (const value of values) {
      const { consumptionTax } = bound.items.get(value.sequence)!;
      if (!consumptionTax) continue;
      const { item, index } = itemsBySequence.get(value.sequence)!;
      const { mode, refs } = modes.get(value.sequence)!;
      const withDuty = value.value.plus(dutyOf(value.sequence));
      // The specific part alone: the rate applied to a zero value.
      const { specific, quantity } = applyRate(consumptionTax.rate, ZERO, item, `/items/${index}`);
      const ratio = new Dec(consumptionTax.rate.adValoremPct ?? 0).dividedBy(100);
      // 消费税暂行条例 Art. 9: composite base (value + duty [+ quantity × specific rate]) ÷ (1 − rate).
      const base = withDuty.plus(specific).dividedBy(new Dec(1).minus(ratio));
      const tax = base.times(ratio).plus(specific);
      lines.push(
        makeLine('CONSUMPTION', jurisdiction, value, {
          base: formatMoney(ratio.isZero() ? withDuty : base),
          rate: formatRate(consumptionTax.rate),
          ruleVersions: [refOf(consumptionTax), ...valuation.ruleVersions, ...refs],
          ...(quantity ? { quantity: quantity.toString() } : {}),
        }, tax, mode),
      );
      const on = ratio.isZero() ? `quantity ${quantity?.toString()}` : `composite base ${base.toDecimalPlaces(6).toString()}`;
      explanation.push(`Item ${item.sequence}: consumption tax ${formatRate(consumptionTax.rate)} on ${on} (${consumptionTax.source}).`);
    }
    applySmallAmountExemption(lines, 'CONSUMPTION', bound, explanation);
    const consumptionOf = (sequence: number) =>
      lines.find((l) => l.type === 'CONSUMPTION' && l.itemSequence === sequence)?.payable ?? ZERO;

    for (const value of values) {
      const { vat } = bound.items.get(value.sequence)!;
      const { mode, refs } = modes.get(value.sequence)!;
      const base = value.value.plus(dutyOf(value.sequence)).plus(consumptionOf(value.sequence)).plus(value.vatAdjustment);
      lines.push(
        makeLine('VAT', jurisdiction, value, {
          base: formatMoney(base),
          rate: formatPercent(vat.ratePct),
          ruleVersions: [refOf(vat), ...valuation.ruleVersions, ...refs],
        }, base.times(vat.ratePct).dividedBy(100), mode),
      );
      explanation.push(`Item ${value.sequence}: VAT ${formatPercent(vat.ratePct)} on ${formatMoney(base)} (${vat.source}).`);
    }
    applySmallAmountExemption(lines, 'VAT', bound, explanation);
  } else {
    explanation.push('Export: no import duty or import VAT; export duty is not modelled.');
  }

  const taxLines = lines
    .sort((a, b) => a.itemSequence - b.itemSequence || TAX_TYPES.indexOf(a.type) - TAX_TYPES.indexOf(b.type))
    .map(finish);
  const totals = Object.fromEntries(
    TAX_TYPES.map((type) => [type, formatMoney(lines.filter((l) => l.type === type).reduce((s, l) => s.plus(l.payable), ZERO))]),
  ) as Record<TaxType, string>;
  const total = formatMoney(lines.reduce((s, l) => s.plus(l.payable), ZERO));
  return {
    jurisdiction,
    completedOn,
    currency,
    lines: taxLines,
    totals,
    total,
    referenceVersions: referenceVersions(binding),
    binding,
    explanation,
  };
}
