import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LaneSet, RiskProfile, RiskProfileSet, screenDeclaration, type Criterion } from '../../../functions/domain/risk/index.js';
import { declaration, item, profile } from './fixtures.js';

const read = (file: string) => JSON.parse(readFileSync(new URL(`../../../reference-data/risk/${file}`, import.meta.url), 'utf8'));
const { profiles, defaultSeed } = RiskProfileSet.parse(read('profiles.json'));
const { lanes } = LaneSet.parse(read('lanes.json'));
const screen = (changes: Parameters<typeof declaration>[0], declarationId = 'DECL-1') =>
  screenDeclaration(declaration(changes), {
    declarationId,
    version: 1,
    profiles,
    lanes,
    seed: defaultSeed!,
    completedOn: '2025-03-03',
  });
/** The profiles that hit, leaving out the random control group. */
const ruleHits = (result: ReturnType<typeof screen>) =>
  result.hits.filter((h) => h.profileId !== 'RP-RANDOM').map((h) => `${h.profileId}→${h.channel}`);

describe('reference-data/risk', () => {
  it('holds valid profile and lane sets, each RANDOM rate naming a lane that exists', () => {
    const laneIds = new Set(lanes.map((l) => l.id));
    const randomLaneIds = profiles.flatMap((p) => (p.selection.kind === 'RANDOM' ? Object.keys(p.selection.rateByLane) : []));
    expect(randomLaneIds.length).toBeGreaterThan(0);
    for (const id of randomLaneIds) expect(laneIds).toContain(id);
  });

  it('has a lane for every jurisdiction and direction', () => {
    for (const jurisdiction of ['GB', 'CN'] as const) {
      for (const direction of ['IMPORT', 'EXPORT'] as const) {
        expect(() => screen({ jurisdiction, direction })).not.toThrow();
      }
    }
  });

  it('sends arms (HS chapter 93, e.g. 930200 revolvers and pistols) to RED, import or export', () => {
    const pistols = { items: [item({ commodityCode: '93020000', description: 'Pistols' })] };
    expect(ruleHits(screen(pistols))).toEqual(['RP-HS93-ARMS→RED']);
    expect(ruleHits(screen({ ...pistols, direction: 'EXPORT' }))).toEqual(['RP-HS93-ARMS→RED']);
  });

  it('sends imported tobacco (HS chapter 24, e.g. 240220 cigarettes) to YELLOW', () => {
    expect(ruleHits(screen({ items: [item({ commodityCode: '24022000', description: 'Cigarettes' })] }))).toEqual([
      'RP-HS24-TOBACCO→YELLOW',
    ]);
  });

  it('sends imports originating in the DPRK to RED', () => {
    expect(ruleHits(screen({ items: [item({ origin: 'KP' })] }))).toEqual(['RP-ORIGIN-KP→RED']);
  });

  it('lets the WCO DMS samples (85109000 and 73066199 from the US) through every rule profile', () => {
    expect(ruleHits(screen({}))).toEqual([]);
    expect(ruleHits(screen({ items: [item({ commodityCode: '73066199', description: 'Tubes' })] }))).toEqual([]);
  });
});

describe('RiskProfile', () => {
  const valid = { id: 'RP-X', criteria: [] as Criterion[], channel: 'RED' as const };

  it('requires an approver other than the author (four eyes)', () => {
    expect(() => profile({ ...valid, author: 'analyst:a', approver: 'analyst:a' })).toThrow(/approver must differ/);
  });

  it('rejects a criterion type the rule language does not know, or a misspelt field', () => {
    expect(() => profile({ ...valid, criteria: [{ type: 'hsChapter', chapters: ['93'] } as never] })).toThrow();
    expect(() => profile({ ...valid, criteria: [{ type: 'hsCode', prefix: ['93'] } as never] })).toThrow();
  });

  it('rejects a validTo before validFrom', () => {
    expect(() => profile({ ...valid, validFrom: '2025-01-01', validTo: '2024-12-31' })).toThrow();
  });

  it('rejects a set in which two versions of a profile are in force on the same day', () => {
    const v1 = { ...profile(valid), validTo: '2025-03-03' };
    const v2 = { ...profile({ ...valid, version: 2 }), validFrom: '2025-03-03' };
    expect(() => RiskProfileSet.parse({ profiles: [v1, v2] })).toThrow(/both in force/);
    expect(RiskProfileSet.parse({ profiles: [v1, { ...v2, validFrom: '2025-03-04' }] }).profiles).toHaveLength(2);
  });

  it('defaults to an unscoped RULE profile', () => {
    expect(RiskProfile.parse({ ...profile(valid), scope: undefined, selection: undefined })).toMatchObject({
      scope: {},
      selection: { kind: 'RULE' },
    });
  });
});
