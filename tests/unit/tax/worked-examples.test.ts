import { describe, expect, it } from 'vitest';
import { Declaration } from '../../../functions/domain/declaration/model.js';
import {
  assessDeclaration,
  computeLateFee,
  paymentDeadline,
  pickInForce,
  selectReferenceDate,
  Dec,
  type PaymentDeadlineRule,
  type LateFeeRule,
  type TaxAssessment,
  type TaxCatalog,
} from '../../../functions/domain/tax/index.js';
import { emptyCatalog, exampleDeclaration, manifest, meta, shippedCatalog, workedExample } from './support.js';

/**
 * Every example of tests/unit/fixtures/tax-worked-examples.json, reproduced to the fen. Inputs
 * and expected figures are read from the fixture; the CN examples run the declarations in
 * examples/cn on the shipped reference data, on the submit date the manifest gives.
 */
const catalog = shippedCatalog();
const submitOn = (file: string) => manifest().find((m) => m.file === file)!.submitOn;
const assessExample = (id: string): TaxAssessment => {
  const file = `cn/${id}.json`;
  return assessDeclaration(exampleDeclaration(file), catalog, submitOn(file));
};
const line = (a: TaxAssessment, type: string) => a.lines.find((l) => l.type === type)!;
const fxRateOf = (a: TaxAssessment) => catalog.fxRates.find((r) => a.referenceVersions.includes(`${r.id}@${r.version}`))!;

/** A GB catalog holding just the fixture's rates for commodity 99999999. */
function gbCatalog(dutyPct: string, vatPct: string): TaxCatalog {
  return {
    ...emptyCatalog(),
    tariffLines: [{ ...meta('GB/tariff/test'), jurisdiction: 'GB', commodityCode: '99999999', description: 'test', mfn: { adValoremPct: dutyPct } }],
    vatRates: [{ ...meta('GB/vat/test'), jurisdiction: 'GB', commodityPrefix: '', ratePct: vatPct }],
  };
}

function gbDeclaration(terms: 'CIF' | 'EXW', invoice: string, extra: Record<string, unknown> = {}, item: Record<string, unknown> = {}): Declaration {
  return Declaration.parse({
    jurisdiction: 'GB', direction: 'IMPORT', typeCode: 'IMA', lrn: 'UK', declarant: { id: 'GB603202734852' },
    transactionTerms: terms, invoiceCurrency: 'GBP', payment: { method: 'DEFERMENT' }, ...extra,
    items: [{ sequence: 1, commodityCode: '99999999', description: 'x', origin: 'US', invoiceAmount: invoice, ...item }],
  });
}

describe('worked examples (tax-worked-examples.json)', () => {
  it('UK-1: A00 on the customs value, B00 on value + duty (HMRC 13_DMSTAX sample)', () => {
    const { inputs, expected } = workedExample('UK-1');
    const a = assessDeclaration(
      gbDeclaration('CIF', String(inputs.customs_value_GBP), {}, { preference: String(inputs.duty_regime_code) }),
      gbCatalog(String(inputs.duty_A00_rate_pct), String(inputs.vat_B00_rate_pct)),
      '2024-02-22',
    );
    expect(line(a, 'DUTY')).toMatchObject({ code: 'A00', amount: expected.duty_A00, currency: 'GBP' });
    expect(line(a, 'VAT')).toMatchObject({ code: 'B00', base: expected.vat_base, amount: expected.vat_B00 });
    expect(a.total).toBe(expected.total);
  });

  it('UK-2: freight and insurance join the customs value; the VAT value adjustment joins the VAT value only', () => {
    const { inputs, expected } = workedExample('UK-2');
    const a = assessDeclaration(
      gbDeclaration(
        'EXW',
        String(inputs.invoice_GBP),
        { freight: { mark: 'TOTAL', value: inputs.freight }, insurance: { mark: 'TOTAL', value: inputs.insurance } },
        { vatValueAdjustment: inputs.vat_value_adjustment },
      ),
      gbCatalog(String(inputs.duty_rate_pct), String(inputs.vat_rate_pct)),
      '2024-02-22',
    );
    expect(line(a, 'DUTY').base).toBe(expected.customs_value);
    expect(line(a, 'DUTY').amount).toBe(new Dec(String(expected.duty)).toFixed(2));
    expect(line(a, 'VAT').base).toBe(expected.vat_value);
    expect(line(a, 'VAT').amount).toBe(new Dec(String(expected.vat)).toFixed(2));
  });

  it('CN-1: ad valorem duty and VAT on value + duty', () => {
    const { inputs, expected } = workedExample('CN-1');
    const a = assessExample('CN-1');
    expect(exampleDeclaration('cn/CN-1.json').items[0].invoiceAmount).toBe(inputs.cif_USD);
    expect(fxRateOf(a).rate).toBe(inputs.fx_rate_CNY_per_USD);
    expect(line(a, 'DUTY')).toMatchObject({ base: expected.dutiable_value_CNY, amount: expected.duty, currency: 'CNY' });
    expect(line(a, 'VAT').amount).toBe(expected.vat);
    expect(a.total).toBe(expected.total);
  });

  it('CN-2: FOB + freight, insurance unknown → 3‰ of (FOB + freight), then CIF × rate', () => {
    const { inputs, expected } = workedExample('CN-2');
    const a = assessExample('CN-2');
    const declaration = exampleDeclaration('cn/CN-2.json');
    expect(declaration.items[0].invoiceAmount).toBe(inputs.fob_USD);
    expect(declaration.freight?.value).toBe(inputs.freight_USD);
    expect(declaration.insurance).toBeUndefined();
    expect(fxRateOf(a).rate).toBe(inputs.fx);
    const cifUsd = new Dec(line(a, 'DUTY').base).dividedBy(inputs.fx as string);
    expect(cifUsd.toFixed(2)).toBe(expected.cif_USD);
    expect(cifUsd.minus(inputs.fob_USD).minus(inputs.freight_USD).toFixed(2)).toBe(expected.insurance_USD);
    expect(line(a, 'DUTY')).toMatchObject({ base: expected.dutiable_value_CNY, amount: expected.duty });
    expect(line(a, 'VAT').amount).toBe(expected.vat);
  });

  it('CN-3: CFR price, insurance unknown → 3‰ of CFR', () => {
    const { inputs, expected } = workedExample('CN-3');
    const a = assessExample('CN-3');
    expect(exampleDeclaration('cn/CN-3.json').items[0].invoiceAmount).toBe(inputs.cfr_USD);
    expect(fxRateOf(a).rate).toBe(inputs.fx);
    const cifUsd = new Dec(line(a, 'DUTY').base).dividedBy(inputs.fx as string);
    expect(cifUsd.toFixed(2)).toBe(expected.cif_USD);
    expect(cifUsd.minus(inputs.cfr_USD).toFixed(2)).toBe(expected.insurance_USD);
    expect(line(a, 'DUTY').base).toBe(expected.dutiable_value_CNY);
  });

  it('CN-4: compound duty = units × specific rate + value × ad valorem rate', () => {
    const { inputs, expected } = workedExample('CN-4');
    const a = assessExample('CN-4');
    const item = exampleDeclaration('cn/CN-4.json').items[0];
    expect(item.statutoryQuantity?.value).toBe(String(inputs.units));
    expect(item.invoiceAmount).toBe(new Dec(inputs.cif_USD_per_unit).times(inputs.units).toString());
    expect(line(a, 'DUTY')).toMatchObject({
      base: expected.dutiable_value_CNY,
      rate: `${inputs.specific_CNY_per_unit} CNY/unit + 3.00%`,
      parts: { specific: expected.specific_part, adValorem: expected.ad_valorem_part },
      amount: expected.duty,
    });
    expect(line(a, 'VAT').amount).toBe(expected.vat);
  });

  it('CN-5: specific consumption tax on beer converted 988 L = 1 t; VAT base includes it', () => {
    const { inputs, expected } = workedExample('CN-5');
    const a = assessExample('CN-5');
    expect(exampleDeclaration('cn/CN-5.json').items[0].statutoryQuantity?.value).toBe(String(inputs.litres));
    expect(line(a, 'DUTY')).toMatchObject({ base: inputs.dutiable_value_CNY, amount: '0.00' });
    expect(line(a, 'CONSUMPTION')).toMatchObject({ quantity: expected.tonnes, amount: expected.consumption_tax });
    expect(line(a, 'VAT').amount).toBe(expected.vat);
  });

  it('CN-8: late fee of 0.05 % per day from the day after the 15-day deadline', () => {
    const { inputs, expected } = workedExample('CN-8');
    const rule = (name: string) => pickInForce(catalog.rules, String(inputs.declaration_completed), (r) => r.rule === name)!;
    const deadline = paymentDeadline(String(inputs.declaration_completed), undefined, rule('payment-deadline') as PaymentDeadlineRule);
    expect(deadline).toBe(inputs.deadline);
    expect(computeLateFee(String(inputs.tax_CNY), deadline, String(inputs.paid_on), rule('late-fee') as LateFeeRule)).toEqual({
      days: expected.late_days,
      amount: expected.late_fee,
    });
  });

  it('CN-9: a consignment whose duty is within the small-amount threshold pays no duty', () => {
    const { inputs, expected } = workedExample('CN-9');
    const a = assessExample('CN-9');
    const duty = line(a, 'DUTY');
    expect(duty.base).toBe(inputs.dutiable_value_CNY);
    expect(duty.relief).toEqual({ kind: 'SMALL_AMOUNT', computedAmount: expected.computed_duty });
    expect(duty.amount).toBe(expected.duty_payable);
    expect(duty.relief !== undefined).toBe(expected.exemption_applied);
  });

  it('CN-10: the exchange rate is the one of the third Wednesday of the previous month', () => {
    const { inputs, expected } = workedExample('CN-10');
    expect(selectReferenceDate(String(inputs.declaration_completed))).toBe(expected.reference_date);
  });
});

describe('examples/manifest.json', () => {
  it.each(manifest().filter((m) => m.file.startsWith('cn/') && m.expected))('$file reproduces its expected tax lines', (entry) => {
    const a = assessDeclaration(exampleDeclaration(entry.file), catalog, entry.submitOn);
    expect(a.lines.map(({ type, amount, currency }) => ({ type, amount, currency }))).toEqual(entry.expected!.taxLines);
    expect(a.total).toBe(entry.expected!.total);
  });
});
