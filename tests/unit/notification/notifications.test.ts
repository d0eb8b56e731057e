import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOTIFICATION_CODES, WebhookRegistration, classifyAnswer, isExpired, nextPush, notificationFor } from '../../../functions/domain/notification/index.js';

const state = { id: 'D1', version: 1, status: 'ACCEPTED', traderId: 'GB603202734852', lrn: '7847767E1WB6', entryNumber: '24GB00000000000001' };
const change = (type: string, data: Record<string, unknown> = {}, seq = 2) => ({ type, seq, occurredAt: '2024-02-22T10:09:37.000Z', data });

describe('notifications (the CDS DMS set)', () => {
  it('uses the DMS function codes of HMRC\'s notification table', () => {
    // reference-data/code-tables/cds-dms-notification-codes.csv (HMRC end-to-end service guide)
    const table = readFileSync(new URL('../../../reference-data/code-tables/cds-dms-notification-codes.csv', import.meta.url), 'utf8');
    const published = new Map(table.trim().split('\n').slice(1).map((line) => line.split(',')).map(([code, name]) => [name, code]));
    for (const [name, { functionCode }] of Object.entries(NOTIFICATION_CODES)) expect(published.get(name), name).toBe(functionCode);
  });

  it('reports acceptance as DMSACC with the entry number, for the declarant\'s organisation', () => {
    const notification = notificationFor(change('DeclarationAccepted', { acceptedAt: '2024-02-22T10:09:37.000Z', entryNumber: state.entryNumber }), state)!;
    expect(notification).toMatchObject({
      code: 'DMSACC', functionCode: '01', org: state.traderId, mrn: state.entryNumber, lrn: state.lrn, event: { type: 'DeclarationAccepted', seq: 2 },
      expiresAt: '2024-03-07T10:09:37.000Z',
    });
    expect(notification.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('gives the same change the same id (a retried step never notifies twice)', () => {
    const once = notificationFor(change('DeclarationReleased'), state)!;
    expect(notificationFor(change('DeclarationReleased'), state)!.id).toBe(once.id);
    expect(notificationFor(change('DeclarationReleased', {}, 3), state)!.id).not.toBe(once.id);
  });

  it('maps the control channels: red to DMSCTL, yellow to DMSDOC, query to DMSQRY; an escalation tells the trader nothing', () => {
    expect(notificationFor(change('OfficerReviewRequested', { channel: 'RED' }), state)!.code).toBe('DMSCTL');
    expect(notificationFor(change('OfficerReviewRequested', { channel: 'YELLOW' }), state)!.code).toBe('DMSDOC');
    expect(notificationFor(change('OfficerReviewRequested', { channel: 'QUERY' }), state)!.code).toBe('DMSQRY');
    expect(notificationFor(change('OfficerReviewRequested', { channel: 'RED', escalated: true }), state)).toBeUndefined();
  });

  it('tells nothing of a tax that is not there: no DMSTAX for a clearance request assessed nothing, or for settling zero', () => {
    expect(notificationFor(change('TaxAssessed', { lines: [], total: { amount: '0.00', currency: 'GBP' } }), state)).toBeUndefined();
    expect(notificationFor(change('PaymentSettled', { method: 'IMMEDIATE', amount: '0.00', currency: 'GBP' }), state)).toBeUndefined();
    expect(notificationFor(change('PaymentSettled', { method: 'DEFERMENT', amount: '224.00', currency: 'GBP', secured: true }), state)).toMatchObject({ code: 'DMSTAX', details: { stage: 'SECURED' } });
  });

  it('tells the tax effect of an amendment granted after release (DMSTAX REASSESSED), and nothing when it changes no tax', () => {
    const refund = { total: { amount: '161595.00', currency: 'CNY' }, established: { amount: '170100.00', currency: 'CNY' }, effect: { kind: 'REFUND', amount: '8505.00', interest: { amount: '21.91' } } };
    expect(notificationFor(change('TaxReassessed', refund), state)).toMatchObject({ code: 'DMSTAX', details: { stage: 'REASSESSED', effect: 'REFUND', amount: '8505.00', interest: '21.91' } });
    expect(notificationFor(change('TaxReassessed', { ...refund, effect: { kind: 'NO_TAX_EFFECT', currency: 'CNY' } }), state)).toBeUndefined();
  });

  it('tells the bank\'s payment of a supplementary assessment after release (DMSTAX PAID), with what it settled', () => {
    const released = { ...state, status: 'RELEASED' };
    const settles = [{ kind: 'SUPPLEMENTARY_ASSESSMENT', amount: '17010.00', reference: 'E1-v2' }, { kind: 'LATE_FEE', amount: '2253.83', reference: 'E1-v2' }];
    const paid = change('PostClearancePaymentReceived', { amount: '19263.83', currency: 'CNY', reference: 'BANK-SUPP-1', paidAt: '2026-03-02T03:00:00.000Z', settles, balanceBefore: '19263.83' });
    expect(notificationFor(paid, released)).toMatchObject({
      code: 'DMSTAX', status: 'RELEASED', event: { type: 'PostClearancePaymentReceived' },
      details: { stage: 'PAID', amount: '19263.83', currency: 'CNY', reference: 'BANK-SUPP-1', settles: ['SUPPLEMENTARY_ASSESSMENT', 'LATE_FEE'] },
    });
  });

  it('keeps internal steps to itself: risk screening, audit selection, supersession', () => {
    for (const type of ['RiskScreened', 'AuditSelectionMade', 'ExecutionSuperseded', 'DocumentsSubmitted']) expect(notificationFor(change(type), state)).toBeUndefined();
  });

  it('answers additional messages: registered (DMSRCV), decided (DMSREQ), applied (DMSRES, DMSINV)', () => {
    expect(notificationFor(change('AmendmentRequested', { reason: 'x' }), state)!.code).toBe('DMSRCV');
    expect(notificationFor(change('AdditionalMessageDecided', { kind: 'CANCELLATION', decision: 'REFUSE' }), state)).toMatchObject({ code: 'DMSREQ', details: { accepted: false } });
    expect(notificationFor(change('DeclarationAmended', { version: 2 }), state)!.code).toBe('DMSRES');
    expect(notificationFor(change('DeclarationCancelled', { reason: 'duplicate' }), state)!.code).toBe('DMSINV');
  });

  it('expires two weeks after it was issued', () => {
    const notification = notificationFor(change('DeclarationReleased'), state)!;
    expect(isExpired(notification, '2024-03-07T10:09:36.999Z')).toBe(false);
    expect(isExpired(notification, '2024-03-07T10:09:37.000Z')).toBe(true);
  });
});

describe('pushing to the webhook (HMRC CDS push: retry every 2.5 minutes on 5xx or no answer, 10 minutes otherwise, two weeks)', () => {
  const notification = { issuedAt: '2024-02-22T10:00:00.000Z', expiresAt: '2024-03-07T10:00:00.000Z' };

  it('classifies answers', () => {
    expect(classifyAnswer(204)).toEqual({ kind: 'DELIVERED', status: 204 });
    expect(classifyAnswer(503)).toEqual({ kind: 'UNAVAILABLE', status: 503 });
    expect(classifyAnswer(undefined, 'TimeoutError')).toEqual({ kind: 'UNAVAILABLE', error: 'TimeoutError' });
    expect(classifyAnswer(404)).toEqual({ kind: 'REFUSED', status: 404 });
    expect(classifyAnswer(302)).toEqual({ kind: 'REFUSED', status: 302 });
  });

  it('retries after 150 s while unavailable and after 600 s when refused, on the first day', () => {
    expect(nextPush(notification, '2024-02-22T10:00:00.000Z', classifyAnswer(500))).toEqual({ outcome: 'RETRY', waitSeconds: 150 });
    expect(nextPush(notification, '2024-02-22T10:00:00.000Z', classifyAnswer(401))).toEqual({ outcome: 'RETRY', waitSeconds: 600 });
  });

  it('retries hourly after the first day (a Standard execution holds 25,000 events), never past the expiry, then gives up', () => {
    expect(nextPush(notification, '2024-02-23T10:00:00.000Z', classifyAnswer(500))).toEqual({ outcome: 'RETRY', waitSeconds: 3600 });
    expect(nextPush(notification, '2024-03-07T09:59:00.000Z', classifyAnswer(500))).toEqual({ outcome: 'RETRY', waitSeconds: 60 });
    expect(nextPush(notification, '2024-03-07T10:00:00.000Z', classifyAnswer(500))).toEqual({ outcome: 'EXPIRED' });
    expect(nextPush(notification, '2024-02-22T10:00:00.000Z', classifyAnswer(200))).toEqual({ outcome: 'DELIVERED' });
  });

  it('takes an https webhook anywhere, plain http only on this machine', () => {
    expect(WebhookRegistration.safeParse({ url: 'https://broker.example/cds' }).success).toBe(true);
    expect(WebhookRegistration.safeParse({ url: 'http://127.0.0.1:8080/cds' }).success).toBe(true);
    expect(WebhookRegistration.safeParse({ url: 'http://broker.example/cds' }).success).toBe(false);
    expect(WebhookRegistration.safeParse({ url: 'ftp://broker.example/cds' }).success).toBe(false);
  });

  it('never pushes inside the cloud: no private, loopback, link-local or metadata address over https, no credentials in the URL', () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data', 'https://10.0.0.1/', 'https://172.16.5.4/', 'https://192.168.1.1/', 'https://100.64.0.1/',
      'https://127.0.0.1/', 'https://localhost/', 'https://[::1]/', 'https://[fd00::1]/', 'https://[fe80::1]/', 'https://[::ffff:10.0.0.1]/',
      'https://user:pw@broker.example/cds',
    ]) {
      expect({ url, ok: WebhookRegistration.safeParse({ url }).success }).toEqual({ url, ok: false });
    }
    expect(WebhookRegistration.safeParse({ url: 'https://203.0.113.10/cds' }).success).toBe(true);
    expect(WebhookRegistration.safeParse({ url: 'https://[2001:db8::1]/cds' }).success).toBe(true);
  });
});
