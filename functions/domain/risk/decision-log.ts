import type { OfficerDecision } from './inspection.js';
import type { Channel } from './profile.js';
import { queueFor, type WorkQueue } from './work-item.js';

/**
 * An officer's decision with what it answered: the hold (channel, queue, escalated or not) and
 * what the risk engine had advised (the screened channel). The risk log keeps one per decision so
 * the decisions that overrode the engine can be reported (issue 7, internal control).
 */
export interface OfficerDecisionLog {
  /** The officer who decided: the subject of the token the decision was made with. */
  officer: string;
  decision: OfficerDecision['decision'];
  /** The inspection's result, for an INSPECTION_RESULT. */
  result?: 'NO_DISCREPANCY' | 'DISCREPANCY';
  reason?: string;
  decidedAt: string;
  /** The channel the declaration was held in (GREEN while standing by before release). */
  channel: Channel;
  queue: WorkQueue;
  /** The officer's deadline had passed and the work was with the supervisor. */
  escalated: boolean;
  /** The channel the risk engine screened the declaration to; absent without a screening. */
  engineChannel?: Channel;
}

/** A history event as the walk reads it. */
interface Recorded {
  type: string;
  actor: string;
  occurredAt: string;
  data: unknown;
}

/**
 * The officer decisions a declaration's history records, in order, each with the hold it answered
 * and the engine's advice before it: `RiskScreened` sets the advice, `StandByStarted` and
 * `OfficerReviewRequested` the hold, `OfficerDecisionRecorded` is the decision. Decisions on
 * requests made after release (`AdditionalMessageDecided`) are not risk decisions and are left out.
 */
export function decisionsInHistory(events: readonly Recorded[]): OfficerDecisionLog[] {
  const decisions: OfficerDecisionLog[] = [];
  let engineChannel: Channel | undefined;
  let hold: Pick<OfficerDecisionLog, 'channel' | 'queue' | 'escalated'> | undefined;
  for (const { type, actor, occurredAt, data: recorded } of events) {
    const data = recorded as Record<string, unknown>;
    if (type === 'RiskScreened') {
      engineChannel = data.channel as Channel;
    } else if (type === 'StandByStarted') {
      hold = { channel: 'GREEN', queue: 'stand-by', escalated: false };
    } else if (type === 'OfficerReviewRequested') {
      const channel = data.channel as Exclude<Channel, 'GREEN'>;
      const escalated = data.escalated === true;
      hold = { channel, queue: queueFor(channel, escalated), escalated };
    } else if (type === 'OfficerDecisionRecorded' && hold) {
      const decision = data as unknown as OfficerDecision;
      decisions.push({
        // Who acted is who the token said (the event's actor), whatever name the body gave.
        officer: actor.replace(/^officer:/, ''),
        decision: decision.decision,
        ...(decision.decision === 'INSPECTION_RESULT' ? { result: decision.result } : {}),
        ...(decision.reason ? { reason: decision.reason } : {}),
        decidedAt: occurredAt,
        ...hold,
        ...(engineChannel ? { engineChannel } : {}),
      });
    }
  }
  return decisions;
}
