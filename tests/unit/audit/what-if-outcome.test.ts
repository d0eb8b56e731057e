import { describe, expect, it } from 'vitest';
import { summariseWhatIf, whatIfOutcome } from '../../../functions/domain/audit/what-if.js';
import type { HistoryEvent } from '../../../functions/domain/history/index.js';

/** A history of events of the given types and data (only what the comparison reads). */
const history = (...events: [string, Record<string, unknown>?][]) =>
  events.map(([type, data = {}], index) => ({ declarationId: 'D-1', seq: index + 1, type, data }) as unknown as HistoryEvent);
const screened = (channel = 'GREEN') => ['RiskScreened', { channel, hits: [] }] as [string, Record<string, unknown>];
const taxed = (duty: string) => ['TaxAssessed', { lines: [{ itemSequence: 1, type: 'DUTY', amount: duty, currency: 'CNY' }] }] as [string, Record<string, unknown>];

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

  it('compares an amended declaration within its first version, the one a replay runs', () => {
    const recorded = history(screened(), taxed('100.00'), ['DeclarationAmended'], screened(), taxed('150.00'));
    expect(whatIfOutcome(recorded, history(screened(), taxed('110.00')))).toMatchObject({ taxDelta: { CNY: '10.00' } });
  });

  it('adds up the revenue effect of the counted declarations, and says how many were left out and why', () => {
    const counted = whatIfOutcome(history(screened(), taxed('100.00')), history(screened(), taxed('120.00')));
    const failed = whatIfOutcome(history(screened(), ['DeclarationFailed']), history(screened(), taxed('500.00')));
    expect(summariseWhatIf([counted, failed])).toMatchObject({ declarations: 2, revenueEffect: { CNY: '20.00' }, excluded: { FAILED: 1 } });
  });
});
