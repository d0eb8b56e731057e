import { describe, expect, it } from 'vitest';
import { isCurrentVersion } from '../../../functions/domain/declaration/index.js';

describe('isCurrentVersion', () => {
  it('lets work on the declaration\'s own version be recorded', () => {
    expect(isCurrentVersion({ version: 2, status: 'ASSESSED' }, 2)).toBe(true);
  });

  it('refuses work on a version an amendment replaced, or one a cancellation ended', () => {
    expect(isCurrentVersion({ version: 3, status: 'SUBMITTED' }, 2)).toBe(false);
    expect(isCurrentVersion({ version: 1, status: 'CANCELLED' }, 1)).toBe(false);
  });
});
