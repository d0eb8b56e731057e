/**
 * What a declarant sends while the workflow is still writing (QA finding: a cancellation sent
 * right after submission was answered CANCELLED and then rolled back by a workflow step holding
 * an older view; an amendment's version was lost the same way). Every change answered as applied
 * must stay applied; a change that raced a step is answered 409 and can be sent again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  // CN-5's date (examples/manifest.json): beer, CNY, paid by the bank.
  ({ runtime, api } = await startTestPlatform('2025-07-01T02:00:00Z'));
});
afterAll(() => runtime?.stop());

const beer = (lrn: string) => ({ ...exampleJson('cn/CN-5.json'), lrn });
const execution = (name: string) =>
  (runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.lifecycle }) as any).executions.find((e: any) => e.name === name);
/** Waits until the executions of versions `from`…`to` have ended. */
const ended = async (id: string, from: number, to: number) => {
  for (let v = from; v <= to; v++) await expect.poll(() => execution(`${id}-v${v}`)?.status, { timeout: 10_000 }).not.toBe('RUNNING');
};

/** Sends until the platform answers something other than a concurrency conflict. */
async function send(path: string, body: unknown) {
  for (;;) {
    const answer = await api.post(path, body);
    if (answer.status !== 409 || answer.body.code !== 'Conflict') return answer;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('changes a declarant sends while the workflow writes', () => {
  it('keeps a cancellation sent right after submission, whatever step it meets', async () => {
    for (let i = 0; i < 8; i++) {
      const { id } = (await api.post('/declarations', beer(`RACE-CANCEL-${i}`))).body;
      const cancelled = await send(`/declarations/${id}/cancellation`, { reason: 'duplicate shipment' });
      expect(cancelled).toMatchObject({ status: 202, body: { outcome: 'APPLIED' } });
      await ended(id, 1, 1);
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(view.status, JSON.stringify(view.history.map((e: any) => e.type))).toBe('CANCELLED');
      const late = { reasonCode: '28', reason: 'mass', changes: [{ op: 'replace', path: '/items/0/netMassKg', value: '10001' }] };
      expect(await api.post(`/declarations/${id}/amendments`, late)).toMatchObject({ status: 409 });
    }
  });

  it('keeps every amendment it answered as applied, in the version it named', async () => {
    for (let i = 0; i < 3; i++) {
      const { id } = (await api.post('/declarations', beer(`RACE-AMEND-${i}`))).body;
      await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      const change = (path: string, value: string) => ({ reasonCode: '28', reason: 'mass corrected', changes: [{ op: 'replace', path, value }] });
      const [first, second] = await Promise.all([
        send(`/declarations/${id}/amendments`, change('/items/0/netMassKg', '10001')),
        new Promise((resolve) => setTimeout(resolve, 1)).then(() => send(`/declarations/${id}/amendments`, change('/items/0/grossMassKg', '11501'))),
      ]);
      const applied = [first, second].filter((a) => a.status === 202).map((a) => a.body.version);
      // Every superseded version's execution ends; the newest waits for the bank.
      await ended(id, 1, Math.max(...applied) - 1);
      const view = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT' && v.version === Math.max(...applied));
      expect(view.version).toBe(Math.max(...applied));
      if (first.status === 202) expect(view.declaration.items[0].netMassKg).toBe('10001');
      if (second.status === 202) expect(view.declaration.items[0].grossMassKg).toBe('11501');
      const paid = await send(`/declarations/${id}/payments`, { amount: view.taxTotal.amount, currency: 'CNY', reference: `BANK-RACE-${i}` });
      expect(paid.status).toBe(202);
    }
  });
});
