import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError } from '../../../functions/domain/errors.js';
import { ProfileDraft, approveVersion, draftVersion, effectiveProfiles, type ProfileVersion } from '../../../functions/domain/risk/index.js';

const draft = (changes: Record<string, unknown> = {}) => ProfileDraft.parse({
  id: 'RP-SHAVERS', author: 'analyst:a', rationale: 'undervalued shaver parts', validFrom: '2025-03-10',
  criteria: [{ type: 'hsCode', prefixes: ['8510'] }], channel: 'RED', weight: 40, ...changes,
});
const approved = (d = draft(), existing: ProfileVersion[] = []) =>
  approveVersion(draftVersion(d, existing, '2025-03-01T09:00:00Z').version, 'head:b', '2025-03-01T10:00:00Z', '2025-03-01').version;

describe('draftVersion', () => {
  it('numbers versions per profile from 1', () => {
    const first = approved();
    const second = draftVersion(draft({ weight: 60 }), [first], '2025-03-02T09:00:00Z');
    expect([first.profile.version, second.version.profile.version, second.version.status]).toEqual([1, 2, 'DRAFT']);
  });

  it('answers the same draft when it is sent again', () => {
    const { version } = draftVersion(draft(), [], '2025-03-01T09:00:00Z');
    expect(draftVersion(draft(), [version], '2025-03-01T09:05:00Z')).toEqual({ version, created: false });
  });
});

describe('approveVersion', () => {
  const drafted = draftVersion(draft(), [], '2025-03-01T09:00:00Z').version;

  it('approves by someone other than the author (four eyes)', () => {
    expect(() => approveVersion(drafted, 'analyst:a', '2025-03-01T10:00:00Z', '2025-03-01')).toThrow(ForbiddenError);
    expect(approveVersion(drafted, 'head:b', '2025-03-01T10:00:00Z', '2025-03-01').version).toMatchObject({
      status: 'APPROVED', approvedAt: '2025-03-01T10:00:00Z', profile: { approver: 'head:b', version: 1 },
    });
  });

  it('never changes an approved version; the same approval again is answered unchanged', () => {
    const version = approved();
    expect(() => approveVersion(version, 'head:c', '2025-03-02T10:00:00Z', '2025-03-02')).toThrow(ConflictError);
    expect(approveVersion(version, 'head:b', '2025-03-02T10:00:00Z', '2025-03-02')).toEqual({ version, changed: false });
  });

  it('refuses a version that would be in force before it is approved', () => {
    expect(() => approveVersion(drafted, 'head:b', '2025-03-11T10:00:00Z', '2025-03-11')).toThrow(ConflictError);
  });
});

describe('effectiveProfiles', () => {
  it('ignores drafts, and hands over from an approved version to the next on its validFrom', () => {
    const v1 = approved();
    const v2 = approved(draft({ weight: 60, validFrom: '2025-04-01' }), [v1]);
    const v3 = draftVersion(draft({ weight: 70 }), [v1, v2], '2025-03-03T09:00:00Z').version;
    expect(effectiveProfiles([v1, v2, v3]).map((p) => [p.version, p.validFrom, p.validTo])).toEqual([
      [1, '2025-03-10', '2025-03-31'],
      [2, '2025-04-01', undefined],
    ]);
    expect(v1.profile.validTo).toBeUndefined();
  });
});
