import { describe, expect, it } from 'vitest';
import {
  parseSubmission,
  parseWcoMessage,
  validateDeclaration,
  MalformedSubmissionError,
} from '../../../functions/domain/declaration/index.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { intakeReference, wcoSample } from './fixtures.js';

/**
 * Expected values are read off the HMRC samples themselves (examples/wco-dms/, Apache-2.0,
 * © HM Revenue & Customs) and the data-element comments they carry.
 */
describe('WCO DMS 3.6 declaration intake', () => {
  describe('TT_IM001a (frontier import, deferment)', () => {
    const declaration = parseSubmission(wcoSample('TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml');

    it('reads the header: GB jurisdiction (ResponsibleCountryCode), import type IMA, LRN from DE 2/5', () => {
      expect(declaration).toMatchObject({ jurisdiction: 'GB', direction: 'IMPORT', typeCode: 'IMA', lrn: '7847767E1WB6' });
    });

    it('reads the parties: declarant and importer EORIs, the exporter known by name only (DE 3/1)', () => {
      expect(declaration.declarant).toEqual({ id: 'GB603202734852' });
      expect(declaration.importer).toEqual({ id: 'GB553202734852' });
      expect(declaration.exporter).toBeUndefined();
      expect(declaration.exporterWithoutId).toEqual({ name: 'US Clipper Inc.', country: 'US' });
    });

    it('reads the goods item: CN code 85109000 (TSP), US origin, GBP 1000 item price, masses, packages', () => {
      expect(declaration.items).toHaveLength(1);
      expect(declaration.items[0]).toMatchObject({
        sequence: 1,
        commodityCode: '85109000',
        description: 'Parts for electric shavers, hair clippers and hair-removing appliances',
        origin: 'US',
        invoiceAmount: '1000',
        grossMassKg: '150',
        netMassKg: '100',
        quantity: { value: '50', unit: 'BX' },
        preference: '100',
      });
      expect(declaration.invoiceCurrency).toBe('GBP');
    });

    it('reads payment method E as deferment on the DAN of DE 2/6', () => {
      expect(declaration.payment).toEqual({ method: 'DEFERMENT', account: '1108654' });
    });

    it('reads CIF delivery terms, countries, transport mode, container and documents', () => {
      expect(declaration).toMatchObject({
        transactionTerms: 'CIF',
        countryOfDispatch: 'US',
        countryOfDestination: 'GB',
        transportMode: '1',
        containers: ['AD12345'],
      });
      expect(declaration.items[0].documents.map((document) => document.type)).toEqual(['C506', 'N935', 'C505']);
      expect(declaration.documents).toContainEqual({ type: 'Z355', id: '24GB34F7Y1O2CX8PT4', category: 'Z' });
    });

    it('passes every rule of receipt', () => {
      expect(validateDeclaration(declaration, intakeReference())).toEqual([]);
    });
  });

  it('reads TT_IM002a (warehouse removal, EIDR): cocoa butter 18040000 of Brazilian origin, GBP 1000, deferment', () => {
    const declaration = parseSubmission(wcoSample('TT_IM002b/TT_IM002a.xml'), 'text/xml');
    expect(declaration).toMatchObject({ typeCode: 'IMZ', lrn: 'TT_IM02a_EIDR_1511_004', office: 'GBBEL004', invoiceCurrency: 'GBP' });
    expect(declaration.items[0]).toMatchObject({ commodityCode: '18040000', origin: 'BR', invoiceAmount: '1000' });
    expect(declaration.payment.method).toBe('DEFERMENT');
    expect(validateDeclaration(declaration, intakeReference())).toEqual([]);
  });

  it('reads TT_IM003a (pre-lodged type F, no payment method, no delivery terms): immediate payment on the item price', () => {
    const declaration = parseSubmission(wcoSample('TT_IM003a/TT_IM003a.xml'), 'application/xml');
    expect(declaration).toMatchObject({ typeCode: 'IMF', lrn: 'TT_IM03a_0803_003', transactionTerms: 'CIF', payment: { method: 'IMMEDIATE' } });
    expect(declaration.items[0]).toMatchObject({ commodityCode: '73066199', netMassKg: '1000', grossMassKg: '1500' });
    expect(validateDeclaration(declaration, intakeReference())).toEqual([]);
  });

  it('reads TT_IM011a, a C21i EIDR notice of presentation, with the reduced data set of its category', () => {
    // The sample's scenario: "C21iEIDR NOP additional declaration type K", expected notification
    // DMSRCV — HMRC registers it although it declares no commodity code, origin or price
    // (CDS Volume 3, Appendix 23B: the C21i EIDR NOP data set; see domain/declaration/categories.ts).
    const declaration = parseSubmission(wcoSample('TT_IM011a/TT_IM011a.xml'), 'application/xml');
    expect(declaration).toMatchObject({ jurisdiction: 'GB', typeCode: 'IMK', lrn: '7849431M0ZUP', declarant: { id: 'GB427168118378' } });
    expect(declaration.invoiceCurrency).toBeUndefined();
    expect(declaration.items[0]).toMatchObject({ sequence: 1, description: "Mens' Trousers", netMassKg: '59', grossMassKg: '65' });
    expect(declaration.items[0].commodityCode).toBeUndefined();
  });

  it('rejects the same data as a standard declaration (IMA) for what the full data set needs, every element at once', () => {
    const item = '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]';
    const standard = wcoSample('TT_IM011a/TT_IM011a.xml').replace('<TypeCode>IMK</TypeCode>', '<TypeCode>IMA</TypeCode>');
    const error = catchError(() => parseSubmission(standard, 'application/xml'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map(({ code, pointer }) => [code, pointer])).toEqual(
      expect.arrayContaining([
        ['CWY-SCHEMA-001', `${item}/Commodity/Classification/ID`],
        ['CWY-SCHEMA-001', `${item}/Origin/CountryCode`],
        ['CWY-SCHEMA-001', `${item}/Commodity/InvoiceLine/ItemChargeAmount`],
      ]),
    );
  });

  describe('additional messages', () => {
    it('reads the TT_IM002b amendment (COR): item 1 price to GBP 999, reason code 21, with its reason', () => {
      expect(parseWcoMessage(wcoSample('TT_IM002b/TT_IM002b_Amendment.xml'))).toEqual({
        kind: 'AMENDMENT',
        declarationId: '20GB32VVZI0YMFGVR0',
        lrn: 'TT_IM02b_1803_002',
        reasonCode: '21',
        reason: 'Amending item price as a mistake was made on the declaration.',
        changes: [
          {
            pointer: '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/InvoiceLine/ItemChargeAmount',
            sections: ['42A', '67A', '68A', '23A', '79A'].map((code) => ({ code, sequence: 1 })),
            tagId: '112',
            field: '/items/0/invoiceAmount',
            value: '999',
            attributes: { currencyID: 'GBP' },
            reasonCode: '21',
          },
        ],
      });
    });

    it('reads the TT_IM003a amendment (COR): item 1 net mass to 2.1 kg, reason code 28', () => {
      const amendment = parseWcoMessage(wcoSample('TT_IM003a/TT_IM003a_Amendment_(Step_3).xml'));
      expect(amendment).toMatchObject({ kind: 'AMENDMENT', declarationId: '20GB34BBUAX6DFGVR2', reasonCode: '28', reason: 'AMENDMENT' });
      expect(amendment.kind === 'AMENDMENT' && amendment.changes).toEqual([
        expect.objectContaining({
          pointer: '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/GoodsMeasure/NetNetWeightMeasure',
          field: '/items/0/netMassKg',
          value: '2.1',
        }),
      ]);
    });

    it('reads the TT_IM011a amendment (COR): item 1 net mass to 62 KGM', () => {
      const amendment = parseWcoMessage(wcoSample('TT_IM011a/TT_IM011a_Amendment.xml'));
      expect(amendment).toMatchObject({ kind: 'AMENDMENT', declarationId: '24GBA4ZYBWXU1BSA00', lrn: '7849431M0ZUP' });
      expect(amendment.kind === 'AMENDMENT' && amendment.changes[0]).toMatchObject({
        field: '/items/0/netMassKg',
        value: '62',
        attributes: { unitCode: 'KGM' },
      });
    });

    it('reads the TT_IM011a cancellation (INV): duplicate declaration, reason code 1, submitter', () => {
      expect(parseWcoMessage(wcoSample('TT_IM011a/TT_IM011a_Cancellation.xml'))).toEqual({
        kind: 'CANCELLATION',
        declarationId: '24GBA4ZYBWXU1BSA00',
        lrn: '7849431M0ZUP',
        reasonCode: '1',
        reason: 'This is a duplicate declaration, please cancel',
        submitterId: 'GB427168118378',
      });
    });
  });

  it.each(['01_DMSACC', '03_DMSREJ', '13_DMSTAX', '09_DMSCLE'])('refuses the %s notification as a declaration (CWY-XML-004)', (name) => {
    const error = catchError(() => parseSubmission(wcoSample(`Example_DMS_notifications/${name}.xml`), 'application/xml'));
    expect(error).toBeInstanceOf(MalformedSubmissionError);
    expect((error as MalformedSubmissionError).toJSON().code).toBe('CWY-XML-004');
  });
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
