import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Declaration } from '../../../functions/domain/declaration/model.js';
import { checkSecurityAccount, drawsOnAccount, toMinorUnits, type SecurityAccount } from '../../../functions/domain/payment/index.js';
import { ROOT } from '../tax/support.js';
import { shippedAccounts } from './support.js';

const cn1 = JSON.parse(readFileSync(join(ROOT, 'examples/cn/CN-1.json'), 'utf8'));
const paying = (method: string, account?: string) => Declaration.parse({ ...cn1, payment: { method, ...(account ? { account } : {}) } });
const check = (declaration: Declaration, accounts: SecurityAccount[] = shippedAccounts(), completedOn = '2025-05-20', monthlyRuleInForce = true) =>
  checkSecurityAccount(declaration, completedOn, accounts, { taxCurrency: 'CNY', monthlyRuleInForce });
const codes = (result: ReturnType<typeof check>) => result.issues.map((i) => [i.code, i.pointer]);

describe('checkSecurityAccount — the account a guarantee, deferment or monthly payment draws on (receipt)', () => {
  it("accepts the trader's own general guarantee for GUARANTEE and MONTHLY (关税法 Art. 43 needs a guarantee for 汇总征税)", () => {
    expect(check(paying('GUARANTEE', 'GUA-2248-2025-00001'))).toMatchObject({ account: { id: 'GUA-2248-2025-00001' }, issues: [] });
    expect(check(paying('MONTHLY', 'GUA-2248-2025-00001')).issues).toEqual([]);
  });

  it('asks nothing of an immediate payment', () => {
    expect(drawsOnAccount('IMMEDIATE')).toBe(false);
    expect(check(paying('IMMEDIATE')).issues).toEqual([]);
  });

  it('rejects a missing, unknown or other trader’s account, each with its code and the pointer to the account', () => {
    expect(codes(check(paying('GUARANTEE')))).toEqual([['CWY-PAY-001', '/payment/account']]);
    expect(codes(check(paying('GUARANTEE', 'GUA-0000-0000-00000')))).toEqual([['CWY-PAY-002', '/payment/account']]);
    // GUA-5349-2025-00017 is the CN-2 importer's guarantee.
    expect(codes(check(paying('GUARANTEE', 'GUA-5349-2025-00017')))).toEqual([['CWY-PAY-003', '/payment/account']]);
  });

  it('rejects an account not in force on the completion date, of the wrong kind, or in another currency', () => {
    const base = shippedAccounts().find((a) => a.id === 'GUA-2248-2025-00001')!;
    expect(codes(check(paying('GUARANTEE', base.id), [{ ...base, validTo: '2025-05-01' }]))[0][0]).toBe('CWY-PAY-002');
    expect(codes(check(paying('DEFERMENT', base.id)))[0][0]).toBe('CWY-PAY-004');
    expect(codes(check(paying('GUARANTEE', base.id), [{ ...base, currency: 'USD' }]))[0][0]).toBe('CWY-PAY-005');
  });

  it('rejects a monthly batch payment on a day no batch rule is in force', () => {
    expect(codes(check(paying('MONTHLY', 'GUA-2248-2025-00001'), shippedAccounts(), '2024-11-20', false))).toEqual([['CWY-PAY-006', '/payment/method']]);
  });
});

describe('toMinorUnits — the integer the balance item stores', () => {
  it('turns yuan into fen exactly and refuses fractions of a fen', () => {
    expect(toMinorUnits('172530.00')).toBe(17253000);
    expect(toMinorUnits('0.1')).toBe(10);
    expect(() => toMinorUnits('0.001')).toThrow(RangeError);
  });
});
