import { describe, expect, it } from 'vitest';
import { OFFICER_DEADLINE_SECONDS, openWorkItem, queueFor, summarise } from '../../../functions/domain/risk/index.js';
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
