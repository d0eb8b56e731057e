import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { referenceCatalog } from '../../functions/adapters/files/reference-catalog.js';
import { replayDeclaration } from '../../functions/replay/replay.js';
import { referenceOverrides } from '../../functions/replay/what-if-request.js';
import { driveToEnd } from '../support/drive.js';
import { exampleJson, startTestPlatform, type Api } from '../support/platform.js';
import { finishedWhatIf } from '../support/audit.js';

/**
 * What-if over declarations that changed after they were lodged (user report: an amended
 * declaration was measured on its superseded version 1). Its own platform, so the selection of
 * tests/replay/what-if.test.ts stays as it is; every declaration here is CN-1 completed in May 2025
 * (FX reference date 2025-04-16: USD 7.1000), so the worked figures below hold.
 */
let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
const hour = 3_600_000;
const ids = { amended: '', afterRelease: '', cancelled: '' };

/** CN-1 under its own LRN, its first item's invoice amount as given. */
const lodgedCn1 = async (lrn: string) => (await api.post('/declarations', { ...exampleJson('cn/CN-1.json'), lrn })).body.id as string;
const invoice = (value: string) => [{ op: 'replace', path: '/items/0/invoiceAmount', value }];

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2025-05-20T02:00:00Z'));

  // Amended before settlement: version 2 (invoice USD 90000) is accepted, assessed and paid.
  ids.amended = await lodgedCn1('WHATIF-AMEND-1');
  await api.until(ids.amended, (v) => v.status === 'AWAITING_PAYMENT');
  clock.advance(hour);
  expect((await api.post(`/declarations/${ids.amended}/amendments`, { reasonCode: '21', reason: 'Invoice corrected', changes: invoice('90000') })).body.version).toBe(2);
  expect(await driveToEnd(api, ids.amended)).toMatchObject({ version: 2, status: 'RELEASED' });

  // Released as lodged, then an amendment to USD 120000 asked and granted (the trader at fault):
  // version 2 reassessed on the spot (TaxReassessed), no second execution.
  clock.advance(hour);
  ids.afterRelease = await lodgedCn1('WHATIF-AFTER-RELEASE-1');
  await driveToEnd(api, ids.afterRelease);
  clock.advance(hour);
  expect((await api.post(`/declarations/${ids.afterRelease}/amendments`, { reasonCode: '21', reason: 'Invoice corrected', changes: invoice('120000') })).body.outcome).toBe('REQUESTED');
  clock.advance(hour);
  const officer = api.as({ role: 'officer', sub: 'officer-9' });
  expect((await officer.post(`/declarations/${ids.afterRelease}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' })).status).toBe(202);
  expect((await api.get(`/declarations/${ids.afterRelease}`)).body.history.at(-1)).toMatchObject({ type: 'TaxReassessed' });

  // Cancelled while its notice waited: no revenue.
  clock.advance(hour);
  ids.cancelled = await lodgedCn1('WHATIF-CANCEL-1');
  await api.until(ids.cancelled, (v) => v.status === 'AWAITING_PAYMENT');
  clock.advance(hour);
  await api.post(`/declarations/${ids.cancelled}/cancellation`, { reasonCode: '1', reason: 'Goods no longer imported' });
  await api.until(ids.cancelled, (v) => v.status === 'CANCELLED');
}, 120_000);
afterAll(() => runtime?.stop());

/** The CN tariff line of 8509400000 (CN-1's food grinders) at 12 % instead of 10 %. */
const grindersAt12 = {
  kind: 'tariff-line',
  records: [{
    id: 'CN/tariff/8509400000', version: 2, validFrom: '2024-01-01', source: 'what-if: MFN 12 %', illustrative: true,
    jurisdiction: 'CN', commodityCode: '8509400000', description: 'food grinders, mixers, juice extractors', mfn: { adValoremPct: '12' },
  }],
};

describe('POST /audits/what-if over amended and cancelled declarations: the version in force is measured', () => {
  let result: any;
  const outcome = (id: string) => result.outcomes.find((o: any) => o.declarationId === id);
  beforeAll(async () => {
    const started = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-05-31' }, overrides: { tax: [grindersAt12] } });
    expect(started.status).toBe(202);
    result = await finishedWhatIf(api, runtime, started.body.id);
    expect(result).toMatchObject({ total: 3, done: 3 });
  }, 120_000);

  it('an amendment applied before settlement: version 2 on both sides, not version 1', () => {
    // Version 2: CIF USD 90000 × 7.1000 = CNY 639000.00.
    // Recorded: duty 10 % = 63900.00; VAT 13 % × (639000.00 + 63900.00 = 702900.00) = 91377.00.
    // What-if:  duty 12 % = 76680.00; VAT 13 % × (639000.00 + 76680.00 = 715680.00) = 93038.40.
    // (Version 1's figures, which the defect reported: 71000.00→85200.00, 101530.00→103376.00.)
    expect(outcome(ids.amended).taxLines).toEqual([
      expect.objectContaining({ type: 'DUTY', recorded: '63900.00', replayed: '76680.00', delta: '12780.00', currency: 'CNY' }),
      expect.objectContaining({ type: 'VAT', recorded: '91377.00', replayed: '93038.40', delta: '1661.40', currency: 'CNY' }),
    ]);
    // 12780.00 + 1661.40
    expect(outcome(ids.amended)).toMatchObject({ taxDelta: { CNY: '14441.40' }, unassessed: false });
    expect(outcome(ids.amended).excluded).toBeUndefined();
  });

  it('an amendment granted after release: the tax its reassessment put in force on both sides', () => {
    // Version 2: CIF USD 120000 × 7.1000 = CNY 852000.00.
    // Recorded (TaxReassessed): duty 10 % = 85200.00; VAT 13 % × (852000.00 + 85200.00 = 937200.00) = 121836.00.
    // What-if:  duty 12 % = 102240.00; VAT 13 % × (852000.00 + 102240.00 = 954240.00) = 124051.20.
    expect(outcome(ids.afterRelease).taxLines).toEqual([
      expect.objectContaining({ type: 'DUTY', recorded: '85200.00', replayed: '102240.00', delta: '17040.00', currency: 'CNY' }),
      expect.objectContaining({ type: 'VAT', recorded: '121836.00', replayed: '124051.20', delta: '2215.20', currency: 'CNY' }),
    ]);
    // 17040.00 + 2215.20
    expect(outcome(ids.afterRelease)).toMatchObject({ taxDelta: { CNY: '19255.20' }, channel: { recorded: 'GREEN', replayed: 'GREEN', changed: false } });
  });

  it('a cancelled declaration raises no revenue: left out of the revenue effect and counted apart', () => {
    expect(outcome(ids.cancelled)).toMatchObject({ excluded: 'CANCELLED', taxDelta: {}, taxLines: [] });
  });

  it('adds up the revenue effect of the versions in force only', () => {
    // 14441.40 (amended) + 19255.20 (reassessed after release) = 33696.60; the cancelled one adds nothing.
    // (Measured on version 1, as reported, each would have added 16046.00: 32092.00.)
    expect(result.summary).toMatchObject({ declarations: 3, revenueEffect: { CNY: '33696.60' }, excluded: { CANCELLED: 1 }, channelChanges: {} });
  });
});

const redForGrinders = {
  id: 'WHATIF-GRINDERS', version: 1, author: 'risk-analyst:a', approver: 'risk-head:b', rationale: 'what-if: every food grinder to inspection',
  scope: {}, validFrom: '2024-01-01', criteria: [{ type: 'hsCode', prefixes: ['85094'] }], channel: 'RED', weight: 50, selection: { kind: 'RULE' },
};

describe('POST /audits/what-if with a profile that holds what went green, over amended declarations', () => {
  it('pays the recorded payment with what its own notice asks, after releasing its own hold, to reach the grant after release', async () => {
    // The history as the API shows it, each event with its declaration's id as the store keeps it.
    const history = (await api.get(`/declarations/${ids.afterRelease}`)).body.history.map((e: any) => ({ ...e, declarationId: ids.afterRelease }));
    const result = await replayDeclaration(history, { catalog: referenceCatalog(), profileVersions: [] }, {
      overrides: referenceOverrides({ tax: [grindersAt12] as any, riskProfiles: [redForGrinders] as any }),
    });
    // Version 1 at 12 %: 85200.00 + 103376.00 = 188576.00 asked (the bank paid 172530.00 as recorded).
    expect(result.inputs.map((i) => [i.type, i.how])).toEqual([
      ['OfficerDecisionRecorded', 'ASSUMED'],
      ['PaymentReceived', 'ASSUMED'],
      ['AmendmentRequested', 'RECORDED'],
      ['AdditionalMessageDecided', 'RECORDED'],
    ]);
    expect(result.replayed.find((e) => e.type === 'PaymentReceived')?.data).toMatchObject({ amount: '188576.00', currency: 'CNY' });
    // Reassessed on the spot with the what-if's tariff: version 2 at 12 % = 102240.00 + 124051.20 = 226291.20 (worked above).
    expect(result.replayed.at(-1)).toMatchObject({ type: 'TaxReassessed', data: { version: 2, total: { amount: '226291.20', currency: 'CNY' } } });
  }, 20_000);

  it('releases the what-if\'s own hold, still follows each amendment, and measures version 2 (same tax: no revenue effect)', async () => {
    const started = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-05-31' }, overrides: { riskProfiles: [redForGrinders] } });
    expect(started.status).toBe(202);
    const result = await finishedWhatIf(api, runtime, started.body.id);
    expect(result.summary).toMatchObject({ declarations: 3, channelChanges: { 'GREEN→RED': 3 }, revenueEffect: { CNY: '0.00' }, excluded: { CANCELLED: 1 } });
    const outcome = (id: string) => result.outcomes.find((o: any) => o.declarationId === id);
    // The tariff is unchanged: each version 2 as recorded (figures worked above), delta nil.
    expect(outcome(ids.amended).taxLines.map((l: any) => [l.recorded, l.replayed])).toEqual([['63900.00', '63900.00'], ['91377.00', '91377.00']]);
    expect(outcome(ids.afterRelease).taxLines.map((l: any) => [l.recorded, l.replayed])).toEqual([['85200.00', '85200.00'], ['121836.00', '121836.00']]);
  }, 120_000);
});
