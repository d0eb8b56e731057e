import { describe, expect, it } from 'vitest';
import { ReferenceDataMissingError } from '../../../functions/domain/errors.js';
import { Lane, laneFor, screenDeclaration } from '../../../functions/domain/risk/index.js';
import { context, declaration, gbImportLane, profile } from './fixtures.js';

const lane = (changes: Record<string, unknown>) => Lane.parse({ ...gbImportLane, ...changes });
const doverLane = lane({ id: 'GB-IMPORT-DOVER', offices: ['GBDVR'], minimumRandomRate: '0.04' });
const exportLane = lane({ id: 'GB-EXPORT', direction: 'EXPORT' });
const cnLane = lane({ id: 'CN-IMPORT', jurisdiction: 'CN' });
const lanes = [gbImportLane, doverLane, exportLane, cnLane];

describe('lane parameters', () => {
  describe('laneFor', () => {
    it("picks the jurisdiction's default lane for the declaration's direction", () => {
      expect(laneFor(declaration(), lanes, '2025-03-03').id).toBe('GB-IMPORT');
      expect(laneFor(declaration({ direction: 'EXPORT' }), lanes, '2025-03-03').id).toBe('GB-EXPORT');
      expect(laneFor(declaration({ jurisdiction: 'CN' }), lanes, '2025-03-03').id).toBe('CN-IMPORT');
    });

    it('prefers a lane naming the declaration office over the default lane', () => {
      expect(laneFor(declaration({ office: 'GBDVR' }), lanes, '2025-03-03').id).toBe('GB-IMPORT-DOVER');
      expect(laneFor(declaration({ office: 'GBFXT' }), lanes, '2025-03-03').id).toBe('GB-IMPORT');
    });

    it('takes the version in force on the date, the most recently effective among equals', () => {
      const old = lane({ validTo: '2025-03-02' });
      const current = lane({ version: 2, validFrom: '2025-03-03' });
      expect(laneFor(declaration(), [old, current], '2025-03-02').version).toBe(1);
      expect(laneFor(declaration(), [old, current], '2025-03-03').version).toBe(2);
    });

    it('fails with ReferenceDataMissing when no lane is in force', () => {
      expect(() => laneFor(declaration(), [exportLane], '2025-03-03')).toThrow(ReferenceDataMissingError);
      expect(() => laneFor(declaration(), [lane({ validFrom: '2026-01-01' })], '2025-03-03')).toThrow(
        ReferenceDataMissingError,
      );
    });
  });

  describe('Lane schema', () => {
    it('requires the expected channel rates to add up to 1', () => {
      const rates = { GREEN: '0.90', YELLOW: '0.06', RED: '0.03', QUERY: '0.02' };
      expect(() => lane({ expectedRates: rates })).toThrow(/add up to 1/);
    });

    it('requires a rate for every channel and a multiplier for every credit class', () => {
      expect(() => lane({ expectedRates: { GREEN: '1' } })).toThrow();
      expect(() => lane({ creditClassMultipliers: { REGULAR: '1' } })).toThrow();
    });
  });

  describe('random rate per lane', () => {
    const random = profile({
      id: 'RP-RANDOM',
      criteria: [],
      channel: 'YELLOW',
      selection: { kind: 'RANDOM', rateByLane: { 'GB-IMPORT': '0.02' } },
    });
    const thresholdIn = (changes = {}) =>
      screenDeclaration(declaration(changes), context([random], { lanes })).randomDraw!.threshold;

    it("uses the profile's rate for the lane the declaration is screened in", () => {
      expect(thresholdIn()).toBe(0.02);
    });

    it("falls back to the lane's minimum random rate when the profile names no rate for the lane", () => {
      expect(thresholdIn({ office: 'GBDVR' })).toBe(0.04);
    });

    it('records the lane version the screening used', () => {
      expect(screenDeclaration(declaration(), context([random], { lanes })).lane).toEqual({ id: 'GB-IMPORT', version: 1 });
    });
  });

  describe('maximum hits without selection', () => {
    // Criteria that hold on TT_IM001a (US origin); a 0.01 % sampling rate the draw (almost) never meets.
    const sample = profile({ id: 'RP-US', criteria: [{ type: 'originCountry', countries: ['US'] }], channel: 'YELLOW', selection: { kind: 'SAMPLE', rate: '0.0001' } });
    const capped = [lane({ maximumHitsWithoutSelection: 3 })];
    const screen = (unselectedHits: Record<string, number>, lanesInForce = capped, profiles = [sample]) =>
      screenDeclaration(declaration(), context(profiles, { lanes: lanesInForce, unselectedHits }));

    it('lets hits through unselected while fewer than the maximum passed in a row, and counts them', () => {
      const result = screen({ 'RP-US@1': 2 });
      expect(result.channel).toBe('GREEN');
      expect(result.sampleOutcomes).toEqual([{ profile: 'RP-US@1', selected: false, unselectedBefore: 2 }]);
    });

    it('selects the next hit once the maximum passed unselected, and says why', () => {
      const result = screen({ 'RP-US@1': 3 });
      expect(result.channel).toBe('YELLOW');
      expect(result.hits[0].draw).toMatchObject({ selected: true, forced: true });
      expect(result.sampleOutcomes).toEqual([{ profile: 'RP-US@1', selected: true, unselectedBefore: 3 }]);
      expect(result.explanation).toMatch(/maximum hits without selection was reached/);
    });

    it('never forces a lane without a maximum, nor the random control group', () => {
      expect(screen({ 'RP-US@1': 1000 }, [gbImportLane]).channel).toBe('GREEN');
      const random = profile({ id: 'RP-RANDOM', criteria: [], channel: 'RED', selection: { kind: 'RANDOM', rateByLane: { 'GB-IMPORT': '0.0001' } } });
      const result = screen({ 'RP-RANDOM@1': 1000 }, capped, [random]);
      expect(result.channel).toBe('GREEN');
      expect(result.sampleOutcomes).toEqual([]);
    });
  });

  describe('stand-by before green release', () => {
    const standBy = [lane({ standBySeconds: 900 })];

    it('holds a GREEN declaration for the stand-by the lane sets', () => {
      const result = screenDeclaration(declaration(), context([], { lanes: standBy }));
      expect(result).toMatchObject({ channel: 'GREEN', standBySeconds: 900 });
      expect(result.explanation).toMatch(/Stands by 900 s before release/);
    });

    it('does not hold a declaration an officer will see anyway, nor one in a lane without stand-by', () => {
      const red = profile({ id: 'RP-RED', criteria: [{ type: 'originCountry', countries: ['US'] }], channel: 'RED' });
      expect(screenDeclaration(declaration(), context([red], { lanes: standBy })).standBySeconds).toBeUndefined();
      expect(screenDeclaration(declaration(), context([])).standBySeconds).toBeUndefined();
    });
  });

  describe('query lane', () => {
    const query = profile({ id: 'RP-VALUE', criteria: [{ type: 'originCountry', countries: ['US'] }], channel: 'QUERY' });

    it('sends QUERY hits to the query lane where the office runs one', () => {
      expect(screenDeclaration(declaration(), context([query])).channel).toBe('QUERY');
    });

    it('sends them to document review where it runs none', () => {
      const result = screenDeclaration(declaration(), context([query], { lanes: [lane({ queryLane: false })] }));
      expect(result.channel).toBe('YELLOW');
      expect(result.explanation).toMatch(/runs no query lane: document review instead/);
    });
  });
});
