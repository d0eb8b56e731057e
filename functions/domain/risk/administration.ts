import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../errors.js';
import { RiskProfile } from './profile.js';

/**
 * Profile administration under change control (issue 6): an analyst drafts a new version, a
 * different person approves it, and it is in force from its `validFrom` date. A version is
 * never edited once approved — a change is a new version, which takes over from its date.
 */

const { version: _version, approver: _approver, ...draftShape } = RiskProfile.shape;

/** What an analyst submits (`POST /risk/profiles`): a profile without version or approver. */
export const ProfileDraft = z.strictObject(draftShape);
export type ProfileDraft = z.infer<typeof ProfileDraft>;

/** A stored profile version: DRAFT until approved, then APPROVED and immutable. */
export interface ProfileVersion {
  profile: Omit<RiskProfile, 'approver'> & { approver?: string };
  status: 'DRAFT' | 'APPROVED';
  draftedAt: string;
  approvedAt?: string;
}

/**
 * The next version of a profile from a draft. A draft identical to the latest draft answers
 * that draft (a retried request) instead of drafting again.
 */
export function draftVersion(draft: ProfileDraft, existing: readonly ProfileVersion[], at: string): { version: ProfileVersion; created: boolean } {
  const own = existing.filter((v) => v.profile.id === draft.id).sort((a, b) => a.profile.version - b.profile.version);
  const latest = own.at(-1);
  if (latest?.status === 'DRAFT' && sameContent(latest.profile, draft)) return { version: latest, created: false };
  const profile = { ...draft, version: (latest?.profile.version ?? 0) + 1 };
  if (profile.validTo !== undefined && profile.validTo < profile.validFrom) {
    throw new ConflictError('validTo must not precede validFrom', '/validTo');
  }
  return { version: { profile, status: 'DRAFT', draftedAt: at }, created: true };
}

/**
 * Approves a draft on `approvedOn` (YYYY-MM-DD, the approval's legal date). Four eyes: the
 * approver must not be the author. A version may not come into force before its approval
 * (screenings already made stand). Approving an approved version again by the same person
 * answers it unchanged (a retried request); anything else about an approved version is refused.
 */
export function approveVersion(version: ProfileVersion, approver: string, at: string, approvedOn: string): { version: ProfileVersion; changed: boolean } {
  const { profile } = version;
  if (version.status === 'APPROVED') {
    if (profile.approver === approver) return { version, changed: false };
    throw new ConflictError(`${profile.id} v${profile.version} is already approved; a change is a new version`);
  }
  if (approver === profile.author) throw new ForbiddenError(`${profile.id} v${profile.version} must be approved by someone other than its author`, '/approver');
  if (profile.validFrom < approvedOn) {
    throw new ConflictError(`${profile.id} v${profile.version} would be in force from ${profile.validFrom}, before its approval on ${approvedOn}`, '/validFrom');
  }
  return { version: { ...version, profile: { ...profile, approver }, status: 'APPROVED', approvedAt: at }, changed: true };
}

/**
 * The profile set screening uses: the approved versions, each in force from its `validFrom`
 * until the day before a later approved version of the same profile takes over (or its own
 * `validTo`). The stored versions are not changed; the hand-over is derived.
 */
export function effectiveProfiles(versions: readonly ProfileVersion[]): RiskProfile[] {
  const approved = versions.filter((v) => v.status === 'APPROVED').map((v) => RiskProfile.parse(v.profile));
  return approved.flatMap((profile) => {
    const successor = approved
      .filter((other) => other.id === profile.id && other.version > profile.version)
      .reduce<string | undefined>((earliest, other) => (earliest === undefined || other.validFrom < earliest ? other.validFrom : earliest), undefined);
    if (successor === undefined) return [profile];
    if (successor <= profile.validFrom) return [];
    const dayBefore = new Date(Date.parse(`${successor}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    return [{ ...profile, validTo: profile.validTo !== undefined && profile.validTo < dayBefore ? profile.validTo : dayBefore }];
  });
}

/**
 * The profile set screening uses: the reference-data profiles (`baseline`, approved through the
 * reference-data release) together with the versions administered over the API. A stored version
 * takes over its own profile from its `validFrom`, as any later version does; every other profile
 * stays as it is — approving one profile never switches the others (or the random control
 * group) off.
 */
export function profileSet(baseline: readonly RiskProfile[], stored: readonly ProfileVersion[]): RiskProfile[] {
  return effectiveProfiles([...baseline.map(asApprovedVersion), ...stored]);
}

/**
 * Every version a new draft is numbered after: the reference-data profiles as approved versions,
 * then the stored ones (a draft of a reference-data profile is its next version, never a second
 * version 1).
 */
export function knownVersions(baseline: readonly RiskProfile[], stored: readonly ProfileVersion[]): ProfileVersion[] {
  return [...baseline.map(asApprovedVersion), ...stored];
}

const asApprovedVersion = (profile: RiskProfile): ProfileVersion => ({ profile, status: 'APPROVED', draftedAt: profile.validFrom });

function sameContent(stored: ProfileVersion['profile'], draft: ProfileDraft): boolean {
  const { version: _v, approver: _a, ...rest } = stored;
  return JSON.stringify(canonical(rest)) === JSON.stringify(canonical(draft));
}

const canonical = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(canonical)
    : value && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, canonical(v)]))
      : value;
