import type { DeclarationInput } from '../../functions/domain/declaration/model.js';

/**
 * The HMRC sample TT_IM001a (examples/wco-dms/TT_IM001a/Step1_TT_IM001a.xml) written by hand
 * as canonical JSON from the XML's values: parts for electric shavers, commodity 85109000, US
 * origin, GBP 1000 CIF, deferment account 1108654. Every rule of receipt is satisfied; HMRC's
 * DMSTAX notification for it publishes A00 20.00 GBP and B00 204.00 GBP.
 */
export function ttIm001a(): DeclarationInput {
  return {
    jurisdiction: 'GB',
    direction: 'IMPORT',
    typeCode: 'IMA',
    lrn: '7847767E1WB6',
    declarant: { id: 'GB603202734852' },
    importer: { id: 'GB553202734852' },
    exporterWithoutId: { name: 'US Clipper Inc.', country: 'US' },
    transactionTerms: 'CIF',
    invoiceCurrency: 'GBP',
    countryOfDispatch: 'US',
    countryOfDestination: 'GB',
    transportMode: '1',
    payment: { method: 'DEFERMENT', account: '1108654' },
    containers: ['AD12345'],
    items: [
      {
        sequence: 1,
        commodityCode: '85109000',
        description: 'Parts for electric shavers, hair clippers and hair-removing appliances',
        origin: 'US',
        invoiceAmount: '1000',
        netMassKg: '100',
        grossMassKg: '150',
        preference: '100',
      },
    ],
  };
}
