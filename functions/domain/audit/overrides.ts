import type { OfficerDecisionLog } from '../risk/decision-log.js';
import type { RiskEvent } from '../risk/measure.js';
import type { Channel } from '../risk/profile.js';

/**
 * Officers' overrides of the risk engine (issue 7; the internal-control question "who released
 * what against the engine's advice"):
 * - `RELEASED_WITHOUT_DISCREPANCY`: the engine held the declaration (RED, YELLOW or QUERY) and an
 *   officer let it go with no discrepancy recorded — released outright, or inspected with none found;
 * - `SELECTED_DURING_STAND_BY`: the engine let a GREEN declaration go and an officer picked it for
 *   control during its stand-by;
 * - `DECIDED_AFTER_ESCALATION`: any decision taken on work escalated to the supervisor after the
 *   officer's deadline.
 */
export const OVERRIDE_KINDS = ['RELEASED_WITHOUT_DISCREPANCY', 'SELECTED_DURING_STAND_BY', 'DECIDED_AFTER_ESCALATION'] as const;
export type OverrideKind = (typeof OVERRIDE_KINDS)[number];

/** The ways a decision departs from the engine's advice; empty when it follows it. */
export function overrideKinds(log: OfficerDecisionLog): OverrideKind[] {
  const kinds: OverrideKind[] = [];
  const standingBy = log.queue === 'stand-by';
  const released = log.decision === 'RELEASE' || (log.decision === 'INSPECTION_RESULT' && log.result === 'NO_DISCREPANCY');
  if (!standingBy && released && log.engineChannel !== undefined && log.engineChannel !== 'GREEN') kinds.push('RELEASED_WITHOUT_DISCREPANCY');
  if (standingBy && log.decision === 'SELECT_FOR_CONTROL') kinds.push('SELECTED_DURING_STAND_BY');
  if (log.escalated) kinds.push('DECIDED_AFTER_ESCALATION');
  return kinds;
}

/** One overriding decision, with what the engine had found. */
export interface OfficerOverride extends OfficerDecisionLog {
  declarationId: string;
  kinds: OverrideKind[];
  /** The declaration's screening: channel, score and the profiles that hit (`id@version`). */
  screening?: { channel: Channel; score?: number; hits: string[] };
}

export interface OfficerOverrideTally {
  decisions: number;
  overrides: number;
  byKind: Partial<Record<OverrideKind, number>>;
}

export interface OverrideReport {
  from: string;
  to: string;
  /** Officer decisions on the declarations completed in the period. */
  decisions: number;
  overrides: OfficerOverride[];
  byKind: Partial<Record<OverrideKind, number>>;
  /** Per officer, how many decisions and how many of them overrode the engine. */
  byOfficer: Record<string, OfficerOverrideTally>;
}

type Screened = Extract<RiskEvent, { type: 'RiskScreened' }>['data'] & { score?: number };

/**
 * The override report over the risk log of the declarations completed from `from` to `to`: every
 * officer decision that departed from the engine's advice (as the decision's log recorded it),
 * oldest first, with the declaration's last screening (score and hits), tallied per kind and per
 * officer.
 */
export function reportOverrides(events: Iterable<RiskEvent>, period: { from: string; to: string }): OverrideReport {
  const logged = [...events];
  const screenings = new Map<string, Screened>();
  for (const event of logged) if (event.type === 'RiskScreened') screenings.set(event.declarationId, event.data as Screened);
  const report: OverrideReport = { from: period.from, to: period.to, decisions: 0, overrides: [], byKind: {}, byOfficer: {} };
  for (const event of logged) {
    if (event.type !== 'OfficerDecisionRecorded') continue;
    const log = event.data;
    const tally = (report.byOfficer[log.officer] ??= { decisions: 0, overrides: 0, byKind: {} });
    report.decisions++;
    tally.decisions++;
    const kinds = overrideKinds(log);
    if (kinds.length === 0) continue;
    tally.overrides++;
    for (const kind of kinds) {
      report.byKind[kind] = (report.byKind[kind] ?? 0) + 1;
      tally.byKind[kind] = (tally.byKind[kind] ?? 0) + 1;
    }
    const screening = screenings.get(event.declarationId);
    report.overrides.push({
      declarationId: event.declarationId,
      ...log,
      kinds,
      ...(screening ? { screening: { channel: screening.channel, score: screening.score, hits: screening.hits.map((h) => `${h.profileId}@${h.version}`) } } : {}),
    });
  }
  report.overrides.sort((a, b) => a.decidedAt.localeCompare(b.decidedAt) || a.declarationId.localeCompare(b.declarationId));
  return report;
}
