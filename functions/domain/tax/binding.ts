import { requireDutiable, type Declaration, type DutiableDeclaration, type DutiableGoodsItem, type Jurisdiction } from '../declaration/model.js';
import { ReferenceDataMissingError } from '../errors.js';
import type { DayPredicate } from './calendar.js';
import { POST_CLEARANCE_RULES, type ConsumptionTaxLine, type FxRate, type RuleOf, type TariffLine, type TaxCatalog, type TaxRule, type TaxRuleName, type TradeRemedy, type VatRate } from './catalog.js';
import { pickInForce, pinned, refOf, sameCommodity, type RecordRef } from './records.js';
import { selectReferenceDate } from './reference-date.js';

/** The currency taxes are assessed and paid in (关税法 Art. 60: CNY; UK: GBP). */
export const TAX_CURRENCY: Record<Jurisdiction, string> = { CN: 'CNY', GB: 'GBP' };

/**
 * The reference-data versions a declaration is assessed with, fixed on its completion date
 * (关税法 Art. 20: the rates in force on the day the declaration is completed). Replaying the
 * declaration later uses exactly these versions, whatever has been published since.
 */
export interface TaxBinding {
  jurisdiction: Jurisdiction;
  completedOn: string;
  /** The FX reference date, when a foreign currency is involved. */
  fxReferenceDate?: string;
  items: Array<{ sequence: number; tariff: RecordRef; vat: RecordRef; consumptionTax?: RecordRef; tradeRemedies?: RecordRef[] }>;
  /** Currency → FX record. */
  fx: Record<string, RecordRef>;
  /** Rule name → rule record in force on the completion date. */
  rules: Partial<Record<TaxRuleName, RecordRef>>;
}

/** The records a binding pins, fetched from a catalog. */
export interface BoundReference {
  binding: TaxBinding;
  items: Map<number, { tariff: TariffLine; vat: VatRate; consumptionTax?: ConsumptionTaxLine; tradeRemedies: TradeRemedy[] }>;
  fx: Map<string, FxRate>;
  rules: { [N in TaxRuleName]?: RuleOf<N> };
}

/** Every currency the declaration's amounts are written in. */
export function declaredCurrencies(declaration: DutiableDeclaration): string[] {
  const charges = [declaration.freight, declaration.insurance, declaration.otherCharges];
  const currencies = new Set([declaration.invoiceCurrency]);
  for (const charge of charges) if (charge?.currency) currencies.add(charge.currency);
  return [...currencies];
}

function bindRules(catalog: TaxCatalog, jurisdiction: Jurisdiction, completedOn: string): TaxBinding['rules'] {
  const rules: TaxBinding['rules'] = {};
  const names = new Set<TaxRuleName>(catalog.rules.map((r) => r.rule).filter((name) => !POST_CLEARANCE_RULES.has(name)));
  for (const name of names) {
    const rule = pickInForce<TaxRule>(catalog.rules, completedOn, (r) => r.rule === name && r.jurisdiction === jurisdiction);
    if (rule) rules[name] = refOf(rule);
  }
  return rules;
}

/**
 * The trade-remedy measures on an item on `completedOn`: per measure, the record for its code and
 * origin — a firm-specific rate naming the item's producer before the residual rate, then the
 * longest code prefix.
 */
function bindTradeRemedies(catalog: TaxCatalog, jurisdiction: Jurisdiction, completedOn: string, item: DutiableGoodsItem): RecordRef[] {
  const code = item.commodityCode;
  const applicable = (catalog.tradeRemedies ?? []).filter(
    (r) =>
      r.jurisdiction === jurisdiction &&
      code.startsWith(r.commodityPrefix) &&
      (r.origins === undefined || r.origins.includes(item.origin)) &&
      (r.producers === undefined || (item.producer !== undefined && r.producers.includes(item.producer))),
  );
  const measures = [...new Set(applicable.map((r) => r.measure))].sort();
  const rank = (r: TradeRemedy) => (r.producers ? 100 : 0) + r.commodityPrefix.length;
  return measures
    .map((measure) => pickInForce(applicable, completedOn, (r) => r.measure === measure, rank))
    .filter((r): r is TradeRemedy => r !== undefined)
    .map(refOf);
}

function requireRecord<R>(record: R | undefined, message: string, pointer?: string): R {
  if (record === undefined) throw new ReferenceDataMissingError(message, pointer);
  return record;
}

/**
 * Pins the version of every tariff line, VAT rate, consumption-tax line, exchange rate and
 * legal rule the declaration needs on `completedOn`.
 *
 * @param declaration the canonical declaration
 * @param completedOn declaration completion date (`YYYY-MM-DD`), which binds law, tariff and FX
 * @param catalog the loaded reference data
 * @param isTradingDay interbank trading calendar for the FX reference date (weekdays by default)
 * @throws ReferenceDataMissingError when a tariff line, VAT rate, exchange rate or FX rule is missing
 */
export function bindTaxReference(
  submitted: Declaration,
  completedOn: string,
  catalog: TaxCatalog,
  isTradingDay?: DayPredicate,
): TaxBinding {
  const declaration = requireDutiable(submitted);
  const { jurisdiction } = declaration;
  const rules = bindRules(catalog, jurisdiction, completedOn);
  const binding: TaxBinding = { jurisdiction, completedOn, items: [], fx: {}, rules };

  const foreign = declaredCurrencies(declaration).filter((c) => c !== TAX_CURRENCY[jurisdiction]);
  if (foreign.length > 0) {
    const ruleRef = requireRecord(rules['fx-reference-date'], `no exchange-rate rule for ${jurisdiction} on ${completedOn}`);
    const rule = pinned(catalog.rules, ruleRef, 'rule') as RuleOf<'fx-reference-date'>;
    const referenceDate = selectReferenceDate(completedOn, isTradingDay, rule.fallback);
    binding.fxReferenceDate = referenceDate;
    for (const currency of foreign) {
      const fx = pickInForce(
        catalog.fxRates,
        completedOn,
        (r) => r.jurisdiction === jurisdiction && r.currency === currency && r.referenceDate === referenceDate,
      );
      binding.fx[currency] = refOf(
        requireRecord(fx, `no ${currency} exchange rate of ${referenceDate} for a declaration completed on ${completedOn}`, '/invoiceCurrency'),
      );
    }
  }

  if (declaration.direction === 'EXPORT') return binding;

  declaration.items.forEach((item, index) => {
    const pointer = `/items/${index}/commodityCode`;
    const tariff = pickInForce(
      catalog.tariffLines,
      completedOn,
      (r) => r.jurisdiction === jurisdiction && sameCommodity(r.commodityCode, item.commodityCode),
    );
    const vat = pickInForce(
      catalog.vatRates,
      completedOn,
      (r) => r.jurisdiction === jurisdiction && item.commodityCode.startsWith(r.commodityPrefix),
      (r) => r.commodityPrefix.length,
    );
    const consumptionTax = pickInForce(
      catalog.consumptionTax,
      completedOn,
      (r) => r.jurisdiction === jurisdiction && item.commodityCode.startsWith(r.commodityPrefix),
      (r) => r.commodityPrefix.length,
    );
    const tradeRemedies = bindTradeRemedies(catalog, jurisdiction, completedOn, item);
    binding.items.push({
      sequence: item.sequence,
      tariff: refOf(requireRecord(tariff, `no ${jurisdiction} tariff line for ${item.commodityCode} on ${completedOn}`, pointer)),
      vat: refOf(requireRecord(vat, `no ${jurisdiction} VAT rate for ${item.commodityCode} on ${completedOn}`, pointer)),
      ...(consumptionTax ? { consumptionTax: refOf(consumptionTax) } : {}),
      ...(tradeRemedies.length ? { tradeRemedies } : {}),
    });
  });
  return binding;
}

/** Every `id@version` a binding pins, sorted — what the tax notice records. */
export function referenceVersions(binding: TaxBinding): RecordRef[] {
  const refs = new Set<RecordRef>([...Object.values(binding.fx), ...Object.values(binding.rules)]);
  for (const item of binding.items) {
    refs.add(item.tariff);
    refs.add(item.vat);
    if (item.consumptionTax) refs.add(item.consumptionTax);
    for (const ref of item.tradeRemedies ?? []) refs.add(ref);
  }
  return [...refs].sort();
}

/**
 * Fetches the records a binding pins from the catalog.
 * @throws ReferenceDataMissingError when a pinned version is no longer in the catalog
 */
export function resolveBinding(binding: TaxBinding, catalog: TaxCatalog): BoundReference {
  const items: BoundReference['items'] = new Map();
  for (const item of binding.items) {
    items.set(item.sequence, {
      tariff: pinned(catalog.tariffLines, item.tariff, 'tariff line'),
      vat: pinned(catalog.vatRates, item.vat, 'VAT rate'),
      ...(item.consumptionTax ? { consumptionTax: pinned(catalog.consumptionTax, item.consumptionTax, 'consumption-tax line') } : {}),
      tradeRemedies: (item.tradeRemedies ?? []).map((ref) => pinned(catalog.tradeRemedies ?? [], ref, 'trade-remedy measure')),
    });
  }
  const fx = new Map(Object.entries(binding.fx).map(([currency, ref]) => [currency, pinned(catalog.fxRates, ref, 'exchange rate')]));
  const rules: Record<string, TaxRule> = {};
  for (const [name, ref] of Object.entries(binding.rules)) if (ref) rules[name] = pinned(catalog.rules, ref, 'rule');
  return { binding, items, fx, rules: rules as BoundReference['rules'] };
}
