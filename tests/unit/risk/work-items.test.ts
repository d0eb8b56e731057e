import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../functions/domain/errors.js';
import { OFFICER_DEADLINE_SECONDS, checkDecisionFits, openWorkItem, queueFor, summarise } from '../../../functions/domain/risk/index.js';
import { declaration, item } from './fixtures.js';

describe('queueFor', () => {
  it('sends document review, inspection and query channels to their own queues', () => {
    expect([queueFor('YELLOW', false), queueFor('RED', false), queueFor('QUERY', false)]).toEqual(['document-review', 'inspection', 'query']);
  });

  it('sends escalated work to the supervisor whatever the channel', () => {
    expect([queueFor('YELLOW', true), queueFor('RED', true), queueFor('QUERY', true)]).toEqual(['supervisor', 'supervisor', 'supervisor']);
  });

  it('refuses GREEN, which is never held', () => {
    expect(() => queueFor('GREEN', false)).toThrow(RangeError);
  });
});

describe('summarise', () => {
  it('shows the parties, distinct commodity codes and origins, and the invoice total', () => {
    const summary = summarise(declaration({
      items: [item({ sequence: 1 }), item({ sequence: 2, commodityCode: '24012010', origin: 'CN', invoiceAmount: '250.5' })],
    }));
    expect(summary).toEqual({
      lrn: '7847767E1WB6', jurisdiction: 'GB', direction: 'IMPORT', declarant: 'GB553202734852', importer: 'GB553202734852',
      items: 2, commodityCodes: ['24012010', '85109000'], origins: ['CN', 'US'], invoiceTotal: { amount: '1250.50', currency: 'GBP' },
    });
  });
});

describe('openWorkItem', () => {
  const open = (escalated: boolean) => openWorkItem({
    declarationId: 'DECL-1', version: 1, channel: 'RED', escalated, at: '2025-03-03T10:00:00.000Z', explanation: 'RED: …', declaration: declaration(),
  });

  it('is OPEN in the channel queue, keeps a reference to the task token, and is due when AwaitOfficer times out', () => {
    // workflows/declaration-lifecycle.asl.json AwaitOfficer: TimeoutSeconds 172800 (2 days).
    expect(OFFICER_DEADLINE_SECONDS).toBe(172_800);
    expect(open(false)).toMatchObject({
      queue: 'inspection', status: 'OPEN', taskTokenRef: { declarationId: 'DECL-1', kind: 'officer' }, dueAt: '2025-03-05T10:00:00.000Z', escalated: false,
    });
  });

  it('re-opens with the supervisor once escalated', () => {
    expect(open(true)).toMatchObject({ queue: 'supervisor', status: 'OPEN', escalated: true, channel: 'RED' });
  });
});

describe('checkDecisionFits', () => {
  const fits = (queue: any, channel: any, decision: any) => () => checkDecisionFits('D-1', { queue, channel }, decision);

  it('releases a declaration selected for inspection only on the inspection\'s result (海关法 Art. 28)', () => {
    expect(fits('inspection', 'RED', 'RELEASE')).toThrow(ConflictError);
    expect(fits('supervisor', 'RED', 'RELEASE')).toThrow(ConflictError);
    expect(fits('inspection', 'RED', 'INSPECTION_RESULT')).not.toThrow();
    expect(fits('inspection', 'RED', 'REJECT')).not.toThrow();
    expect(fits('document-review', 'YELLOW', 'RELEASE')).not.toThrow();
  });

  it('lets a declaration standing by be released or selected for control, and nothing else', () => {
    expect(fits('stand-by', 'GREEN', 'RELEASE')).not.toThrow();
    expect(fits('stand-by', 'GREEN', 'SELECT_FOR_CONTROL')).not.toThrow();
    expect(fits('stand-by', 'GREEN', 'REJECT')).toThrow(ConflictError);
    expect(fits('inspection', 'RED', 'SELECT_FOR_CONTROL')).toThrow(ConflictError);
  });
});
