import { z } from 'zod';
import { CurrencyCode, DecimalString, IsoDate, Jurisdiction, type Declaration } from '../declaration/model.js';
import type { ValidationIssue } from '../errors.js';
import { pickInForce } from '../tax/records.js';
import { Dec } from '../tax/money.js';

/**
 * A trader's guarantee or deferment account (`reference-data/accounts/`), effective-dated like
 * every reference record: a general guarantee (总担保, 海关事务担保条例 Art. 11) that secures the
 * taxes so the goods are released before payment (关税法 Art. 43 para 3), or a deferment account.
 */
export const SecurityAccount = z.object({
  id: z.string().min(1).max(35),
  version: z.number().int().positive(),
  validFrom: IsoDate,
  validTo: IsoDate.optional(),
  source: z.string().min(3),
  illustrative: z.boolean().optional(),
  jurisdiction: Jurisdiction,
  kind: z.enum(['GUARANTEE', 'DEFERMENT']),
  /** The account holder's identifier (USCC, EORI): only the holder's declarations may draw on it. */
  owner: z.string().min(1),
  /** The most the account may secure at once. */
  limit: DecimalString,
  currency: CurrencyCode,
});
export type SecurityAccount = z.infer<typeof SecurityAccount>;

/** One accounts file: `{ "kind": "security-account", "records": [...] }`. */
export const SecurityAccountFile = z.object({ kind: z.literal('security-account'), records: z.array(SecurityAccount) });

/** The payment methods that draw on an account, and the kind of account each needs. */
const ACCOUNT_KIND: Record<string, SecurityAccount['kind']> = {
  GUARANTEE: 'GUARANTEE',
  DEFERMENT: 'DEFERMENT',
  // 汇总征税 requires a guarantee (关税法 Art. 43 para 1: "符合海关规定条件并提供担保的").
  MONTHLY: 'GUARANTEE',
};

/** Whether a payment method secures the taxes on an account (so the goods are released before payment). */
export function drawsOnAccount(method: string): boolean {
  return method in ACCOUNT_KIND;
}

/** Receipt rejection codes for the payment account (answered like CDS DMSREJ). */
export const ACCOUNT_CODES = {
  missing: 'CWY-PAY-001',
  unknown: 'CWY-PAY-002',
  notOwner: 'CWY-PAY-003',
  wrongKind: 'CWY-PAY-004',
  wrongCurrency: 'CWY-PAY-005',
  noMonthlyRule: 'CWY-PAY-006',
} as const;

/**
 * The account a declaration draws on, in force on its completion date, with the reasons to
 * reject it at receipt: no account named, unknown (or not in force that day), held by another
 * trader (neither the declarant nor the importer), of the wrong kind for the method, kept in
 * another currency than the taxes, or a monthly batch payment on a day no batch rule is in force.
 *
 * @param taxCurrency the currency the taxes are assessed in
 * @param monthlyRuleInForce whether a monthly batch payment rule is bound on the completion date
 */
export function checkSecurityAccount(
  declaration: Declaration,
  completedOn: string,
  accounts: SecurityAccount[],
  { taxCurrency, monthlyRuleInForce }: { taxCurrency: string; monthlyRuleInForce: boolean },
): { account?: SecurityAccount; issues: ValidationIssue[] } {
  const { method, account: accountId } = declaration.payment;
  const kind = ACCOUNT_KIND[method];
  if (!kind) return { issues: [] };
  const reject = (code: string, message: string, pointer = '/payment/account') => ({ issues: [{ code, message, pointer }] });
  if (method === 'MONTHLY' && !monthlyRuleInForce) {
    return reject(ACCOUNT_CODES.noMonthlyRule, `Monthly batch payment is not available for a declaration completed on ${completedOn}`, '/payment/method');
  }
  if (!accountId) return reject(ACCOUNT_CODES.missing, `Payment method ${method} needs the ${kind.toLowerCase()} account it draws on`);

  const account = pickInForce(accounts, completedOn, (a) => a.id === accountId && a.jurisdiction === declaration.jurisdiction);
  if (!account) return reject(ACCOUNT_CODES.unknown, `Account ${accountId} is not a ${declaration.jurisdiction} account in force on ${completedOn}`);
  const holders = [declaration.declarant.id, declaration.importer?.id].filter(Boolean);
  if (!holders.includes(account.owner)) return reject(ACCOUNT_CODES.notOwner, `Account ${accountId} belongs to another trader`);
  if (account.kind !== kind) return reject(ACCOUNT_CODES.wrongKind, `Account ${accountId} is a ${account.kind} account; ${method} needs a ${kind} account`);
  if (account.currency !== taxCurrency) return reject(ACCOUNT_CODES.wrongCurrency, `Account ${accountId} is kept in ${account.currency}; the taxes are in ${taxCurrency}`);
  return { account, issues: [] };
}

/**
 * An amount in minor units (fen, pence) as an integer: what the balance item stores, so the
 * database compares and adds exact integers (safe below 2^53 minor units).
 */
export function toMinorUnits(amount: string): number {
  const minor = new Dec(amount).times(100);
  if (!minor.isInteger()) throw new RangeError(`${amount} has more than two decimals`);
  return minor.toNumber();
}
