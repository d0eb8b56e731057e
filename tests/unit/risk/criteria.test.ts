import { describe, expect, it } from 'vitest';
import { screenDeclaration, type Criterion, type ScreeningContext } from '../../../functions/domain/risk/index.js';
import type { DeclarationInput } from '../../../functions/domain/declaration/model.js';
import { context, declaration, item, profile } from './fixtures.js';

/** Screen with one RED profile made of `criteria`; the channel says whether they held. */
function screenWith(criteria: Criterion[], changes: Partial<DeclarationInput> = {}, ctx: Partial<ScreeningContext> = {}) {
  return screenDeclaration(declaration(changes), context([profile({ id: 'RP-TEST', criteria, channel: 'RED' })], ctx));
}
const holds = (...args: Parameters<typeof screenWith>) => screenWith(...args).channel === 'RED';

describe('risk criteria', () => {
  describe('hsCode', () => {
    it('holds on a chapter prefix and names the item and code', () => {
      const result = screenWith([{ type: 'hsCode', prefixes: ['85'] }]);
      expect(result.channel).toBe('RED');
      expect(result.hits[0].criteria).toEqual([
        { type: 'hsCode', item: 1, detail: 'item 1 commodity code 85109000 is under 85' },
      ]);
    });
    it('holds on a heading or full-line prefix, not on another chapter', () => {
      expect(holds([{ type: 'hsCode', prefixes: ['8510'] }])).toBe(true);
      expect(holds([{ type: 'hsCode', prefixes: ['85109000'] }])).toBe(true);
      expect(holds([{ type: 'hsCode', prefixes: ['93', '24'] }])).toBe(false);
    });
  });

  describe('valuationConfirmation', () => {
    const related = { specialRelationship: true, priceInfluence: false, royaltiesPayable: true };

    it('holds when the declaration confirms the valuation question as the criterion asks, and says so', () => {
      const result = screenWith([{ type: 'valuationConfirmation', confirmation: 'royaltiesPayable', is: true }], { valuationConfirmations: related });
      expect(result.hits[0].criteria).toEqual([{ type: 'valuationConfirmation', detail: 'royalties payable (特许权使用费) confirmed yes' }]);
      expect(holds([{ type: 'valuationConfirmation', confirmation: 'priceInfluence', is: false }], { valuationConfirmations: related })).toBe(true);
    });

    it('does not hold on the opposite answer, nor when the question was not answered', () => {
      expect(holds([{ type: 'valuationConfirmation', confirmation: 'priceInfluence', is: true }], { valuationConfirmations: related })).toBe(false);
      expect(holds([{ type: 'valuationConfirmation', confirmation: 'specialRelationship', is: true }])).toBe(false);
      expect(holds([{ type: 'valuationConfirmation', confirmation: 'specialRelationship', is: false }])).toBe(false);
    });
  });

  describe('originCountry', () => {
    it('holds when some goods item originates in a listed country', () => {
      expect(holds([{ type: 'originCountry', countries: ['KP', 'US'] }])).toBe(true);
      expect(holds([{ type: 'originCountry', countries: ['KP'] }])).toBe(false);
    });
  });

  describe('dispatchCountry', () => {
    it('holds on the declared country of dispatch, and not when none is declared', () => {
      expect(holds([{ type: 'dispatchCountry', countries: ['US'] }])).toBe(true);
      expect(holds([{ type: 'dispatchCountry', countries: ['CN'] }])).toBe(false);
      expect(holds([{ type: 'dispatchCountry', countries: ['US'] }], { countryOfDispatch: undefined })).toBe(false);
    });
  });

  describe('traderCreditClass', () => {
    it('holds on the supplied class, an unknown trader counting as REGULAR', () => {
      const distrusted: Criterion = { type: 'traderCreditClass', classes: ['DISTRUSTED'] };
      expect(holds([distrusted], {}, { traderCreditClass: 'DISTRUSTED' })).toBe(true);
      expect(holds([distrusted])).toBe(false);
      expect(holds([{ type: 'traderCreditClass', classes: ['REGULAR'] }])).toBe(true);
    });
  });

  describe('firstTimeImporter', () => {
    it('holds only when the caller says the importer is new', () => {
      expect(holds([{ type: 'firstTimeImporter' }], {}, { firstTimeImporter: true })).toBe(true);
      expect(holds([{ type: 'firstTimeImporter' }])).toBe(false);
    });
  });

  describe('unitPriceDeviation', () => {
    const priced = { items: [item({ invoiceAmount: '1000', quantity: { value: '100', unit: 'KGM' } })] };
    const reference = (price: string, changes = {}) => ({
      referencePrices: [{ commodityPrefix: '8510', currency: 'GBP', unit: 'KGM', price, ...changes }],
    });
    const under50 = [{ type: 'unitPriceDeviation', belowPercent: '50' }] as Criterion[];

    it('holds when the unit price is at least the given percentage under the reference', () => {
      // 1000 GBP / 100 KGM = 10.00 GBP/KGM against 20.00: exactly 50 % under.
      const result = screenWith(under50, priced, reference('20'));
      expect(result.channel).toBe('RED');
      expect(result.hits[0].criteria[0].detail).toBe(
        'item 1 unit price 10.00 GBP/KGM is 50.00 % below reference 20 for 8510',
      );
      expect(holds(under50, priced, reference('19.99'))).toBe(false);
    });
    it('holds when the unit price is at least the given percentage over the reference', () => {
      const over100 = [{ type: 'unitPriceDeviation', abovePercent: '100' }] as Criterion[];
      expect(holds(over100, priced, reference('5'))).toBe(true);
      expect(holds(over100, priced, reference('5.01'))).toBe(false);
    });
    it('uses the longest matching commodity prefix', () => {
      const prices = {
        referencePrices: [
          { commodityPrefix: '85', currency: 'GBP', unit: 'KGM', price: '100' },
          { commodityPrefix: '851090', currency: 'GBP', unit: 'KGM', price: '12' },
        ],
      };
      expect(holds(under50, priced, prices)).toBe(false);
    });
    it('does not hold without a comparable reference: other currency, other unit, or no quantity', () => {
      expect(holds(under50, priced, reference('20', { currency: 'USD' }))).toBe(false);
      expect(holds(under50, priced, reference('20', { unit: 'NAR' }))).toBe(false);
      expect(holds(under50, {}, reference('20'))).toBe(false);
    });
    it('compares with the statutory quantity when that is in the reference unit', () => {
      const statutory = { items: [item({ quantity: { value: '4', unit: 'CT' }, statutoryQuantity: { value: '100', unit: 'KGM' } })] };
      expect(holds(under50, statutory, reference('20'))).toBe(true);
    });
  });

  describe('transactionTerms', () => {
    it('holds on the declared terms', () => {
      expect(holds([{ type: 'transactionTerms', terms: ['CIF', 'CFR'] }])).toBe(true);
      expect(holds([{ type: 'transactionTerms', terms: ['EXW'] }])).toBe(false);
    });
  });

  describe('tradeMode', () => {
    it('holds on the declared CN trade mode, and not when none is declared', () => {
      expect(holds([{ type: 'tradeMode', modes: ['0214'] }], { tradeMode: '0214' })).toBe(true);
      expect(holds([{ type: 'tradeMode', modes: ['0214'] }], { tradeMode: '0110' })).toBe(false);
      expect(holds([{ type: 'tradeMode', modes: ['0214'] }])).toBe(false);
    });
  });

  describe('watchListedParty', () => {
    const watch = (roles?: ('declarant' | 'importer' | 'exporter')[]): Criterion[] => [
      { type: 'watchListedParty', ...(roles ? { roles } : {}), parties: [{ id: 'US12345', reason: 'case 17' }] },
    ];
    it('holds when a party in the watched roles is listed, and says who and why', () => {
      const result = screenWith(watch());
      expect(result.hits[0].criteria).toEqual([
        { type: 'watchListedParty', detail: 'exporter US12345 is watch-listed (case 17)' },
      ]);
      expect(holds(watch(['exporter']))).toBe(true);
    });
    it('does not hold when the listed party acts in a role not watched', () => {
      expect(holds(watch(['declarant', 'importer']))).toBe(false);
    });
  });

  describe('documentMissing', () => {
    const licence: Criterion[] = [{ type: 'documentMissing', documentTypes: ['L001', 'L002'] }];
    it('holds when a goods item carries none of the documents', () => {
      expect(holds(licence)).toBe(true);
    });
    it('does not hold when the item or the header carries one of them', () => {
      expect(holds(licence, { items: [item({ documents: [{ type: 'L002', id: 'LIC-1' }] })] })).toBe(false);
      expect(holds(licence, { documents: [{ type: 'L001', id: 'LIC-2' }] })).toBe(false);
    });
  });

  describe('all / any / not', () => {
    const ch85: Criterion = { type: 'hsCode', prefixes: ['85'] };
    const fromKP: Criterion = { type: 'originCountry', countries: ['KP'] };
    it('all holds when every part holds on the same goods item', () => {
      const twoItems = { items: [item({ sequence: 1 }), item({ sequence: 2, commodityCode: '73066199', origin: 'KP' })] };
      // Chapter 85 is item 1, KP origin is item 2: never both on one item.
      expect(holds([ch85, fromKP], twoItems)).toBe(false);
      expect(holds([{ type: 'all', of: [{ type: 'hsCode', prefixes: ['73'] }, fromKP] }], twoItems)).toBe(true);
    });
    it('any holds when one part holds', () => {
      expect(holds([{ type: 'any', of: [fromKP, ch85] }])).toBe(true);
      expect(holds([{ type: 'any', of: [fromKP] }])).toBe(false);
    });
    it('not holds when its part does not', () => {
      const result = screenWith([ch85, { type: 'not', criterion: fromKP }]);
      expect(result.channel).toBe('RED');
      expect(result.hits[0].criteria[1]).toEqual({ type: 'not', detail: 'not (origin KP)' });
      expect(holds([{ type: 'not', criterion: ch85 }])).toBe(false);
    });
  });

  it('an empty criteria list applies to every declaration in scope', () => {
    expect(holds([])).toBe(true);
  });
});
