import { describe, expect, it } from 'vitest';
import { assessDeclaration, bindTaxReference, type TaxCatalog, type TradeRemedy } from '../../../functions/domain/tax/index.js';
import { cnDeclaration, emptyCatalog, meta, shippedCatalog } from './support.js';

/** CIF CNY 1,000,000 of barley (1003900000) from `origin`, no FX involved. */
const barley = (origin = 'AU') => cnDeclaration({}, { commodityCode: '1003900000', description: 'barley', origin, invoiceAmount: '1000000' });
const amounts = (catalog: TaxCatalog, declaration: ReturnType<typeof cnDeclaration>, on: string) =>
  Object.fromEntries(assessDeclaration(declaration, catalog, on).lines.map((l) => [l.type, l.amount]));

describe('trade-remedy duties — 关税法 Art. 16', () => {
  describe('on Australian barley (MOFCOM rulings: anti-dumping 73.6 %, countervailing 6.9 %, 2020-05-19 to 2023-08-05)', () => {
    const catalog = shippedCatalog();

    it('levies both duties on the dutiable value and adds them to the VAT base while the rulings are in force', () => {
      // duty 3 % (illustrative MFN) = 30,000.00; AD 73.6 % = 736,000.00; CVD 6.9 % = 69,000.00;
      // VAT 9 % (grain) on 1,000,000 + 30,000 + 736,000 + 69,000 = 1,835,000 → 165,150.00.
      expect(amounts(catalog, barley(), '2021-03-01')).toEqual({
        DUTY: '30000.00',
        ANTI_DUMPING: '736000.00',
        COUNTERVAILING: '69000.00',
        VAT: '165150.00',
      });
    });

    it('still levies them on the last day before they were lifted, and not from 2023-08-05', () => {
      expect(amounts(catalog, barley(), '2023-08-04')).toMatchObject({ ANTI_DUMPING: '736000.00', COUNTERVAILING: '69000.00' });
      // VAT 9 % on 1,000,000 + 30,000 = 92,700.00.
      expect(amounts(catalog, barley(), '2023-08-05')).toEqual({ DUTY: '30000.00', VAT: '92700.00' });
    });

    it('does not apply to barley of another origin', () => {
      expect(amounts(catalog, barley('CA'), '2021-03-01')).toEqual({ DUTY: '30000.00', VAT: '92700.00' });
    });

    it('records the ruling versions in the tax lines and keeps them under replay after the measures were lifted', () => {
      const assessed = assessDeclaration(barley(), catalog, '2021-03-01');
      expect(assessed.lines.find((l) => l.type === 'ANTI_DUMPING')!.ruleVersions).toContain('CN/trade-remedy/AD-barley-AU@1');
      expect(assessed.referenceVersions).toEqual(expect.arrayContaining(['CN/trade-remedy/AD-barley-AU@1', 'CN/trade-remedy/CVD-barley-AU@1']));
      const replayed = assessDeclaration(barley(), catalog, '2021-03-01', { binding: bindTaxReference(barley(), '2021-03-01', catalog) });
      expect(replayed.lines).toEqual(assessed.lines);
    });
  });

  describe('firm-specific rates and composite bases (the mechanism, on a catalog written for the test)', () => {
    const remedy = (rate: string, producers?: string[]): TradeRemedy => ({
      ...meta(`CN/trade-remedy/AD-${producers?.[0] ?? 'others'}`),
      jurisdiction: 'CN',
      measure: 'ANTI_DUMPING',
      commodityPrefix: '8509',
      origins: ['US'],
      description: 'test measure',
      rate: { adValoremPct: rate },
      ...(producers ? { producers } : {}),
    });
    const catalog = (extra: Partial<TaxCatalog> = {}): TaxCatalog => ({
      ...emptyCatalog(),
      tariffLines: [{ ...meta('CN/tariff/t'), jurisdiction: 'CN', commodityCode: '8509400000', description: 't', mfn: { adValoremPct: '10' } }],
      vatRates: [{ ...meta('CN/vat/d'), jurisdiction: 'CN', commodityPrefix: '', ratePct: '13' }],
      tradeRemedies: [remedy('30'), remedy('10', ['Producer A Co.'])],
      ...extra,
    });
    const ad = (producer?: string) =>
      amounts(catalog(), cnDeclaration({}, { invoiceAmount: '1000', ...(producer ? { producer } : {}) }), '2025-06-01').ANTI_DUMPING;

    it('applies the rate of the producer the ruling names, and the residual rate to every other producer', () => {
      expect(ad('Producer A Co.')).toBe('100.00');
      expect(ad('Producer B Co.')).toBe('300.00');
      expect(ad()).toBe('300.00');
    });

    it('includes the duty in the consumption-tax composite base (消费税暂行条例 Art. 9) and in the VAT base', () => {
      const withConsumptionTax = catalog({
        tradeRemedies: [{ ...remedy('20') }],
        consumptionTax: [{ ...meta('CN/ct/t'), jurisdiction: 'CN', commodityPrefix: '8509', description: 't', rate: { adValoremPct: '10' } }],
      });
      // duty 100.00; AD 200.00; consumption (1000 + 100 + 200) ÷ (1 − 10 %) × 10 % = 144.44;
      // VAT 13 % × (1000 + 100 + 200 + 144.44) = 187.7772 → 187.78.
      expect(amounts(withConsumptionTax, cnDeclaration({}, { invoiceAmount: '1000' }), '2025-06-01')).toEqual({
        DUTY: '100.00',
        ANTI_DUMPING: '200.00',
        CONSUMPTION: '144.44',
        VAT: '187.78',
      });
    });
  });
});
