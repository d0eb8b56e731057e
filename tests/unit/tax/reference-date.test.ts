import { describe, expect, it } from 'vitest';
import { addDays, bindTaxReference, calendarWith, selectReferenceDate } from '../../../functions/domain/tax/index.js';
import { cnDeclaration, emptyCatalog, meta } from './support.js';

/** Third Wednesdays of each month (calendar facts), used as the expected reference dates. */
const THIRD_WEDNESDAY: Record<string, string> = {
  '2024-12': '2024-12-18',
  '2025-01': '2025-01-15', '2025-02': '2025-02-19', '2025-03': '2025-03-19', '2025-04': '2025-04-16',
  '2025-05': '2025-05-21', '2025-06': '2025-06-18', '2025-07': '2025-07-16', '2025-08': '2025-08-20',
  '2025-09': '2025-09-17', '2025-10': '2025-10-15', '2025-11': '2025-11-19',
};

const previousMonth = (isoDate: string) => {
  const [y, m] = isoDate.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

describe('selectReferenceDate — 关税法 Art. 60, GACC Order 272 Arts. 13–14', () => {
  it('gives, for every day of 2025, the third Wednesday of the previous month', () => {
    for (let day = '2025-01-01'; day <= '2025-12-31'; day = addDays(day, 1)) {
      expect(selectReferenceDate(day), day).toBe(THIRD_WEDNESDAY[previousMonth(day)]);
    }
  });

  it('moves to the next trading day when the third Wednesday is a holiday (2026 Spring Festival, Feb 15–23)', () => {
    const springFestival2026 = ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-23'];
    expect(selectReferenceDate('2026-03-10', calendarWith(springFestival2026))).toBe('2026-02-24');
  });

  it('under the pre-2024-12-01 rule, takes the fourth Wednesday instead (2018 Spring Festival, Feb 15–21)', () => {
    const springFestival2018 = ['2018-02-15', '2018-02-16', '2018-02-19', '2018-02-20', '2018-02-21'];
    expect(selectReferenceDate('2018-03-10', calendarWith(springFestival2018), 'FOURTH_WEDNESDAY')).toBe('2018-02-28');
  });

  it('wraps from January to December of the previous year', () => {
    expect(selectReferenceDate('2025-01-02')).toBe('2024-12-18');
  });
});

describe('bindTaxReference — the FX rule version follows the completion date', () => {
  const catalog = {
    ...emptyCatalog(),
    rules: [
      { ...meta('CN/rule/fx-reference-date', '2004-01-01', 1), validTo: '2024-12-01', rule: 'fx-reference-date' as const, jurisdiction: 'CN' as const, fallback: 'FOURTH_WEDNESDAY' as const },
      { ...meta('CN/rule/fx-reference-date', '2024-12-01', 2), rule: 'fx-reference-date' as const, jurisdiction: 'CN' as const, fallback: 'NEXT_TRADING_DAY' as const },
    ],
    fxRates: ['2024-11-20', '2024-10-16'].map((referenceDate) => ({
      ...meta(`CN/fx/USD/${referenceDate}`, referenceDate), jurisdiction: 'CN' as const, currency: 'USD', referenceDate, rate: '7.1', per: 1,
    })),
    tariffLines: [{ ...meta('CN/tariff/t'), jurisdiction: 'CN' as const, commodityCode: '8509400000', description: 't', mfn: { adValoremPct: '10' } }],
    vatRates: [{ ...meta('CN/vat/d'), jurisdiction: 'CN' as const, commodityPrefix: '', ratePct: '13' }],
  };
  const usd = cnDeclaration({ invoiceCurrency: 'USD' });

  it('binds the old rule on 2024-11-30 and the new one on 2024-12-01', () => {
    expect(bindTaxReference(usd, '2024-11-30', catalog)).toMatchObject({
      fxReferenceDate: '2024-10-16', fx: { USD: 'CN/fx/USD/2024-10-16@1' }, rules: { 'fx-reference-date': 'CN/rule/fx-reference-date@1' },
    });
    expect(bindTaxReference(usd, '2024-12-01', catalog)).toMatchObject({
      fxReferenceDate: '2024-11-20', fx: { USD: 'CN/fx/USD/2024-11-20@1' }, rules: { 'fx-reference-date': 'CN/rule/fx-reference-date@2' },
    });
  });
});
