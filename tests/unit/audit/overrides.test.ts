import { describe, expect, it } from 'vitest';
import { overrideKinds, reportOverrides } from '../../../functions/domain/audit/overrides.js';
import { decisionsInHistory, type OfficerDecisionLog, type RiskEvent } from '../../../functions/domain/risk/index.js';

const at = (minute: number) => `2025-05-20T02:${String(minute).padStart(2, '0')}:00.000Z`;
const step = { actor: 'clearway:risk' };
const screened = (channel: string) => ({ ...step, type: 'RiskScreened', occurredAt: at(0), data: { channel, hits: [], score: 0 } });
const review = (channel: string, escalated = false, minute = 1) => ({ ...step, type: 'OfficerReviewRequested', occurredAt: at(minute), data: { channel, escalated } });
/** A decision made with officer-1's token; the body names someone else, which does not count. */
const decided = (data: Record<string, unknown>, minute = 2) => ({ type: 'OfficerDecisionRecorded', actor: 'officer:officer-1', occurredAt: at(minute), data: { officer: 'named-in-body', ...data } });

describe('decisionsInHistory — each officer decision with the hold it answered and the engine\'s advice', () => {
  it('a RED hold released on an inspection that found nothing, by the officer whose token decided', () => {
    expect(decisionsInHistory([screened('RED'), review('RED'), decided({ decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', findings: [], reason: 'known trader' })])).toEqual([{
      officer: 'officer-1', decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', reason: 'known trader', decidedAt: at(2), channel: 'RED', queue: 'inspection', escalated: false, engineChannel: 'RED',
    }]);
  });

  it('a GREEN declaration standing by, picked for control, then released from the hold the officer chose', () => {
    const logs = decisionsInHistory([
      screened('GREEN'),
      { ...step, type: 'StandByStarted', occurredAt: at(1), data: { channel: 'GREEN', standBySeconds: 600 } },
      decided({ decision: 'SELECT_FOR_CONTROL', channel: 'RED' }, 2),
      review('RED', false, 3),
      decided({ decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', findings: [] }, 4),
    ]);
    expect(logs.map((l) => [l.decision, l.queue, l.channel, l.engineChannel, l.result])).toEqual([
      ['SELECT_FOR_CONTROL', 'stand-by', 'GREEN', 'GREEN', undefined],
      ['INSPECTION_RESULT', 'inspection', 'RED', 'GREEN', 'NO_DISCREPANCY'],
    ]);
  });

  it('a decision on escalated work sits in the supervisor queue', () => {
    const [log] = decisionsInHistory([screened('YELLOW'), review('YELLOW'), review('YELLOW', true, 3), decided({ decision: 'REJECT' }, 4)]);
    expect(log).toMatchObject({ queue: 'supervisor', escalated: true, decision: 'REJECT' });
  });
});

describe('overrideKinds', () => {
  const log = (changes: Partial<OfficerDecisionLog>): OfficerDecisionLog => ({
    officer: 'o', decision: 'RELEASE', decidedAt: at(2), channel: 'RED', queue: 'inspection', escalated: false, engineChannel: 'RED', ...changes,
  });

  it('a held declaration released with no discrepancy — outright or after an inspection that found none', () => {
    expect(overrideKinds(log({}))).toEqual(['RELEASED_WITHOUT_DISCREPANCY']);
    expect(overrideKinds(log({ decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY' }))).toEqual(['RELEASED_WITHOUT_DISCREPANCY']);
    expect(overrideKinds(log({ channel: 'YELLOW', queue: 'document-review', engineChannel: 'YELLOW' }))).toEqual(['RELEASED_WITHOUT_DISCREPANCY']);
  });

  it('follows the engine: a discrepancy found, a rejection, documents requested', () => {
    expect(overrideKinds(log({ decision: 'INSPECTION_RESULT', result: 'DISCREPANCY' }))).toEqual([]);
    expect(overrideKinds(log({ decision: 'REJECT' }))).toEqual([]);
    expect(overrideKinds(log({ decision: 'REQUEST_DOCUMENTS' }))).toEqual([]);
  });

  it('a release from a hold the officer chose (the engine said GREEN) overrides nothing', () => {
    expect(overrideKinds(log({ engineChannel: 'GREEN' }))).toEqual([]);
  });

  it('SELECT_FOR_CONTROL during a GREEN stand-by; any decision after escalation', () => {
    expect(overrideKinds(log({ decision: 'SELECT_FOR_CONTROL', channel: 'GREEN', queue: 'stand-by', engineChannel: 'GREEN' }))).toEqual(['SELECTED_DURING_STAND_BY']);
    expect(overrideKinds(log({ decision: 'RELEASE', channel: 'GREEN', queue: 'stand-by', engineChannel: 'GREEN' }))).toEqual([]);
    expect(overrideKinds(log({ queue: 'supervisor', escalated: true }))).toEqual(['RELEASED_WITHOUT_DISCREPANCY', 'DECIDED_AFTER_ESCALATION']);
    expect(overrideKinds(log({ decision: 'REJECT', queue: 'supervisor', escalated: true }))).toEqual(['DECIDED_AFTER_ESCALATION']);
  });
});

describe('reportOverrides — per decision, per kind, per officer', () => {
  it('lists the overriding decisions with the screening they departed from', () => {
    const screening = (declarationId: string, channel: string): RiskEvent => ({
      declarationId, type: 'RiskScreened', data: { channel, score: 90, hits: [{ profileId: 'RP-ORIGIN-KP', version: 1 }] } as any,
    });
    const decision = (declarationId: string, data: Partial<OfficerDecisionLog>): RiskEvent => ({
      declarationId, type: 'OfficerDecisionRecorded',
      data: { officer: 'officer-1', decision: 'RELEASE', decidedAt: at(5), channel: 'RED', queue: 'inspection', escalated: false, engineChannel: 'RED', ...data },
    });
    const report = reportOverrides([
      screening('d1', 'RED'), decision('d1', { decidedAt: at(9) }),
      screening('d2', 'RED'), decision('d2', { decision: 'INSPECTION_RESULT', result: 'DISCREPANCY', officer: 'officer-2' }),
      screening('d3', 'GREEN'), decision('d3', { decision: 'SELECT_FOR_CONTROL', channel: 'GREEN', queue: 'stand-by', engineChannel: 'GREEN', officer: 'officer-2', decidedAt: at(3) }),
    ], { from: '2025-05-20', to: '2025-05-20' });
    expect(report).toMatchObject({
      decisions: 3,
      byKind: { RELEASED_WITHOUT_DISCREPANCY: 1, SELECTED_DURING_STAND_BY: 1 },
      byOfficer: {
        'officer-1': { decisions: 1, overrides: 1, byKind: { RELEASED_WITHOUT_DISCREPANCY: 1 } },
        'officer-2': { decisions: 2, overrides: 1, byKind: { SELECTED_DURING_STAND_BY: 1 } },
      },
    });
    expect(report.overrides.map((o) => [o.declarationId, o.kinds])).toEqual([['d3', ['SELECTED_DURING_STAND_BY']], ['d1', ['RELEASED_WITHOUT_DISCREPANCY']]]);
    expect(report.overrides[1].screening).toEqual({ channel: 'RED', score: 90, hits: ['RP-ORIGIN-KP@1'] });
  });
});
