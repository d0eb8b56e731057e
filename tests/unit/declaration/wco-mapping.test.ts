import { describe, expect, it } from 'vitest';
import { parseSubmission, readSubmission, wcoElementPath } from '../../../functions/domain/declaration/index.js';
import { gbDeclaration, replaceOnce, wcoSample } from './fixtures.js';

/**
 * Variations of TT_IM001a for the WCO data elements the HMRC samples leave out; the meaning of
 * each code is the UK Tariff Volume 3 / CDS Declaration Completion Instructions for that data
 * element (DE 4/1 with Incoterms 2020, DE 4/8, DE 4/9, DE 6/2).
 */
const TT_IM001A = wcoSample('TT_IM001a/Step1_TT_IM001a.xml');
const read = (xml: string) => parseSubmission(xml, 'application/xml');
const withMethod = (code: string) => read(TT_IM001A.replace(/<MethodCode>E</g, `<MethodCode>${code}<`));

describe('WCO DMS mapping', () => {
  describe('payment method (DE 4/8)', () => {
    it('R, guarantee of the amount payable, settles on the guarantee of DE 8/3', () => {
      expect(withMethod('R').payment).toEqual({ method: 'GUARANTEE', account: 'GBCGU55320273485220191113093459' });
    });

    it('A, payment in cash, waits for payment', () => {
      expect(withMethod('A').payment).toEqual({ method: 'IMMEDIATE' });
    });
  });

  it.each([
    ['FCA', 'FOB'],
    ['FAS', 'FOB'],
    ['CPT', 'CFR'],
    ['CIP', 'CIF'],
    ['DDP', 'CIF'],
    ['EXW', 'EXW'],
    ['CFR', 'CFR'],
  ])('reads delivery terms %s (Incoterms 2020) as a %s price basis', (code, basis) => {
    expect(read(replaceOnce(TT_IM001A, '<ConditionCode>CIF<', `<ConditionCode>${code}<`)).transactionTerms).toBe(basis);
  });

  it('reads item additions (A codes) and deductions (B codes) of DE 4/9 as valuation adjustment and deduction', () => {
    const charges =
      '<CustomsValuation><MethodCode>1</MethodCode>' +
      '<ChargeDeduction><ChargeTypeCode>AK</ChargeTypeCode><OtherChargeDeductionAmount currencyID="GBP">25.50</OtherChargeDeductionAmount></ChargeDeduction>' +
      '<ChargeDeduction><ChargeTypeCode>AB</ChargeTypeCode><OtherChargeDeductionAmount currencyID="GBP">4.50</OtherChargeDeductionAmount></ChargeDeduction>' +
      '<ChargeDeduction><ChargeTypeCode>BA</ChargeTypeCode><OtherChargeDeductionAmount currencyID="GBP">10</OtherChargeDeductionAmount></ChargeDeduction>' +
      '</CustomsValuation>';
    const item = read(replaceOnce(TT_IM001A, /<CustomsValuation>\s*<MethodCode>1<\/MethodCode>\s*<\/CustomsValuation>/, charges)).items[0];
    expect(item.valuationAdjustment).toBe('30');
    expect(item.valuationDeduction).toBe('10');
  });

  it('reads header additions of DE 4/9 as other charges in the invoice currency', () => {
    const header = '<CustomsValuation><ChargeDeduction><ChargeTypeCode>AK</ChargeTypeCode><OtherChargeDeductionAmount currencyID="GBP">80</OtherChargeDeductionAmount></ChargeDeduction></CustomsValuation><TradeTerms>';
    expect(read(replaceOnce(TT_IM001A, '<TradeTerms>', header)).otherCharges).toEqual({ mark: 'TOTAL', value: '80', currency: 'GBP' });
  });

  it('reads DE 6/2 supplementary units as the statutory quantity', () => {
    const xml = replaceOnce(TT_IM001A, '<GrossMassMeasure>', '<TariffQuantity unitCode="NAR">500</TariffQuantity><GrossMassMeasure>');
    expect(read(xml).items[0].statutoryQuantity).toEqual({ value: '500', unit: 'NAR' });
  });

  it('takes the invoice currency from DE 4/11 when the header declares it', () => {
    const xml = replaceOnce(TT_IM001A, '<GoodsItemQuantity>', '<InvoiceAmount currencyID="GBP">1000</InvoiceAmount><GoodsItemQuantity>');
    expect(read(xml).invoiceCurrency).toBe('GBP');
  });

  it('points into the element a field was read from when it has several sources', () => {
    const submission = readSubmission(TT_IM001A, 'application/xml');
    expect(submission.format).toBe('WCO_XML');
    expect(submission.pointerFor('/payment/account')).toBe('/Declaration/AdditionalDocument[1]/ID');
    expect(submission.pointerFor('/payment/method')).toBe('/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/DutyTaxFee[1]/Payment/MethodCode');
    expect(submission.pointerFor('/office')).toBe('/Declaration/GoodsShipment/Consignment/GoodsLocation/Name');
  });

  it('translates canonical JSON Pointers to WCO element paths, numbering repeated elements from 1', () => {
    expect(wcoElementPath('/items/2/commodityCode')).toBe('/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[3]/Commodity/Classification/ID');
    expect(wcoElementPath('/items/0/documents/4/id')).toBe('/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/AdditionalDocument[5]/ID');
    expect(wcoElementPath('/items/1/quantity/value')).toBe('/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Packaging/QuantityQuantity');
    expect(wcoElementPath('/lrn')).toBe('/Declaration/FunctionalReferenceID');
    // an unmapped field falls back to its nearest mapped ancestor
    expect(wcoElementPath('/items/0/dutyMode')).toBe('/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]');
  });

  it('keeps JSON Pointers for JSON submissions and applies the model defaults', () => {
    const { containers: _omitted, ...withoutContainers } = gbDeclaration();
    const submission = readSubmission(JSON.stringify(withoutContainers), 'application/json');
    expect(submission.pointerFor('/items/0/commodityCode')).toBe('/items/0/commodityCode');
    expect(submission.declaration.containers).toEqual([]);
    expect(submission.declaration.items[0].documents).toEqual([]);
  });
});
