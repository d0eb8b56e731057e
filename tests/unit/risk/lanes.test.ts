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
});
