import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityAccounts } from '../../functions/shared/dependencies.js';
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

/**
 * CN-1 invoiced in CNY at its converted value (USD 100000 × 7.1000 = CNY 710000), so no exchange
 * rate is needed on any date, paid in the monthly batch.
 */
const monthly = (lrn: string) => {
  const declaration = exampleJson('cn/CN-1.json');
  declaration.items[0].invoiceAmount = '710000';
  return { ...declaration, lrn, invoiceCurrency: 'CNY', payment: { method: 'MONTHLY', account: 'GUA-2248-2025-00001' } };
};

describe('monthly batch payment (汇总征税, 关税法 Art. 43 para 1) on the local runtime', () => {
  it('is refused at receipt, with CWY-PAY-006, for a declaration completed before 2024-12-01', async () => {
    const { id } = (await api.post('/declarations', monthly('MONTHLY-OLD-1'))).body;
    const view = await api.until(id, finished);
    expect(view.status).toBe('REJECTED');
    expect(JSON.stringify(view.history.at(-1).data)).toContain('CWY-PAY-006');
  });

  describe('a declaration completed on 2025-09-16', () => {
    let id: string;

    it('is released before payment, its taxes on the 2025-09 statement due on the fifth working day of October', async () => {
      clock.set(Date.parse('2025-09-16T02:00:00Z'));
      id = (await api.post('/declarations', monthly('MONTHLY-1'))).body.id;
      const view = await api.until(id, finished);
      expect(view.status).toBe('RELEASED');
      expect(view.security).toMatchObject({ method: 'MONTHLY', accountId: 'GUA-2248-2025-00001', statementPeriod: '2025-09' });
      // October 2025 (国办发明电〔2024〕12号): 10-01…10-08 closed; 10-09, 10-10, Sat 10-11 (make-up), 10-13, 10-14.
      expect(view.paymentDeadline).toBe('2025-10-14');
      const settled = view.history.find((e: any) => e.type === 'PaymentSettled');
      expect(settled.data).toMatchObject({ secured: true, deadline: '2025-10-14', rule: 'CN/rule/monthly-payment-deadline@1' });
      expect(view.ledger.balance).toBe(view.taxTotal.amount);
    });

    it('charges the late fee from the day after the fifth working day (Art. 43 para 2) and releases the guarantee', async () => {
      clock.set(Date.parse('2025-10-16T02:00:00Z'));
      const { taxTotal } = (await api.get(`/declarations/${id}`)).body;
      // CIF CNY 710000.00: duty 10 % 71000.00 + VAT 13 % of 781000.00 = 101530.00 (worked example CN-1).
      expect(taxTotal.amount).toBe('172530.00');
      // Paid 2025-10-16, two days after 10-14: 172530.00 × 0.05 % × 2 = 172.53.
      const paid = await api.post(`/declarations/${id}/payments`, { amount: '172702.53', currency: 'CNY', reference: 'BATCH-2025-09' });
      expect(paid).toMatchObject({ status: 202, body: { payment: { lateFee: '172.53' } } });
      expect((await api.get(`/declarations/${id}`)).body.ledger.balance).toBe('0.00');
      expect(await securityAccounts().inUse('GUA-2248-2025-00001')).toBe(0);
    });
  });
});
