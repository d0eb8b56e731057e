import { describe, expect, it } from 'vitest';
import { Declaration } from '../../../functions/domain/declaration/model.js';
import { assessDeclaration } from '../../../functions/domain/tax/index.js';
import { shippedCatalog } from './support.js';
import { ttIm001a } from '../../support/declarations.js';

/** HMRC's DMSTAX notification for TT_IM001a (Example_Notifications/02_DMSTAX.xml, 2024-02-22). */
const TT_IM001A = Declaration.parse(ttIm001a());

describe('GB profile — TT_IM001a as published in its DMSTAX notification', () => {
  const assessment = assessDeclaration(TT_IM001A, shippedCatalog(), '2024-02-22');

  it('charges customs duty A00 at 2.00 % on the customs value of 1000.00 GBP', () => {
    expect(assessment.lines[0]).toMatchObject({
      itemSequence: 1, type: 'DUTY', code: 'A00', base: '1000.00', rate: '2.00%', amount: '20.00', currency: 'GBP',
    });
  });

  it('charges VAT B00 at 20.00 % on customs value + duty = 1020.00 GBP', () => {
    expect(assessment.lines[1]).toMatchObject({
      itemSequence: 1, type: 'VAT', code: 'B00', base: '1020.00', rate: '20.00%', amount: '204.00', currency: 'GBP',
    });
  });

  it('totals 224.00 GBP and records the tariff, VAT and legal-clock versions bound that day', () => {
    expect(assessment).toMatchObject({ currency: 'GBP', total: '224.00', totals: { DUTY: '20.00', VAT: '204.00', CONSUMPTION: '0.00' } });
    expect(assessment.referenceVersions).toEqual(['GB/rule/payment-deadline@1', 'GB/tariff/85109000@1', 'GB/vat/default@1']);
  });

  it('matches the 10-digit UK code too (85109000 + TARIC 00)', () => {
    const tenDigits = { ...TT_IM001A, items: [{ ...TT_IM001A.items[0], commodityCode: '8510900000' }] };
    expect(assessDeclaration(tenDigits, shippedCatalog(), '2024-02-22').total).toBe('224.00');
  });
});
