import { describe, expect, it } from 'vitest';
import { measureRisk, screenDeclaration, type RiskEvent } from '../../../functions/domain/risk/index.js';
import { context, declaration, gbImportLane, item, profile } from './fixtures.js';

const screened = (declarationId: string, completedOn: string, hits: { profileId: string; version?: number }[], random?: boolean): RiskEvent => ({
  declarationId,
  type: 'RiskScreened',
  data: {
    completedOn,
    channel: hits.length ? 'RED' : 'GREEN',
    hits: hits.map((h) => ({ profileId: h.profileId, version: h.version ?? 1, channel: 'RED', weight: 1, criteria: [], items: [] })),
    randomDraw: random === undefined ? null : { profileId: 'RP-RANDOM', profileVersion: 1, value: 0, threshold: 0.1, selected: random },
    lane: { id: 'GB-IMPORT', version: 1 },
  },
});
const inspected = (declarationId: string, discrepancy: boolean): RiskEvent => ({
  declarationId, type: 'InspectionRecorded', data: { result: discrepancy ? 'DISCREPANCY' : 'NO_DISCREPANCY' },
});
const revenue = (declarationId: string, amount: string, currency = 'GBP'): RiskEvent => ({
  declarationId, type: 'TaxAssessed', data: { revenueFound: { amount, currency } },
});

describe('measureRisk', () => {
  const events: RiskEvent[] = [
    // Two random selections, one with a discrepancy: the baseline is 1 in 2.
    screened('R1', '2025-03-03', [{ profileId: 'RP-RANDOM' }], true), inspected('R1', true), revenue('R1', '5.00'),
    screened('R2', '2025-03-03', [{ profileId: 'RP-RANDOM' }], true), inspected('R2', false),
    // RP-A selects three, all inspected, all with a discrepancy; one also drew the random profile unselected.
    screened('A1', '2025-03-03', [{ profileId: 'RP-A' }], false), inspected('A1', true), revenue('A1', '100.10'),
    screened('A2', '2025-03-04', [{ profileId: 'RP-A', version: 2 }]), inspected('A2', true), revenue('A2', '20.00'), revenue('A2', '19.90', 'EUR'),
    screened('A3', '2025-03-04', [{ profileId: 'RP-A', version: 2 }]), inspected('A3', true),
    // RP-B selects one, not yet inspected.
    screened('B1', '2025-03-04', [{ profileId: 'RP-B' }]),
    screened('G1', '2025-03-04', []),
    // Outside the period.
    screened('X1', '2025-03-05', [{ profileId: 'RP-A' }]), inspected('X1', false),
  ];
  const report = measureRisk(events, { from: '2025-03-03', to: '2025-03-04' }, [gbImportLane]);

  it('counts the declarations completed in the period only', () => {
    expect(report.declarations).toBe(7);
  });

  it('takes the random control group hit rate as the baseline', () => {
    expect(report.baseline).toEqual({ selections: 2, inspected: 2, hits: 1, hitRate: '0.5000' });
  });

  it('gives each profile its selections, hits, hit rate, revenue found (the last assessment per declaration) and lift', () => {
    expect(report.profiles.find((p) => p.profileId === 'RP-A')).toEqual({
      profileId: 'RP-A', versions: [1, 2], selections: 3, inspected: 3, hits: 3, hitRate: '1.0000',
      revenueFound: { EUR: '19.90', GBP: '100.10' }, lift: '2.00',
    });
  });

  it('has no hit rate or lift before anything a profile selected was inspected', () => {
    expect(report.profiles.find((p) => p.profileId === 'RP-B')).toMatchObject({ selections: 1, inspected: 0, hitRate: null, lift: null });
  });

  it('compares the actual channel rates of a lane with the rates it expects', () => {
    expect(report.channels).toEqual([
      { lane: 'GB-IMPORT', channel: 'GREEN', declarations: 1, actualRate: '0.1429', expectedRate: '0.90' },
      { lane: 'GB-IMPORT', channel: 'QUERY', declarations: 0, actualRate: '0.0000', expectedRate: '0.01' },
      { lane: 'GB-IMPORT', channel: 'YELLOW', declarations: 0, actualRate: '0.0000', expectedRate: '0.06' },
      { lane: 'GB-IMPORT', channel: 'RED', declarations: 6, actualRate: '0.8571', expectedRate: '0.03' },
    ]);
  });
});

describe('measureRisk over a generated batch with planted violations', () => {
  /*
   * 4000 GB imports, generated deterministically. Every 10th is tobacco (chapter 24), screened RED
   * by a RULE profile; half of those (every 20th declaration) carry a planted violation. Of the
   * others, every 9th carries one. A RANDOM profile selects ~5 % for document review. Every held
   * declaration is inspected and its planted violation found, worth GBP 100.00 of tax each.
   */
  const COUNT = 4000;
  const tobacco = profile({ id: 'RP-HS24', criteria: [{ type: 'hsCode', prefixes: ['24'] }], channel: 'RED' });
  const random = profile({ id: 'RP-RANDOM', criteria: [], channel: 'YELLOW', weight: 10, selection: { kind: 'RANDOM', rateByLane: { 'GB-IMPORT': '0.05' } } });
  const isTobacco = (i: number) => i % 10 === 0;
  const planted = (i: number) => (isTobacco(i) ? i % 20 === 0 : i % 9 === 0);

  const events: RiskEvent[] = [];
  const randomSelected: number[] = [];
  for (let i = 0; i < COUNT; i++) {
    const id = `BATCH-${i}`;
    const goods = isTobacco(i) ? item({ commodityCode: '24012010', description: 'Tobacco leaf' }) : item({});
    const screening = screenDeclaration(declaration({ items: [goods] }), context([tobacco, random], { declarationId: id }));
    events.push({ declarationId: id, type: 'RiskScreened', data: screening });
    if (screening.randomDraw?.selected) randomSelected.push(i);
    if (screening.channel === 'GREEN') continue;
    events.push({ declarationId: id, type: 'InspectionRecorded', data: { result: planted(i) ? 'DISCREPANCY' : 'NO_DISCREPANCY' } });
    if (planted(i)) events.push({ declarationId: id, type: 'TaxAssessed', data: { revenueFound: { amount: '100.00', currency: 'GBP' } } });
  }
  const report = measureRisk(events, { from: '2025-03-03', to: '2025-03-03' }, [gbImportLane]);
  const tobaccoMeasure = report.profiles.find((p) => p.profileId === 'RP-HS24')!;

  it('finds exactly the planted hit rate of the tobacco profile: 200 of its 400 selections', () => {
    expect(tobaccoMeasure).toMatchObject({ selections: 400, inspected: 400, hits: 200, hitRate: '0.5000', revenueFound: { GBP: '20000.00' } });
  });

  it('takes the baseline from the random control group, close to the planted population rate of 15 %', () => {
    // Population: 200 tobacco + 400 others (445 multiples of 9 below 4000, less the 45 multiples of 90) = 600 of 4000.
    const controlHits = randomSelected.filter(planted).length;
    expect(report.baseline).toMatchObject({ selections: randomSelected.length, inspected: randomSelected.length, hits: controlHits });
    expect(randomSelected.length / COUNT).toBeCloseTo(0.05, 1);
    expect(Number(report.baseline.hitRate)).toBeCloseTo(0.15, 1);
  });

  it('credits the tobacco profile with a lift of its hit rate over the baseline', () => {
    const baseline = Number(report.baseline.hitRate);
    expect(Number(tobaccoMeasure.lift)).toBeCloseTo(0.5 / baseline, 1);
    expect(Number(tobaccoMeasure.lift)).toBeGreaterThan(2);
  });

  it('shows the planted RED share (one in ten) against the lane\'s expected 3 %', () => {
    expect(report.channels.find((c) => c.channel === 'RED')).toEqual({
      lane: 'GB-IMPORT', channel: 'RED', declarations: 400, actualRate: '0.1000', expectedRate: '0.03',
    });
  });
});
