import { describe, expect, it } from 'vitest';
import { screenDeclaration } from '../../../functions/domain/risk/index.js';
import { context, declaration, item, profile } from './fixtures.js';

const chapter85Red = profile({ id: 'RP-CH85', criteria: [{ type: 'hsCode', prefixes: ['85'] }], channel: 'RED', weight: 70 });
const usYellow = profile({ id: 'RP-US', criteria: [{ type: 'originCountry', countries: ['US'] }], channel: 'YELLOW', weight: 30 });
const cifQuery = profile({ id: 'RP-CIF', criteria: [{ type: 'transactionTerms', terms: ['CIF'] }], channel: 'QUERY', weight: 5 });
const nothing = profile({ id: 'RP-KP', criteria: [{ type: 'originCountry', countries: ['KP'] }], channel: 'RED' });

describe('screenDeclaration', () => {
  it('is GREEN when no profile hits, and says so', () => {
    const result = screenDeclaration(declaration(), context([nothing]));
    expect(result.channel).toBe('GREEN');
    expect(result.hits).toEqual([]);
    expect(result.score).toBe(0);
    expect(result.evaluated).toEqual(['RP-KP@1']);
    expect(result.explanation).toContain('GREEN: none of the 1 profiles in force on 2025-03-03 hit.');
  });

  it('takes the most severe hit (RED > YELLOW > QUERY > GREEN) and lists every hit in the explanation', () => {
    const result = screenDeclaration(declaration(), context([cifQuery, usYellow, chapter85Red, nothing]));
    expect(result.channel).toBe('RED');
    expect(result.hits.map((h) => [h.profileId, h.channel])).toEqual([
      ['RP-CH85', 'RED'],
      ['RP-US', 'YELLOW'],
      ['RP-CIF', 'QUERY'],
    ]);
    expect(result.score).toBe(105);
    expect(result.explanation.split('\n')).toEqual([
      'RED: 3 of the 4 profiles in force on 2025-03-03 hit (score 105).',
      '- RP-CH85@1 → RED (weight 70): item 1 commodity code 85109000 is under 85.',
      '- RP-US@1 → YELLOW (weight 30): item 1 originates in US.',
      '- RP-CIF@1 → QUERY (weight 5): transaction terms CIF.',
      'No random selection applied in lane GB-IMPORT@1.',
    ]);
  });

  it('YELLOW beats QUERY', () => {
    expect(screenDeclaration(declaration(), context([cifQuery, usYellow])).channel).toBe('YELLOW');
  });

  it('records the goods items a profile hit on', () => {
    const twoItems = declaration({ items: [item({ sequence: 1 }), item({ sequence: 2, commodityCode: '85011000' })] });
    expect(screenDeclaration(twoItems, context([chapter85Red])).hits[0].items).toEqual([1, 2]);
  });

  describe('profiles in force', () => {
    const v1 = profile({ ...chapter85Red, validFrom: '2024-01-01', validTo: '2025-03-02' });
    const v2 = profile({ ...chapter85Red, version: 2, validFrom: '2025-03-03', channel: 'YELLOW' });

    it('evaluates only the version in force on the completion date (both ends inclusive)', () => {
      expect(screenDeclaration(declaration(), context([v1, v2], { completedOn: '2025-03-02' })).hits[0]).toMatchObject({
        version: 1,
        channel: 'RED',
      });
      const onChange = screenDeclaration(declaration(), context([v1, v2], { completedOn: '2025-03-03' }));
      expect(onChange.hits[0]).toMatchObject({ version: 2, channel: 'YELLOW' });
      expect(onChange.profileVersions).toEqual({ 'RP-CH85': 2 });
    });

    it('ignores profiles not yet in force', () => {
      const future = profile({ ...chapter85Red, validFrom: '2026-01-01' });
      const result = screenDeclaration(declaration(), context([future]));
      expect(result.evaluated).toEqual([]);
      expect(result.channel).toBe('GREEN');
    });

    it('refuses a completion date that is not YYYY-MM-DD', () => {
      expect(() => screenDeclaration(declaration(), context([v1], { completedOn: '2025-03-03T10:00:00Z' }))).toThrow(
        RangeError,
      );
    });
  });

  describe('profile scope', () => {
    it('skips profiles scoped to another jurisdiction, direction, office or trade mode', () => {
      const scoped = [
        profile({ ...chapter85Red, id: 'RP-CN', scope: { jurisdictions: ['CN'] } }),
        profile({ ...chapter85Red, id: 'RP-EXPORT', scope: { direction: 'EXPORT' } }),
        profile({ ...chapter85Red, id: 'RP-OFFICE', scope: { offices: ['GBDVR'] } }),
        profile({ ...chapter85Red, id: 'RP-0214', scope: { tradeModes: ['0214'] } }),
        profile({ ...usYellow, scope: { jurisdictions: ['GB'], direction: 'IMPORT' } }),
      ];
      const result = screenDeclaration(declaration(), context(scoped));
      expect(result.evaluated).toEqual(['RP-US@1']);
      expect(result.channel).toBe('YELLOW');
      expect(screenDeclaration(declaration({ office: 'GBDVR' }), context(scoped)).evaluated).toContain('RP-OFFICE@1');
    });
  });

  it('is deterministic: the same inputs give the same result', () => {
    const random = profile({
      id: 'RP-RANDOM',
      criteria: [],
      channel: 'YELLOW',
      selection: { kind: 'RANDOM', rateByLane: { 'GB-IMPORT': '0.5' } },
    });
    const ctx = context([random, chapter85Red, usYellow]);
    expect(screenDeclaration(declaration(), ctx)).toEqual(screenDeclaration(declaration(), { ...ctx }));
  });
});
