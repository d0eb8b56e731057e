import type { Charge, DutiableDeclaration as Declaration, TransactionTerms } from '../declaration/model.js';
import { ReferenceDataMissingError } from '../errors.js';
import type { BoundReference } from './binding.js';
import { TAX_CURRENCY } from './binding.js';
import { Dec, ZERO, formatMoney, roundToCent } from './money.js';
import { refOf } from './records.js';

/** Which costs up to the place of import the invoice price already contains. */
const INCLUDED: Record<TransactionTerms, { freight: boolean; insurance: boolean }> = {
  CIF: { freight: true, insurance: true },
  CFR: { freight: true, insurance: false },
  CI: { freight: false, insurance: true },
  FOB: { freight: false, insurance: false },
  EXW: { freight: false, insurance: false },
};

/** The dutiable value (CN 计税价格 / GB customs value) of one goods item, in the tax currency. */
export interface ItemValue {
  sequence: number;
  /** Rounded half-up to 0.01 — the converted amount (关税法 Art. 60). */
  value: Dec;
  /** Amount added to the VAT base only (GB DE 4/9), converted and rounded; zero when none. */
  vatAdjustment: Dec;
}

export interface Valuation {
  items: ItemValue[];
  /** Record versions that contributed (exchange rates, insurance rule). */
  ruleVersions: string[];
  explanation: string[];
}

/**
 * Converts an amount in `currency` to the tax currency, unrounded (the caller rounds once per
 * converted amount).
 */
function toTaxCurrency(amount: Dec, currency: string, bound: BoundReference, used: Set<string>): Dec {
  if (currency === TAX_CURRENCY[bound.binding.jurisdiction]) return amount;
  const fx = bound.fx.get(currency);
  if (!fx) throw new ReferenceDataMissingError(`no ${currency} exchange rate bound to the declaration`, '/invoiceCurrency');
  used.add(refOf(fx));
  return amount.times(fx.rate).dividedBy(fx.per);
}

/**
 * A header charge in the tax currency: TOTAL as declared (converted from the charge's
 * currency), RATE as percent of `rateBasis` (already in the tax currency), UNIT as amount per
 * unit of the declared item quantities (converted).
 */
function chargeAmount(charge: Charge, rateBasis: Dec, totalQuantity: Dec, convert: (amount: Dec) => Dec): Dec {
  const value = new Dec(charge.value);
  if (charge.mark === 'RATE') return rateBasis.times(value).dividedBy(100);
  return convert(charge.mark === 'TOTAL' ? value : value.times(totalQuantity));
}

/**
 * Builds the dutiable value of every goods item (关税法 Arts. 24–25: transaction value plus
 * transport, related costs and insurance up to the place of import; GB: customs value on the
 * same CIF basis). Freight and insurance are added when the transaction terms exclude them;
 * when insurance is unknown and the jurisdiction has an insurance-default rule, it is 3‰ of
 * (cost + freight). Other charges and per-item valuation adjustments are always added, per-item
 * deductions subtracted. Header
 * charges are shared among items in proportion to their invoice amounts; everything stays
 * unrounded until the item's value is converted, which is then rounded half-up to 0.01.
 */
export function dutiableValues(declaration: Declaration, bound: BoundReference): Valuation {
  const used = new Set<string>();
  const explanation: string[] = [];
  const invoiceCurrency = declaration.invoiceCurrency;
  const included = INCLUDED[declaration.transactionTerms];
  const money = (d: Dec) => d.toDecimalPlaces(6).toString();

  const prices = declaration.items.map((item) => toTaxCurrency(new Dec(item.invoiceAmount), invoiceCurrency, bound, used));
  const totalPrice = prices.reduce((sum, p) => sum.plus(p), ZERO);
  const totalQuantity = declaration.items.reduce((sum, item) => sum.plus(item.quantity?.value ?? item.statutoryQuantity?.value ?? 0), ZERO);

  const charge = (declared: Charge, rateBasis: Dec) =>
    chargeAmount(declared, rateBasis, totalQuantity, (amount) =>
      toTaxCurrency(amount, declared.currency ?? invoiceCurrency, bound, used),
    );

  let freight = ZERO;
  if (!included.freight) {
    if (declaration.freight) freight = charge(declaration.freight, totalPrice);
    else explanation.push(`Freight not declared under ${declaration.transactionTerms} terms: none added.`);
  }
  let insurance = ZERO;
  if (!included.insurance) {
    if (declaration.insurance) {
      // An insurance RATE applies to cost + freight, like the 3‰ default.
      insurance = charge(declaration.insurance, totalPrice.plus(freight));
    } else if (bound.rules['insurance-default']) {
      const rule = bound.rules['insurance-default'];
      used.add(refOf(rule));
      insurance = totalPrice.plus(freight).times(rule.rateOfCostAndFreight);
      explanation.push(`Insurance not declared: ${rule.rateOfCostAndFreight} × (cost + freight) = ${money(insurance)} ${TAX_CURRENCY[declaration.jurisdiction]} (${rule.source}).`);
    }
  }
  const other = declaration.otherCharges ? charge(declaration.otherCharges, totalPrice) : ZERO;
  const shared = freight.plus(insurance).plus(other);

  const items = declaration.items.map((item, index) => {
    const share = totalPrice.isZero() ? new Dec(1).dividedBy(prices.length) : prices[index].dividedBy(totalPrice);
    // Additions (关税法 Art. 25) and deductions (Art. 26; WCO DE 4/9 B-codes) of this item.
    const adjustment = toTaxCurrency(
      new Dec(item.valuationAdjustment ?? 0).minus(item.valuationDeduction ?? 0),
      invoiceCurrency,
      bound,
      used,
    );
    const value = roundToCent(prices[index].plus(shared.times(share)).plus(adjustment));
    explanation.push(
      `Item ${item.sequence}: ${declaration.transactionTerms} ${item.invoiceAmount} ${invoiceCurrency}` +
        (shared.isZero() ? '' : ` + share of freight/insurance/other ${money(shared.times(share))}`) +
        (adjustment.isZero() ? '' : ` + adjustment ${money(adjustment)}`) +
        ` → dutiable value ${formatMoney(value)} ${TAX_CURRENCY[declaration.jurisdiction]}.`,
    );
    const vatAdjustment = item.vatValueAdjustment
      ? roundToCent(toTaxCurrency(new Dec(item.vatValueAdjustment), invoiceCurrency, bound, used))
      : ZERO;
    return { sequence: item.sequence, value, vatAdjustment };
  });
  for (const [currency, fx] of bound.fx) {
    explanation.unshift(`Exchange rate ${currency}: ${fx.rate} ${TAX_CURRENCY[declaration.jurisdiction]} per ${fx.per} of ${fx.referenceDate} (${fx.source}).`);
  }
  return { items, ruleVersions: [...used].sort(), explanation };
}
