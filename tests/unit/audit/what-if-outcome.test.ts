import { describe, expect, it } from 'vitest';
import { summariseWhatIf, whatIfOutcome } from '../../../functions/domain/audit/what-if.js';
import type { HistoryEvent } from '../../../functions/domain/history/index.js';

/** A history of events of the given types and data (only what the comparison reads). */
const history = (...events: [string, Record<string, unknown>?][]) =>
  events.map(([type, data = {}], index) => ({ declarationId: 'D-1', seq: index + 1, type, data }) as unknown as HistoryEvent);
const screened = (channel = 'GREEN') => ['RiskScreened', { channel, hits: [] }] as [string, Record<string, unknown>];
const taxed = (duty: string) => ['TaxAssessed', { lines: [{ itemSequence: 1, type: 'DUTY', amount: duty, currency: 'CNY' }] }] as [string, Record<string, unknown>];
const reassessedAt = (duty: string) => ['TaxReassessed', { version: 2, lines: [{ itemSequence: 1, type: 'DUTY', amount: duty, currency: 'CNY' }] }] as [string, Record<string, unknown>];
const amended = (version: number) => ['DeclarationAmended', { version, previousVersion: version - 1 }] as [string, Record<string, unknown>];

describe('whatIfOutcome', () => {
  it('counts the difference a what-if makes to the tax a declaration collected', () => {
    const outcome = whatIfOutcome(history(screened(), taxed('100.00'), ['DeclarationReleased']), history(screened(), taxed('120.00')));
    expect(outcome).toMatchObject({ taxDelta: { CNY: '20.00' } });
    expect(outcome.excluded).toBeUndefined();
  });

  it('leaves out a declaration that ended without revenue, or was never assessed as recorded (QA: a failed one counted its whole tax)', () => {
    expect(whatIfOutcome(history(screened(), ['DeclarationFailed']), history(screened(), taxed('6013000.00')))).toMatchObject({ excluded: 'FAILED', taxDelta: {} });
    expect(whatIfOutcome(history(screened(), taxed('100.00'), ['DeclarationCancelled']), history(screened(), taxed('120.00')))).toMatchObject({ excluded: 'CANCELLED', taxDelta: {} });
    expect(whatIfOutcome(history(screened('RED'), ['OfficerReviewRequested']), history(screened(), taxed('120.00')))).toMatchObject({ excluded: 'NOT_ASSESSED', taxDelta: {} });
  });

  it('compares an amended declaration in the version in force on both sides, not its superseded first version (user report: version 1\'s figures)', () => {
    // Amended before settlement: version 2 screened and assessed anew, as the replay follows it.
    const recorded = history(screened(), taxed('100.00'), amended(2), screened(), taxed('150.00'));
    const replayed = history(screened(), taxed('110.00'), amended(2), screened(), taxed('165.00'));
    const outcome = whatIfOutcome(recorded, replayed);
    expect(outcome.taxLines).toEqual([expect.objectContaining({ type: 'DUTY', recorded: '150.00', replayed: '165.00', delta: '15.00' })]);
    expect(outcome).toMatchObject({ taxDelta: { CNY: '15.00' } });
    expect(outcome.excluded).toBeUndefined();
  });

  it('takes an amendment granted after release at the tax its TaxReassessed put in force (no second TaxAssessed)', () => {
    const afterRelease = (duty: string, reassessed: string) =>
      history(screened(), taxed(duty), ['PaymentReceived'], ['DeclarationReleased'], ['AmendmentRequested'], ['AdditionalMessageDecided'], amended(2), reassessedAt(reassessed));
    const outcome = whatIfOutcome(afterRelease('100.00', '150.00'), afterRelease('120.00', '180.00'));
    expect(outcome.taxLines).toEqual([expect.objectContaining({ recorded: '150.00', replayed: '180.00', delta: '30.00' })]);
    expect(outcome.channel).toMatchObject({ recorded: 'GREEN', replayed: 'GREEN', changed: false });
  });

  it('does not compare versions that differ: a what-if that did not reach the version in force is left out, not measured on version 1', () => {
    const recorded = history(screened(), taxed('100.00'), amended(2), screened(), taxed('150.00'));
    expect(whatIfOutcome(recorded, history(screened(), taxed('110.00')))).toMatchObject({ excluded: 'VERSION_NOT_REPLAYED', taxDelta: {}, taxLines: [] });
  });

  it('leaves out a version in force that was never assessed, rather than its predecessor\'s tax', () => {
    // Amended while version 1 waited for payment; version 2 still held for an officer when the history ends.
    const recorded = history(screened(), taxed('100.00'), amended(2), screened('RED'), ['OfficerReviewRequested']);
    const replayed = history(screened(), taxed('110.00'), amended(2), screened('RED'), ['OfficerReviewRequested']);
    expect(whatIfOutcome(recorded, replayed)).toMatchObject({ excluded: 'NOT_ASSESSED', taxDelta: {}, unassessed: true });
  });

  it('leaves a cancelled declaration out of the revenue effect even when it was amended first, and counts it apart', () => {
    const recorded = history(screened(), taxed('100.00'), amended(2), screened(), taxed('150.00'), ['DeclarationCancelled']);
    const replayed = history(screened(), taxed('110.00'), amended(2), screened(), taxed('165.00'), ['DeclarationCancelled']);
    const outcome = whatIfOutcome(recorded, replayed);
    expect(outcome).toMatchObject({ excluded: 'CANCELLED', taxDelta: {} });
    expect(summariseWhatIf([outcome])).toMatchObject({ revenueEffect: {}, excluded: { CANCELLED: 1 } });
  });

  it('adds up the revenue effect of the counted declarations, and says how many were left out and why', () => {
    const counted = whatIfOutcome(history(screened(), taxed('100.00')), history(screened(), taxed('120.00')));
    const failed = whatIfOutcome(history(screened(), ['DeclarationFailed']), history(screened(), taxed('500.00')));
    expect(summariseWhatIf([counted, failed])).toMatchObject({ declarations: 2, revenueEffect: { CNY: '20.00' }, excluded: { FAILED: 1 } });
  });
});
