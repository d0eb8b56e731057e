import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dec } from '../../functions/domain/tax/index.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-11-20T02:00:00Z'));
});
afterAll(() => runtime?.stop());

const at = (iso: string) => clock.set(Date.parse(iso));
const overdue = () => runtime.queues.peek('paymentOverdue').map((m) => (m.body as any).detail.declarationId);
const notice = (view: any) => view.history.find((e: any) => e.type === 'TaxNoticeIssued').data;

/**
 * A tobacco-leaf import (chapter 24 is held for document review, so the tax notice is issued on
 * the day the officer releases it, days after completion), invoiced in CNY, paid by the bank.
 */
const tobacco = (lrn: string) => {
  const declaration = exampleJson('cn/CN-1.json');
  declaration.items[0].commodityCode = '2401201000';
  declaration.items[0].description = 'Flue-cured tobacco leaf, partly stemmed';
  return { ...declaration, lrn, invoiceCurrency: 'CNY' };
};
const submitHeld = async (lrn: string) => {
  const { id } = (await api.post('/declarations', tobacco(lrn))).body;
  await api.until(id, (v) => v.status === 'HELD');
  return id as string;
};
const release = async (id: string) => {
  expect((await api.post(`/declarations/${id}/decisions`, { decision: 'RELEASE', officer: 'officer-7' })).status).toBe(202);
  return api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
};

describe('the payment period on both sides of 2024-12-01, end to end', () => {
  let before: string;
  let after: string;

  // The officer decides within the two days before the hold is escalated.
  it('completed 2024-11-20, noticed 2024-11-21: 15 days from the tax notice → 2024-12-06, not 12-05 (进出口关税条例 2017 Art. 37)', async () => {
    before = await submitHeld('CLOCK-2024-11-20');
    at('2024-11-21T02:00:00Z');
    const view = await release(before);
    expect(notice(view)).toMatchObject({ deadline: '2024-12-06', rule: 'CN/rule/payment-deadline@1' });
  });

  it('completed 2024-12-05, noticed 2024-12-06: 15 days from completion → 2024-12-20, not from the notice (关税法 Art. 43)', async () => {
    at('2024-12-05T02:00:00Z');
    after = await submitHeld('CLOCK-2024-12-05');
    at('2024-12-06T02:00:00Z');
    const view = await release(after);
    expect(notice(view)).toMatchObject({ deadline: '2024-12-20', rule: 'CN/rule/payment-deadline@2' });
  });

  it('raises PaymentOverdue for the old-rule declaration only once 2024-12-06 has ended in Beijing', async () => {
    at('2024-12-06T15:59:00Z'); // 23:59 on 12-06, UTC+8: still in time
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(overdue()).not.toContain(before);
    at('2024-12-06T16:00:00Z'); // 00:00 on 12-07
    await expect.poll(overdue).toContain(before);
    expect(overdue()).not.toContain(after);
  });

  it('charges the old-rule declaration one day of late fee when paid on 2024-12-07', async () => {
    at('2024-12-07T02:00:00Z');
    const { taxTotal } = (await api.get(`/declarations/${before}`)).body;
    // 关税法 Art. 43 para 2 / 条例 Art. 37: 0.05 % of the tax per day late, half-up to the fen.
    const fee = new Dec(taxTotal.amount).times('0.0005').toDecimalPlaces(2, Dec.ROUND_HALF_UP);
    const paid = await api.post(`/declarations/${before}/payments`, {
      amount: new Dec(taxTotal.amount).plus(fee).toFixed(2), currency: 'CNY', reference: 'BANK-OLD',
    });
    expect(paid).toMatchObject({ status: 202, body: { payment: { lateFee: fee.toFixed(2) } } });
    expect((await api.until(before, finished)).status).toBe('RELEASED');
  });

  it('raises PaymentOverdue for the new-rule declaration after 2024-12-20 (a notice-based period would run to Mon 12-23)', async () => {
    at('2024-12-20T16:00:00Z'); // 00:00 on 12-21 in Beijing
    await expect.poll(overdue).toContain(after);
    // The exception is routed before the workflow records its second wait: poll the history.
    const awaited = async () => (await api.get(`/declarations/${after}`)).body.history
      .filter((e: any) => e.type === 'PaymentAwaited').map((e: any) => e.data.overdue);
    await expect.poll(awaited).toEqual([false, true]);
  });
});
