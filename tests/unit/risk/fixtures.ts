import { Declaration, type DeclarationInput } from '../../../functions/domain/declaration/model.js';
import { Lane, RiskProfile, type ScreeningContext } from '../../../functions/domain/risk/index.js';

/**
 * The import declaration of the HMRC sample TT_IM001a (examples/wco-dms/TT_IM001a): parts for
 * electric shavers, commodity 85109000, US origin, GBP 1000, deferment.
 */
export const ttIm001a: DeclarationInput = {
  jurisdiction: 'GB',
  direction: 'IMPORT',
  typeCode: 'IMA',
  lrn: '7847767E1WB6',
  declarant: { id: 'GB553202734852' },
  importer: { id: 'GB553202734852' },
  exporter: { id: 'US12345', country: 'US' },
  transactionTerms: 'CIF',
  invoiceCurrency: 'GBP',
  countryOfDispatch: 'US',
  payment: { method: 'DEFERMENT', account: '1108654' },
  items: [
    {
      sequence: 1,
      commodityCode: '85109000',
      description: 'Parts for electric shavers, hair clippers and hair-removing appliances',
      origin: 'US',
      invoiceAmount: '1000',
    },
  ],
};

/** TT_IM001a with changes: the shape every criterion test starts from. */
export function declaration(changes: Partial<DeclarationInput> = {}): Declaration {
  return Declaration.parse({ ...ttIm001a, ...changes });
}

/** One goods item of TT_IM001a with changes. */
export function item(changes: Partial<DeclarationInput['items'][number]>): DeclarationInput['items'][number] {
  return { ...ttIm001a.items[0], ...changes };
}

/** A valid, approved RULE profile in force from 2024-01-01 with the given changes. */
export function profile(changes: Partial<RiskProfile> & Pick<RiskProfile, 'id' | 'criteria' | 'channel'>): RiskProfile {
  return RiskProfile.parse({
    version: 1,
    author: 'analyst:a',
    approver: 'head:b',
    rationale: 'test',
    validFrom: '2024-01-01',
    weight: 50,
    ...changes,
  });
}

/** The GB import lane: random rate floor 1 %, AEO × 0.5, distrusted × 3. */
export const gbImportLane: Lane = Lane.parse({
  id: 'GB-IMPORT',
  version: 1,
  jurisdiction: 'GB',
  direction: 'IMPORT',
  validFrom: '2024-01-01',
  expectedRates: { GREEN: '0.90', YELLOW: '0.06', RED: '0.03', QUERY: '0.01' },
  minimumRandomRate: '0.01',
  creditClassMultipliers: { ADVANCED_CERTIFIED: '0.5', REGULAR: '1', DISTRUSTED: '3' },
});

/** Screening context for declaration `DECL-1` on 2025-03-03 with the given profiles. */
export function context(profiles: RiskProfile[], changes: Partial<ScreeningContext> = {}): ScreeningContext {
  return {
    declarationId: 'DECL-1',
    version: 1,
    profiles,
    lanes: [gbImportLane],
    seed: 'test-seed',
    completedOn: '2025-03-03',
    ...changes,
  };
}
