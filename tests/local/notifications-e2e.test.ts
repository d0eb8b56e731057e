import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationStore } from '../../functions/shared/dependencies.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { ttIm001a } from '../support/declarations.js';
import { example, exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
});
afterAll(() => runtime?.stop());

const BROKER = 'GB603202734852';
const broker = () => api.as({ role: 'declarant', org: BROKER });

/** How many of these notifications' pushes wait to retry (their execution's last event entered the Wait state). */
function waitingToRetry(notificationIds: string[]): number {
  const executions = (runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.notificationPush }) as any).executions;
  return executions
    .filter((e: any) => notificationIds.some((id) => e.name === `push-${id}`))
    .filter((e: any) => (runtime.stepFunctions.getExecutionHistory({ executionArn: e.executionArn, reverseOrder: true, maxResults: 1 }) as any).events[0]?.type === 'WaitStateEntered')
    .length;
}

/** A webhook on this machine that answers `status()` and keeps what it received. */
async function webhook(status: () => number) {
  const received: { body: any; signature?: string; raw: string }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      received.push({ raw, body: JSON.parse(raw), signature: req.headers['x-clearway-signature'] as string | undefined });
      res.writeHead(status()).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cds`, received, close: () => new Promise((r) => server.close(r)) };
}

describe('notifications (CDS DMS set): pull', () => {
  let id: string;

  it('tells the declarant of every change of TT_IM001a, in order, with HMRC\'s codes', async () => {
    id = (await api.post('/declarations', example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml')).body.id;
    const view = await api.until(id, finished);
    const pulled = (await broker().get(`/notifications?declarationId=${id}`)).body;
    expect(pulled.notifications.map((n: any) => [n.code, n.functionCode])).toEqual([
      ['DMSRCV', '02'], ['DMSACC', '01'], ['DMSTAX', '13'], ['DMSTAX', '13'], ['DMSCLE', '09'],
    ]);
    const [received, accepted, assessed, secured] = pulled.notifications;
    expect(received).toMatchObject({ declarationId: id, lrn: '7847767E1WB6', org: BROKER, version: 1, event: { type: 'DeclarationSubmitted', seq: 1 } });
    expect(accepted).toMatchObject({ mrn: view.entryNumber, details: { entryNumber: view.entryNumber } });
    // As HMRC's DMSTAX for this declaration (examples/wco-dms/TT_IM001a/Example_Notifications/02_DMSTAX.xml): A00 20.00, B00 204.00.
    expect(assessed.details.lines.map((l: any) => [l.code, l.base, l.amount])).toEqual([['A00', '1000.00', '20.00'], ['B00', '1020.00', '204.00']]);
    expect(secured.details).toMatchObject({ stage: 'SECURED', method: 'DEFERMENT', amount: '224.00', currency: 'GBP' });
    expect(new Date(received.expiresAt).getTime() - new Date(received.issuedAt).getTime()).toBe(14 * 86_400_000);
  });

  it('pages through the queue with the cursor it answers, missing nothing', async () => {
    const all = (await broker().get(`/notifications?declarationId=${id}`)).body.notifications.map((n: any) => n.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await broker().get(`/notifications?declarationId=${id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
      paged.push(...page.notifications.map((n: any) => n.id));
      cursor = page.cursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(await broker().get('/notifications?cursor=not-a-cursor')).toMatchObject({ status: 422, body: { pointer: '/cursor' } });
  });

  it('shows an organisation only its own notifications', async () => {
    const other = await api.as({ role: 'declarant', org: 'GB553202734852' }).get('/notifications');
    expect(other.body.notifications.filter((n: any) => n.declarationId === id)).toEqual([]);
  });

  it('takes an acknowledged notification out of the queue, once; another organisation cannot acknowledge it', async () => {
    const [first] = (await broker().get(`/notifications?declarationId=${id}`)).body.notifications;
    expect((await api.as({ role: 'declarant', org: 'GB553202734852' }).post(`/notifications/${first.id}/acknowledgement`, {})).status).toBe(404);
    const acknowledged = await broker().post(`/notifications/${first.id}/acknowledgement`, {});
    expect(acknowledged).toMatchObject({ status: 200, body: { id: first.id } });
    clock.advance(1000);
    expect((await broker().post(`/notifications/${first.id}/acknowledgement`, {})).body.acknowledgedAt).toBe(acknowledged.body.acknowledgedAt);
    const open = (await broker().get(`/notifications?declarationId=${id}`)).body.notifications.map((n: any) => n.id);
    expect(open).not.toContain(first.id);
    expect((await broker().get(`/notifications?status=ACKNOWLEDGED`)).body.notifications.map((n: any) => n.id)).toContain(first.id);
  });

  it('is not offered to officers (a declarant\'s queue)', async () => {
    expect((await api.as({ role: 'officer' }).get('/notifications')).status).toBe(403);
  });
});

describe('notifications: push to a registered webhook, retried and expiring', () => {
  it('refuses a plain-http webhook off this machine', async () => {
    const answer = await broker().put('/notifications/webhook', { url: 'http://example.com/hook' });
    expect(answer).toMatchObject({ status: 422, body: { pointer: '/url' } });
  });

  it('retries while the endpoint answers 503, then delivers each notification once, signed', async () => {
    let up = false;
    const hook = await webhook(() => (up ? 200 : 503));
    try {
      const secret = 'a-shared-secret-of-the-broker';
      expect((await broker().put('/notifications/webhook', { url: hook.url, secret })).status).toBe(200);
      const { id } = (await api.post('/declarations', { ...ttIm001a(), lrn: 'PUSH-1' })).body;
      await api.until(id, finished);
      const ids = (await broker().get(`/notifications?declarationId=${id}`)).body.notifications.map((n: any) => n.id);
      await expect.poll(() => waitingToRetry(ids), { timeout: 10_000 }).toBe(5);
      expect(hook.received).toHaveLength(5);

      up = true;
      clock.advance(150_000); // the CDS cadence: 2.5 minutes after a 5xx
      await expect.poll(() => hook.received.length, { timeout: 10_000 }).toBe(10);
      const delivered = hook.received.slice(5);
      expect(delivered.map((r) => r.body.code).sort()).toEqual(['DMSACC', 'DMSCLE', 'DMSRCV', 'DMSTAX', 'DMSTAX']);
      for (const r of delivered) expect(r.signature).toBe(`sha256=${createHmac('sha256', secret).update(r.raw).digest('hex')}`);

      // Each attempt is recorded once the webhook has answered.
      const pushes = async () => (await notificationStore().list(BROKER, false, { limit: 100, issuedFrom: '2000-01-01', declarationId: id })).items.map((n) => n.push);
      await expect.poll(pushes, { timeout: 10_000 }).toEqual(Array.from({ length: 5 }, () => expect.objectContaining({ status: 'DELIVERED', attempts: 2 })));
      clock.advance(3_600_000);
      expect(hook.received).toHaveLength(10); // nothing pushed twice
    } finally {
      await broker().delete('/notifications/webhook');
      await hook.close();
    }
  });

  it('gives up on a notification two weeks after it was issued (expiry)', async () => {
    const importer = api.as({ role: 'declarant', org: '91310115MA1FL5G29G' });
    const hook = await webhook(() => 500);
    try {
      clock.set(Date.parse('2025-05-20T02:00:00Z'));
      await importer.put('/notifications/webhook', { url: hook.url });
      const { id } = (await api.post('/declarations', { ...exampleJson('cn/CN-1.json'), lrn: 'PUSH-EXPIRY-1' })).body;
      await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      const issued = (await importer.get(`/notifications?declarationId=${id}`)).body.notifications;
      expect(issued.map((n: any) => n.code)).toEqual(['DMSRCV', 'DMSACC', 'DMSTAX', 'DMSTAX']);
      const ids = issued.map((n: any) => n.id);
      await expect.poll(() => waitingToRetry(ids), { timeout: 10_000 }).toBe(4);
      // Each push retries once, 2.5 minutes after its 500, and waits again; then the two weeks are over.
      clock.advance(150_000);
      await expect.poll(() => hook.received.length, { timeout: 10_000 }).toBe(8);
      await expect.poll(async () => (await Promise.all(ids.map((n: string) => notificationStore().get('91310115MA1FL5G29G', n)))).every((n) => n?.push?.attempts === 2), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => waitingToRetry(ids), { timeout: 10_000 }).toBe(4);

      clock.set(Date.parse(issued[0].expiresAt) + 1000);
      await expect.poll(async () => (await notificationStore().get('91310115MA1FL5G29G', issued[0].id))?.push?.status, { timeout: 10_000 }).toBe('EXPIRED');
      const expired = await notificationStore().get('91310115MA1FL5G29G', issued[0].id);
      expect(expired?.push).toMatchObject({ status: 'EXPIRED', attempts: 2, lastResult: '500' });
      // Past their two weeks they are no longer offered for pulling either.
      const pulled = (await importer.get(`/notifications?declarationId=${id}`)).body.notifications.map((n: any) => n.id);
      expect(pulled).not.toContain(issued[0].id);
    } finally {
      await importer.delete('/notifications/webhook');
      await hook.close();
    }
  });
});
