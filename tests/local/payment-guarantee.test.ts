import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityAccounts } from '../../functions/shared/dependencies.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2025-05-15T02:00:00Z'));
});
afterAll(() => runtime?.stop());

const types = (view: any): string[] => view.history.map((event: any) => event.type);
const queued = (queue: string) => runtime.queues.peek(queue).map((m) => (m.body as any).detail.declarationId);
/**
 * Worked example CN-1 secured on an account. Completed in May 2025 (FX 7.1000 of 2025-04-16) its tax
 * is CNY 172530.00 (duty 71000.00 + VAT 101530.00); completed in June (FX 7.0000 of 2025-05-21,
 * reference-data/fx) CIF 700000.00 → duty 70000.00 + VAT 13 % × 770000.00 = 100100.00 → 170100.00.
 */
const cn1 = (lrn: string, payment: Record<string, string>) => ({ ...exampleJson('cn/CN-1.json'), lrn, payment });
const submit = async (body: unknown) => (await api.post('/declarations', body)).body.id as string;
const pay = (id: string, amount: string, reference: string) => api.post(`/declarations/${id}/payments`, { amount, currency: 'CNY', reference });

describe('guarantee accounts (关税法 Art. 43 para 3; 海关事务担保条例 Art. 11) on the local runtime', () => {
  describe('a declaration secured on its general guarantee', () => {
    let id: string;

    it('is released before payment, the taxes held on the account and owed on the ledger', async () => {
      id = await submit(cn1('GUA-SECURED-1', { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' }));
      const view = await api.until(id, finished);
      expect(view.status).toBe('RELEASED');
      expect(types(view)).toEqual(expect.arrayContaining(['TaxAssessed', 'PaymentSettled', 'DeclarationReleased']));
      expect(types(view)).not.toContain('PaymentAwaited');
      expect(view.security).toMatchObject({ accountId: 'GUA-2248-2025-00001', amount: '172530.00', currency: 'CNY' });
      // Completed 2025-05-15; 15 days → 2025-05-30, a Friday and a working day (关税法 Art. 43).
      expect(view.paymentDeadline).toBe('2025-05-30');
      expect(view.ledger).toMatchObject({ balance: '172530.00', entries: [{ kind: 'ASSESSMENT', amount: '172530.00' }] });
      expect(await securityAccounts().inUse('GUA-2248-2025-00001')).toBe(17253000);
    });

    it('takes the bank payment after release with the late fee across the month end, and releases the hold', async () => {
      // Deadline Fri 2025-05-30, paid Mon 2025-06-02: 3 days × 0.05 % × 172530.00 = 258.795 → 258.80 (Art. 43 para 2).
      clock.set(Date.parse('2025-06-02T02:00:00Z'));
      const paid = await pay(id, '172788.80', 'BANK-GUA-1');
      expect(paid).toMatchObject({ status: 202, body: { payment: { amount: '172788.80', lateFee: '258.80' } } });
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(view.status).toBe('RELEASED');
      expect(view.ledger.balance).toBe('0.00');
      expect(view.ledger.entries.map((e: any) => e.kind)).toEqual(['ASSESSMENT', 'LATE_FEE', 'PAYMENT']);
      expect(view.security.releasedAt).toBeDefined();
      expect(await securityAccounts().inUse('GUA-2248-2025-00001')).toBe(0);
    });

    it('answers a repeated notification after release with the first result, and never releases twice', async () => {
      const other = await submit(cn1('GUA-SECURED-2', { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' }));
      await api.until(other, finished);
      const repeated = await pay(id, '172788.80', 'BANK-GUA-1');
      expect(repeated).toMatchObject({ status: 200, body: { payment: { reference: 'BANK-GUA-1' } } });
      const view = (await api.get(`/declarations/${id}`)).body;
      expect(types(view).filter((t) => t === 'PaymentReceived')).toHaveLength(1);
      // Only the second (June) declaration's hold is left: the repeat did not credit the account again.
      expect(await securityAccounts().inUse('GUA-2248-2025-00001')).toBe(17010000);
    });
  });

  describe('an account without room', () => {
    let waiting: string;

    it('makes the declaration wait for the bank and routes InsufficientGuarantee to its queue', async () => {
      // GUA-2248-2025-00002 secures at most CNY 200000.00: one June CN-1 (170100.00) fits, a second does not.
      const first = await submit(cn1('GUA-SMALL-1', { method: 'GUARANTEE', account: 'GUA-2248-2025-00002' }));
      expect((await api.until(first, finished)).status).toBe('RELEASED');
      waiting = await submit(cn1('GUA-SMALL-2', { method: 'GUARANTEE', account: 'GUA-2248-2025-00002' }));
      const view = await api.until(waiting, (v) => v.status === 'AWAITING_PAYMENT');
      const exception = view.history.find((e: any) => e.type === 'GuaranteeInsufficient');
      expect(exception.data).toMatchObject({ accountId: 'GUA-2248-2025-00002', amount: '170100.00', available: '29900.00' });
      expect(types(view)).toContain('TaxNoticeIssued');
      await expect.poll(() => queued('insufficientGuarantee')).toContain(waiting);
    });

    it('never takes the account past its limit', async () => {
      expect(await securityAccounts().inUse('GUA-2248-2025-00002')).toBe(17010000);
    });

    it('is released once the bank pays the notice in full', async () => {
      const paid = await pay(waiting, '170100.00', 'BANK-GUA-2');
      expect(paid.status).toBe(202);
      const view = await api.until(waiting, finished);
      expect(view.status).toBe('RELEASED');
      expect(view.ledger.balance).toBe('0.00');
    });
  });

  describe('receipt of an account the trader may not draw on', () => {
    it('rejects an unknown account with CWY-PAY-002', async () => {
      const id = await submit(cn1('GUA-UNKNOWN-1', { method: 'GUARANTEE', account: 'GUA-9999-2025-99999' }));
      const view = await api.until(id, finished);
      expect(view.status).toBe('REJECTED');
      expect(JSON.stringify(view.history.at(-1).data)).toContain('CWY-PAY-002');
      await expect.poll(() => queued('rejections')).toContain(id);
    });

    it("rejects another trader's account with CWY-PAY-003 and holds nothing on it", async () => {
      const id = await submit(cn1('GUA-OTHER-1', { method: 'GUARANTEE', account: 'GUA-5349-2025-00017' }));
      const view = await api.until(id, finished);
      expect(view.status).toBe('REJECTED');
      expect(JSON.stringify(view.history.at(-1).data)).toContain('CWY-PAY-003');
      expect(await securityAccounts().inUse('GUA-5349-2025-00017')).toBe(0);
    });
  });
});

describe('DynamoSecurityAccounts — one conditional update per debit', () => {
  it('lets only as many concurrent debits through as the limit holds, each once', async () => {
    const accounts = securityAccounts();
    const results = await Promise.all(
      ['D-1', 'D-2', 'D-3', 'D-1'].map((holder) => accounts.debit('RACE-1', holder, 40_00, 100_00)),
    );
    expect(results.filter((r) => r === 'DEBITED').length).toBeGreaterThanOrEqual(2);
    expect(await accounts.inUse('RACE-1')).toBe(80_00);
    expect(await accounts.credit('RACE-1', 'D-1', 40_00)).toBe('CREDITED');
    expect(await accounts.credit('RACE-1', 'D-1', 40_00)).toBe('NOT_HELD');
    expect(await accounts.inUse('RACE-1')).toBe(40_00);
  });
});
