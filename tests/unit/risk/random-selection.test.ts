import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { screenDeclaration, selectionDraw, type RiskProfile } from '../../../functions/domain/risk/index.js';
import { context, declaration, profile } from './fixtures.js';

const randomProfile = (rate: string, channel: RiskProfile['channel'] = 'YELLOW') =>
  profile({ id: 'RP-RANDOM', criteria: [], channel, weight: 10, selection: { kind: 'RANDOM', rateByLane: { 'GB-IMPORT': rate } } });

/** Share of `count` declaration ids the draw selects at `threshold`. */
function selectedShare(count: number, threshold: number, seed: string, prefix = 'DECL-'): number {
  let selected = 0;
  for (let i = 0; i < count; i++) {
    if (selectionDraw(`${prefix}${i}`, { id: 'RP-RANDOM', version: 1 }, seed) < threshold) selected++;
  }
  return selected / count;
}

describe('selectionDraw', () => {
  it('is HMAC-SHA-256 keyed by the seed over [declarationId, profileId, version], first 48 bits over 2^48', () => {
    // printf %s '["DECL-1","RP-RANDOM",1]' | openssl dgst -sha256 -hmac 'test-seed'
    //   → b21d379d2c52…; 0xb21d379d2c52 / 2^48 = 0.6957583197329953 (python3)
    expect(selectionDraw('DECL-1', { id: 'RP-RANDOM', version: 1 }, 'test-seed')).toBe(0.6957583197329953);
  });

  it('changes with the profile version and the seed', () => {
    const base = selectionDraw('DECL-1', { id: 'RP-RANDOM', version: 1 }, 'test-seed');
    expect(selectionDraw('DECL-1', { id: 'RP-RANDOM', version: 2 }, 'test-seed')).not.toBe(base);
    expect(selectionDraw('DECL-1', { id: 'RP-RANDOM', version: 1 }, 'other-seed')).not.toBe(base);
  });

  it('is stable under replay: the same inputs always give the same draw in [0, 1)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.nat(), fc.string({ minLength: 1 }), (id, profileId, version, seed) => {
        const draw = selectionDraw(id, { id: profileId, version }, seed);
        expect(draw).toBeGreaterThanOrEqual(0);
        expect(draw).toBeLessThan(1);
        expect(selectionDraw(id, { id: profileId, version }, seed)).toBe(draw);
      }),
    );
  });

  it('converges to the target rate: 5 % ± 1 percentage point over 20,000 declaration ids, whatever the seed', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.stringMatching(/^[A-Z]{2,6}-$/), (seed, prefix) => {
        const share = selectedShare(20_000, 0.05, seed, prefix);
        expect(Math.abs(share - 0.05)).toBeLessThanOrEqual(0.01);
      }),
      { numRuns: 5 },
    );
  });
});

describe('random selection in screening', () => {
  it('records the draw, the threshold and whether it selected, and explains it', () => {
    // The draw of DECL-1 under test-seed is 0.6957583197329953 (see above): not selected at 5 %, selected at 75 %.
    const notSelected = screenDeclaration(declaration(), context([randomProfile('0.05')]));
    expect(notSelected.randomDraw).toEqual({
      profileId: 'RP-RANDOM',
      profileVersion: 1,
      value: 0.6957583197329953,
      threshold: 0.05,
      selected: false,
    });
    expect(notSelected.channel).toBe('GREEN');
    expect(notSelected.explanation).toContain(
      'Random selection RP-RANDOM@1 in lane GB-IMPORT@1 for a REGULAR trader: 0.695758 ≥ threshold 0.05, not selected.',
    );

    const selected = screenDeclaration(declaration(), context([randomProfile('0.75')]));
    expect(selected.channel).toBe('YELLOW');
    expect(selected.hits[0]).toMatchObject({ profileId: 'RP-RANDOM', criteria: [], draw: { selected: true } });
  });

  it('selects about its rate of many declarations through the whole screening', () => {
    const profiles = [randomProfile('0.05')];
    const declared = declaration();
    let yellow = 0;
    for (let i = 0; i < 20_000; i++) {
      if (screenDeclaration(declared, context(profiles, { declarationId: `CW-${i}` })).channel === 'YELLOW') yellow++;
    }
    expect(Math.abs(yellow / 20_000 - 0.05)).toBeLessThanOrEqual(0.01);
  });

  it('is replay-stable as a whole: the same declaration, profiles and seed give the same screening, explanation included', () => {
    const profiles = [randomProfile('0.3')];
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 8, maxLength: 20 }), (declarationId, seed) => {
        const ctx = context(profiles, { declarationId, seed });
        expect(screenDeclaration(declaration(), ctx)).toEqual(screenDeclaration(declaration(), { ...ctx, profiles: [...profiles].reverse() }));
      }),
    );
  });

  it('does not roll again for an amendment: the declaration version is not drawn on', () => {
    const ctx = context([randomProfile('0.5')]);
    const v1 = screenDeclaration(declaration(), ctx);
    const v2 = screenDeclaration(declaration(), { ...ctx, version: 2 });
    expect(v2.randomDraw).toEqual(v1.randomDraw);
  });
});

describe('credit class as a multiplier on selection probability', () => {
  // gbImportLane: ADVANCED_CERTIFIED × 0.5, REGULAR × 1, DISTRUSTED × 3, minimum random rate 0.01.
  const thresholdFor = (rate: string, traderCreditClass?: 'ADVANCED_CERTIFIED' | 'REGULAR' | 'DISTRUSTED') =>
    screenDeclaration(declaration(), context([randomProfile(rate)], { traderCreditClass })).randomDraw!.threshold;

  it('scales the random rate by the class multiplier of the lane', () => {
    expect(thresholdFor('0.05', 'ADVANCED_CERTIFIED')).toBe(0.025);
    expect(thresholdFor('0.05', 'REGULAR')).toBe(0.05);
    expect(thresholdFor('0.05')).toBe(0.05);
    expect(thresholdFor('0.05', 'DISTRUSTED')).toBe(0.15);
  });

  it('never takes the random rate below the lane minimum, nor a probability above 1', () => {
    expect(thresholdFor('0.015', 'ADVANCED_CERTIFIED')).toBe(0.01);
    expect(thresholdFor('0.5', 'DISTRUSTED')).toBe(1);
  });

  it('scales SAMPLE profiles too, without a floor', () => {
    const sampled = profile({
      id: 'RP-SAMPLE',
      criteria: [{ type: 'hsCode', prefixes: ['85'] }],
      channel: 'YELLOW',
      selection: { kind: 'SAMPLE', rate: '0.01' },
    });
    const result = screenDeclaration(declaration(), context([sampled], { traderCreditClass: 'ADVANCED_CERTIFIED' }));
    expect(result.draws).toEqual([expect.objectContaining({ profileId: 'RP-SAMPLE', threshold: 0.005 })]);
  });

  it('is a weighting, not a hard rule: a better class is selected less often, but never never', () => {
    const declared = declaration();
    const shares = (['ADVANCED_CERTIFIED', 'REGULAR', 'DISTRUSTED'] as const).map((creditClass) => {
      const profiles = [randomProfile('0.05')];
      let selected = 0;
      for (let i = 0; i < 5_000; i++) {
        const ctx = context(profiles, { declarationId: `CW-${i}`, traderCreditClass: creditClass });
        if (screenDeclaration(declared, ctx).randomDraw!.selected) selected++;
      }
      return selected;
    });
    expect(shares[0]).toBeGreaterThan(0);
    expect(shares[0]).toBeLessThan(shares[1]);
    expect(shares[1]).toBeLessThan(shares[2]);
  });

  it('keeps selections nested: whoever is selected as ADVANCED_CERTIFIED is selected as REGULAR too (same draw)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (declarationId) => {
        const screen = (traderCreditClass: 'ADVANCED_CERTIFIED' | 'REGULAR') =>
          screenDeclaration(declaration(), context([randomProfile('0.2')], { declarationId, traderCreditClass })).randomDraw!;
        if (screen('ADVANCED_CERTIFIED').selected) expect(screen('REGULAR').selected).toBe(true);
      }),
    );
  });
});
