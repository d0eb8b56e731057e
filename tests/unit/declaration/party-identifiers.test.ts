import { describe, expect, it } from 'vitest';
import { isGbEori, isUsccFormat, usccCheckCharacter } from '../../../functions/domain/declaration/index.js';
import { STANDARD_USCC } from './fixtures.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('computes the check character of the standard\'s own example, 91350100M000100Y4 → 3', () => {
    expect(usccCheckCharacter(STANDARD_USCC.slice(0, 17))).toBe('3');
  });

  it('writes a remainder of 31 as 0 (§5: C18 = 31 − (Σ Ci·Wi mod 31), 31 → 0)', () => {
    // 17 zeros weigh nothing: 31 − 0 = 31, written 0
    expect(usccCheckCharacter('0'.repeat(17))).toBe('0');
  });

  it('uses letters for check values 10..30 from the 31-character set without I, O, S, V, Z', () => {
    // "1" in position 1 weighs 3^0 = 1: 31 − 1 = 30 → Y, the last character of the set
    expect(usccCheckCharacter(`1${'0'.repeat(16)}`)).toBe('Y');
    // position 2 weighs 3^1 = 3: 31 − 3 = 28 → W (…R T U W X Y)
    expect(usccCheckCharacter(`01${'0'.repeat(15)}`)).toBe('W');
  });

  it.each([
    [STANDARD_USCC, true],
    ['91350100M000100Y4', false], // 17 characters
    ['91350100M000100Y43X', false], // 19 characters
    ['9135010OM000100Y43', false], // letter O in the administrative-division digits
    ['91350100M0001I0Y43', false], // I is not in the code set
    ['913501OOM000100Y43', false],
  ])('checks the form of %s → %s', (code, expected) => {
    expect(isUsccFormat(code)).toBe(expected);
  });
});

describe('GB EORI', () => {
  it.each([
    ['GB603202734852', true], // TT_IM001a declarant (12 digits)
    ['GB553202734852000', true], // 15 digits
    ['GB60320273485', false],
    ['GB6032027348521', false], // 13 digits
    ['XI603202734852', false],
    ['gb603202734852', false],
  ])('%s → %s', (eori, expected) => {
    expect(isGbEori(eori)).toBe(expected);
  });
});
