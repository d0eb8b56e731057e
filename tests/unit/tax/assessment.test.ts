import { describe, expect, it } from 'vitest';
import { ReferenceDataMissingError, ValidationError } from '../../../functions/domain/errors.js';
import {
  assessDeclaration,
  bindTaxReference,
  type Rate,
  type TaxCatalog,
  type TariffLine,
} from '../../../functions/domain/tax/index.js';
import { cnDeclaration, emptyCatalog, meta, shippedCatalog } from './support.js';

/** A CN catalog with one tariff line (8509400000), VAT 13 % and the small-amount rule. */
function catalogWith(line: Partial<TariffLine> = {}, extra: Partial<TaxCatalog> = {}): TaxCatalog {
  return {
    ...emptyCatalog(),
    tariffLines: [{ ...meta('CN/tariff/t'), jurisdiction: 'CN', commodityCode: '8509400000', description: 't', mfn: { adValoremPct: '10' }, ...line }],
    vatRates: [{ ...meta('CN/vat/d'), jurisdiction: 'CN', commodityPrefix: '', ratePct: '13' }],
    ...extra,
  };
}
const duty = (catalog: TaxCatalog, declaration = cnDeclaration({}, { invoiceAmount: '100000' })) =>
  assessDeclaration(declaration, catalog, '2025-06-01').lines.find((l) => l.type === 'DUTY')!;
const pct = (adValoremPct: string): Rate => ({ adValoremPct });

describe('duty rate column by origin and claim — 关税法 Arts. 12–13', () => {
  it('applies the temporary rate instead of MFN (Art. 13 para 1)', () => {
    expect(duty(catalogWith({ temporary: pct('6') }))).toMatchObject({ column: 'TEMPORARY', amount: '6000.00' });
  });

  it('applies a claimed conventional rate lower than MFN (Art. 12 para 2)', () => {
    const line = { conventional: [{ agreement: 'RCEP', origins: ['JP'], rate: pct('4') }] };
    const declaration = cnDeclaration({}, { invoiceAmount: '100000', origin: 'JP', preference: 'RCEP' });
    expect(duty(catalogWith(line), declaration)).toMatchObject({ column: 'CONVENTIONAL', amount: '4000.00' });
  });

  it('ignores a conventional rate that is not claimed, or claimed for another origin', () => {
    const line = { conventional: [{ agreement: 'RCEP', origins: ['JP'], rate: pct('4') }] };
    expect(duty(catalogWith(line), cnDeclaration({}, { invoiceAmount: '100000', origin: 'JP' })).column).toBe('MFN');
    expect(duty(catalogWith(line), cnDeclaration({}, { invoiceAmount: '100000', origin: 'US', preference: 'RCEP' })).column).toBe('MFN');
  });

  it('takes the lower of conventional and temporary rates (Art. 13 para 2)', () => {
    const line = { temporary: pct('3'), conventional: [{ agreement: 'RCEP', origins: ['JP'], rate: pct('4') }] };
    const declaration = cnDeclaration({}, { invoiceAmount: '100000', origin: 'JP', preference: 'RCEP' });
    expect(duty(catalogWith(line), declaration)).toMatchObject({ column: 'TEMPORARY', amount: '3000.00' });
  });

  it('keeps MFN when it is lower than the conventional rate and there is no temporary rate (Art. 13 para 2)', () => {
    const line = { conventional: [{ agreement: 'X', origins: ['JP'], rate: pct('12') }] };
    const declaration = cnDeclaration({}, { invoiceAmount: '100000', origin: 'JP', preference: 'X' });
    expect(duty(catalogWith(line), declaration).column).toBe('MFN');
  });

  it('applies the general rate, never a temporary one, to origins outside MFN treatment (Arts. 12 para 4, 13 para 4)', () => {
    const catalog = catalogWith(
      { general: pct('30'), temporary: pct('3') },
      { rules: [{ ...meta('CN/rule/g'), rule: 'general-rate-origins', jurisdiction: 'CN', origins: ['KP'] }] },
    );
    expect(duty(catalog, cnDeclaration({}, { invoiceAmount: '100000', origin: 'KP' }))).toMatchObject({ column: 'GENERAL', amount: '30000.00' });
  });
});

describe('duty modes (征免) and reliefs', () => {
  const assess = (dutyMode: '1' | '2' | '3' | '5') =>
    assessDeclaration(cnDeclaration({}, { invoiceAmount: '100000', dutyMode }), shippedCatalog(), '2025-06-01');

  it('halves duty and import VAT for 折半征税 (mode 2)', () => {
    const a = assess('2');
    // Duty 100000 × 10 % × 1/2 = 5000; VAT (100000 + 5000) × 13 % × 1/2 = 6825.
    expect(a.lines.map((l) => [l.type, l.amount, l.relief?.kind])).toEqual([['DUTY', '5000.00', 'HALF'], ['VAT', '6825.00', 'HALF']]);
  });

  it('exempts duty and import VAT for 全免 (mode 3), keeping the computed amounts', () => {
    const a = assess('3');
    expect(a.total).toBe('0.00');
    expect(a.lines[0].relief).toEqual({ kind: 'EXEMPT', computedAmount: '10000.00' });
  });

  it('follows the exemption nature for mode 5 (101 general taxation → full)', () => {
    expect(assess('5').total).toBe(assess('1').total);
    expect(assess('5').lines[0].ruleVersions).toContain('CN/rule/exemption-natures@1');
  });

  it('does not exempt a duty above CNY 50 (关税条例 Art. 45(1): 50 or less)', () => {
    const a = (amount: string) => assessDeclaration(cnDeclaration({}, { commodityCode: '4202320000', invoiceAmount: amount }), shippedCatalog(), '2025-03-03');
    expect(a('500').lines[0]).toMatchObject({ amount: '0.00', relief: { kind: 'SMALL_AMOUNT', computedAmount: '50.00' } });
    expect(a('500.10').lines[0]).toMatchObject({ amount: '50.01' });
  });
});

describe('consumption tax — 消费税暂行条例 Art. 9 composite base', () => {
  const withConsumptionTax = (rate: Rate, tariff: Rate) =>
    catalogWith({ mfn: tariff }, { consumptionTax: [{ ...meta('CN/ct/t'), jurisdiction: 'CN', commodityPrefix: '8509', description: 't', rate }] });

  it('ad valorem: (value + duty) ÷ (1 − rate) × rate, unrounded until the tax line', () => {
    // 100000 + 10000 duty = 110000; ÷ 0.85 = 129411.7647…; × 15 % = 19411.7647… → 19411.76.
    // VAT: (100000 + 10000 + 19411.76) × 13 % = 16823.5288 → 16823.53.
    const a = assessDeclaration(cnDeclaration({}, { invoiceAmount: '100000' }), withConsumptionTax(pct('15'), pct('10')), '2025-06-01');
    expect(a.lines.map((l) => [l.type, l.base, l.amount])).toEqual([
      ['DUTY', '100000.00', '10000.00'],
      ['CONSUMPTION', '129411.76', '19411.76'],
      ['VAT', '129411.76', '16823.53'],
    ]);
  });

  it('compound: (value + duty + quantity × specific) ÷ (1 − rate) × rate + quantity × specific', () => {
    // 10000 sticks at CNY 0.003 = 30; (100000 + 25000 + 30) ÷ 0.44 = 284159.0909…; × 56 % + 30 = 159159.0909… → 159159.09.
    // VAT: (100000 + 25000 + 159159.09) × 13 % = 36940.6817 → 36940.68.
    const rate: Rate = { adValoremPct: '56', specific: { amount: '0.003', currency: 'CNY', unit: 'stick', unitLabel: 'stick' } };
    const declaration = cnDeclaration({}, { invoiceAmount: '100000', statutoryQuantity: { value: '10000', unit: 'stick' } });
    const a = assessDeclaration(declaration, withConsumptionTax(rate, pct('25')), '2025-06-01');
    expect(a.lines.map((l) => [l.type, l.amount])).toEqual([['DUTY', '25000.00'], ['CONSUMPTION', '159159.09'], ['VAT', '36940.68']]);
  });

  it('asks for the statutory quantity when a specific rate needs it', () => {
    const rate: Rate = { specific: { amount: '1', currency: 'CNY', unit: 'stick', unitLabel: 'stick' } };
    expect(() => assessDeclaration(cnDeclaration(), withConsumptionTax(rate, pct('10')), '2025-06-01')).toThrow(ValidationError);
  });
});

describe('binding — the versions in force on the completion date, pinned for replay', () => {
  it('pins each record as id@version and reports them with the assessment', () => {
    const binding = bindTaxReference(cnDeclaration(), '2025-06-01', shippedCatalog());
    expect(binding.items).toEqual([{ sequence: 1, tariff: 'CN/tariff/8509400000@1', vat: 'CN/vat/default@1' }]);
    expect(binding.rules['payment-deadline']).toBe('CN/rule/payment-deadline@2');
  });

  it('binds the VAT Law version of the VAT rate from 2026-01-01', () => {
    expect(bindTaxReference(cnDeclaration(), '2026-01-01', shippedCatalog()).items[0].vat).toBe('CN/vat/default@2');
  });

  it('replays with the pinned versions even after a new tariff version is published', () => {
    const original = catalogWith();
    const binding = bindTaxReference(cnDeclaration(), '2025-06-01', original);
    const later = { ...original, tariffLines: [...original.tariffLines, { ...original.tariffLines[0], version: 2, mfn: pct('20') }] };
    expect(assessDeclaration(cnDeclaration(), later, '2025-06-01', { binding }).totals.DUTY).toBe('100.00');
    expect(assessDeclaration(cnDeclaration(), later, '2025-06-01').totals.DUTY).toBe('200.00');
  });

  it('takes a rate change on its validFrom day (validTo is exclusive)', () => {
    const v1 = { ...catalogWith().tariffLines[0], validTo: '2025-01-01' };
    const v2 = { ...v1, version: 2, validFrom: '2025-01-01', validTo: undefined, mfn: pct('5') };
    const catalog = catalogWith({}, { tariffLines: [v1, v2] });
    expect(assessDeclaration(cnDeclaration(), catalog, '2024-12-31').totals.DUTY).toBe('100.00');
    expect(assessDeclaration(cnDeclaration(), catalog, '2025-01-01').totals.DUTY).toBe('50.00');
  });

  it('fails with ReferenceDataMissing when no tariff line applies', () => {
    const unknown = cnDeclaration({}, { commodityCode: '0101210000' });
    expect(() => bindTaxReference(unknown, '2025-06-01', shippedCatalog())).toThrow(ReferenceDataMissingError);
    expect(() => bindTaxReference(cnDeclaration(), '2019-01-01', shippedCatalog())).toThrow(/no CN tariff line/);
  });

  it('fails with ReferenceDataMissing when no exchange rate exists for the reference date', () => {
    const usd = cnDeclaration({ invoiceCurrency: 'USD' });
    expect(() => bindTaxReference(usd, '2025-08-05', shippedCatalog())).toThrow(/no USD exchange rate of 2025-07-16/);
  });

  it('fails with ReferenceDataMissing when a pinned version has disappeared', () => {
    const binding = bindTaxReference(cnDeclaration(), '2025-06-01', catalogWith());
    expect(() => assessDeclaration(cnDeclaration(), emptyCatalog(), '2025-06-01', { binding })).toThrow(ReferenceDataMissingError);
  });
});

describe('dutiable value construction (关税法 Arts. 24–25)', () => {
  const value = (overrides: Parameters<typeof cnDeclaration>[0], item: Parameters<typeof cnDeclaration>[1] = {}) =>
    assessDeclaration(cnDeclaration(overrides, item), catalogWith(), '2025-06-01').lines[0].base;

  it('adds freight declared as a rate of the price and insurance as a rate of cost + freight', () => {
    // FOB 1000, freight 5 % = 50, insurance 0.3 % of 1050 = 3.15 → 1053.15.
    expect(value({ transactionTerms: 'FOB', freight: { mark: 'RATE', value: '5' }, insurance: { mark: 'RATE', value: '0.3' } })).toBe('1053.15');
  });

  it('adds freight declared per unit of quantity', () => {
    expect(value({ transactionTerms: 'CI', freight: { mark: 'UNIT', value: '2.5' } }, { quantity: { value: '40', unit: '007' } })).toBe('1100.00');
  });

  it('ignores freight and insurance already in a CIF price, and applies item adjustments and deductions', () => {
    expect(value({ freight: { mark: 'TOTAL', value: '99' } }, { valuationAdjustment: '20', valuationDeduction: '5' })).toBe('1015.00');
  });

  it('shares header freight among items in proportion to their invoice amounts', () => {
    const declaration = cnDeclaration({ transactionTerms: 'CI', freight: { mark: 'TOTAL', value: '100' } });
    const twoItems = { ...declaration, items: [declaration.items[0], { ...declaration.items[0], sequence: 2, invoiceAmount: '3000' }] };
    const a = assessDeclaration(twoItems, catalogWith(), '2025-06-01');
    expect(a.lines.filter((l) => l.type === 'DUTY').map((l) => l.base)).toEqual(['1025.00', '3075.00']);
  });
});
