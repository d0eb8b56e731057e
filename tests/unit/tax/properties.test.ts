import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessDeclaration, Dec, formatMoney, type Rate, type TaxCatalog } from '../../../functions/domain/tax/index.js';
import { cnDeclaration, emptyCatalog, meta } from './support.js';

/** Decimal strings with up to `scale` decimals, built from integers (no binary floats). */
const decimal = (maxUnits: number, scale: number) =>
  fc.integer({ min: 0, max: maxUnits * 10 ** scale }).map((n) => new Dec(n).dividedBy(10 ** scale).toFixed(scale));
const amount = decimal(10_000_000, 2).filter((s) => s !== '0.00');
const percent = decimal(100, 2);
const specific = fc.option(decimal(5_000, 3), { nil: undefined });

/** A CN catalog with one line at `duty`, optional consumption tax, VAT at `vatPct`. */
function catalogFor(duty: Rate, vatPct: string, consumption?: Rate): TaxCatalog {
  return {
    ...emptyCatalog(),
    tariffLines: [{ ...meta('CN/tariff/p'), jurisdiction: 'CN', commodityCode: '8509400000', description: 'p', mfn: duty }],
    vatRates: [{ ...meta('CN/vat/p'), jurisdiction: 'CN', commodityPrefix: '', ratePct: vatPct }],
    consumptionTax: consumption ? [{ ...meta('CN/ct/p'), jurisdiction: 'CN', commodityPrefix: '8509', description: 'p', rate: consumption }] : [],
    fxRates: [{ ...meta('CN/fx/USD/2025-05-21', '2025-05-21'), jurisdiction: 'CN', currency: 'USD', referenceDate: '2025-05-21', rate: '7.1234', per: 1 }],
    rules: [
      { ...meta('CN/rule/fx'), rule: 'fx-reference-date', jurisdiction: 'CN', fallback: 'NEXT_TRADING_DAY' },
      { ...meta('CN/rule/ins'), rule: 'insurance-default', jurisdiction: 'CN', rateOfCostAndFreight: '0.003' },
      { ...meta('CN/rule/small'), rule: 'small-amount-exemption', jurisdiction: 'CN', threshold: '50', currency: 'CNY', appliesTo: ['DUTY'] },
    ],
  };
}
const rateOf = (pct: string, perUnit: string | undefined): Rate => ({
  adValoremPct: pct,
  ...(perUnit === undefined ? {} : { specific: { amount: perUnit, currency: 'CNY', unit: '001', unitLabel: 'unit' } }),
});
const consumptionRate = fc.option(
  fc.record({ pct: decimal(60, 2), perUnit: specific }).map(({ pct, perUnit }) => rateOf(pct, perUnit)),
  { nil: undefined },
);
const terms = fc.constantFrom('CIF' as const, 'CFR' as const, 'FOB' as const);

const declarationFor = (invoice: string, units: string, transactionTerms: 'CIF' | 'CFR' | 'FOB') =>
  cnDeclaration(
    { invoiceCurrency: 'USD', transactionTerms, ...(transactionTerms === 'FOB' ? { freight: { mark: 'RATE' as const, value: '3' } } : {}) },
    { invoiceAmount: invoice, statutoryQuantity: { value: units, unit: '001' } },
  );
const COMPLETED_ON = '2025-06-10';

describe('tax properties (fast-check)', () => {
  it('rounds half-up to the fen: the third decimal 5–9 rounds up, 0–4 down', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 999 }), (cents, third, rest) => {
        const value = `${new Dec(cents).dividedBy(100).toFixed(2)}${third}${String(rest).padStart(3, '0')}`;
        const expected = new Dec(cents + (third >= 5 ? 1 : 0)).dividedBy(100).toFixed(2);
        expect(formatMoney(value)).toBe(expected);
      }),
    );
  });

  it('never has a VAT base below the dutiable value', () => {
    fc.assert(
      fc.property(amount, decimal(1000, 0), percent, specific, consumptionRate, terms, (invoice, units, pct, perUnit, ct, t) => {
        const a = assessDeclaration(declarationFor(invoice, units, t), catalogFor(rateOf(pct, perUnit), '13', ct), COMPLETED_ON);
        const dutiable = a.lines.find((l) => l.type === 'DUTY')!.base;
        const vatBase = a.lines.find((l) => l.type === 'VAT')!.base;
        expect(new Dec(vatBase).greaterThanOrEqualTo(dutiable)).toBe(true);
      }),
    );
  });

  it('charges compound duty as the specific part plus the ad valorem part (关税法 Art. 23)', () => {
    fc.assert(
      fc.property(amount, decimal(1000, 0), percent, decimal(5_000, 3), (invoice, units, pct, perUnit) => {
        const a = assessDeclaration(declarationFor(invoice, units, 'CIF'), catalogFor(rateOf(pct, perUnit), '13'), COMPLETED_ON);
        const duty = a.lines.find((l) => l.type === 'DUTY')!;
        const value = new Dec(duty.base);
        const expected = new Dec(units).times(perUnit).plus(value.times(pct).dividedBy(100));
        const payable = expected.toDecimalPlaces(2, Dec.ROUND_HALF_UP).lessThanOrEqualTo(50) ? '0.00' : formatMoney(expected);
        expect(duty.amount).toBe(payable);
        expect(new Dec(duty.parts!.specific).plus(duty.parts!.adValorem).minus(formatMoney(expected)).abs().lessThanOrEqualTo('0.01')).toBe(true);
      }),
    );
  });

  it('never raises the tax when the declared value is lowered (an amendment to a lower value)', () => {
    fc.assert(
      fc.property(amount, amount, decimal(1000, 0), percent, specific, consumptionRate, terms, (x, y, units, pct, perUnit, ct, t) => {
        const [lower, higher] = new Dec(x).lessThanOrEqualTo(y) ? [x, y] : [y, x];
        const catalog = catalogFor(rateOf(pct, perUnit), '13', ct);
        const total = (invoice: string) => new Dec(assessDeclaration(declarationFor(invoice, units, t), catalog, COMPLETED_ON).total);
        expect(total(lower).lessThanOrEqualTo(total(higher))).toBe(true);
      }),
    );
  });
});
