import { catalogueMessage } from '../declaration/errors-catalogue.js';
import { CodedConflictError } from '../errors.js';
import { ledgerEntry, withdrawalEntries, type Ledger, type LedgerEntry } from '../payment/ledger.js';
import type { DayPredicate } from '../tax/calendar.js';
import type { RecoveryCause, TaxRule } from '../tax/catalog.js';
import { Dec } from '../tax/money.js';
import type { AuditOutcome } from './case.js';
import { auditOutcome, outcomeEntries } from './case-work.js';
import type { ClockFacts } from './limitation.js';

/**
 * The tax effect of an amendment an officer grants after release (UCC Art. 173(3); 海关法
 * Art. 26: a lodged declaration is changed only as the customs allows). The goods are gone and the lifecycle has ended, so the
 * declaration is not screened or released again: the amended version is reassessed on the law
 * bound at acceptance (关税法 Art. 20: the rates in force the day the declaration was completed) and the difference to the tax established so far is
 * settled as post-clearance work is —
 * - nothing paid yet (the goods left on a guarantee or deferment account): the tax notice, still
 *   within its period, is reissued at the new amount;
 * - tax raised: a supplementary assessment, with the clock and late fee of the cause the officer
 *   names (the declarant's own error is usually `TRADER_BREACH`; Arts. 45–47);
 * - tax lowered: a refund on the taxpayer's written claim — the amendment request, lodged the
 *   day it was asked (Art. 51 para 2) — with the interest the law in force grants (Art. 53).
 * Out of time, it is refused with CWY-AUD-001/002, as the same finding in an audit would be.
 */
export type AmendmentTaxEffect =
  | AuditOutcome
  | {
      kind: 'NOTICE_REISSUED';
      /** The tax now due on the reissued notice. */
      amount: string;
      /** The tax the withdrawn notice asked for. */
      previous: string;
      currency: string;
    };

export interface AmendmentTaxFacts {
  /** The tax established before the amendment (the current version's notice). */
  established: string;
  /** The amended version's tax. */
  reassessed: string;
  currency: string;
  /** Release and payment days (legal dates). */
  facts: ClockFacts;
  /** The tax is secured on a guarantee or deferment account and not yet paid: its notice still runs. */
  securedUnpaid: boolean;
  /** Who caused tax found short, as the granting officer says. */
  cause?: RecoveryCause;
  /** The legal day the declarant asked for the amendment: their written claim for a refund. */
  requestedOn: string;
  /** The legal day the officer grants it: the day the customs assesses the difference. */
  grantedOn: string;
  rules: readonly TaxRule[];
  isWorkingDay: DayPredicate;
}

/**
 * What granting a post-release amendment does to the tax (see {@link AmendmentTaxEffect}).
 * @throws LimitationExpiredError (CWY-AUD-001/002) when out of time; ValidationError CWY-AUD-003 when the tax rises and no cause is given
 */
export function postReleaseAmendmentEffect(input: AmendmentTaxFacts): AmendmentTaxEffect {
  const { established, reassessed, currency, facts } = input;
  if (input.securedUnpaid && !new Dec(reassessed).equals(established)) {
    return { kind: 'NOTICE_REISSUED', amount: reassessed, previous: established, currency };
  }
  return auditOutcome({
    established,
    reassessed,
    currency,
    facts,
    request: { cause: input.cause, claimLodgedOn: input.requestedOn },
    foundOn: input.grantedOn,
    rules: input.rules,
    isWorkingDay: input.isWorkingDay,
  });
}

/**
 * The ledger entries of an amendment's tax effect: the withdrawal of the old notice and the
 * reissued one, or those of a supplementary assessment or refund ({@link outcomeEntries}).
 */
export function amendmentEntries(effect: AmendmentTaxEffect, ledger: Ledger | undefined, postedAt: string, reference: string): LedgerEntry[] {
  if (effect.kind !== 'NOTICE_REISSUED') return outcomeEntries(effect, postedAt, reference);
  const reissued = new Dec(effect.amount);
  return [
    ...withdrawalEntries(ledger, postedAt, reference),
    ...(reissued.isZero() ? [] : [ledgerEntry('ASSESSMENT', effect.amount, effect.currency, postedAt, reference)]),
  ];
}

/** What an account holds for a declaration's tax notice (see `SecurityHold`). */
interface Hold {
  amount: string;
  releasedAt?: string;
}

/**
 * The hold on a guarantee or deferment account after a reissued notice (海关事务担保条例): a lower
 * notice holds less — a security may not exceed the tax that may be owed (Art. 14(2)) — and none
 * when nothing is due (Art. 20: released once the obligation is met); a higher one keeps the hold
 * it had — a security short of the obligation leaves the declarant to secure more or pay
 * (Art. 19), and the reissued notice is owed by its deadline all the same.
 * Undefined when the hold stays as it is.
 */
export function reissuedHold<H extends Hold>(effect: AmendmentTaxEffect, hold: H | undefined, at: string): H | undefined {
  if (effect.kind !== 'NOTICE_REISSUED' || !hold || hold.releasedAt) return undefined;
  const reissued = new Dec(effect.amount);
  if (reissued.gte(hold.amount)) return undefined;
  return reissued.isZero() ? { ...hold, releasedAt: at } : { ...hold, amount: effect.amount };
}

/**
 * Refuses a declarant's correction of released goods whose tax an audit has re-established
 * (`AuditFindingsRecorded` in the history): the difference an amendment settles is measured
 * against the tax established before it, which the audit's findings have replaced — the same
 * shortfall would be assessed twice, or a refund the audit gave ignored. After an audit the
 * correction is a finding of the audit case (海关稽查条例: the audit establishes the facts).
 * @throws CodedConflictError CWY-AMEND-009
 */
export function refuseCorrectionAfterAudit(history: readonly { type: string; data: unknown }[]): void {
  const findings = history.findLast((event) => event.type === 'AuditFindingsRecorded');
  if (!findings) return;
  const { caseId } = findings.data as { caseId: string };
  throw new CodedConflictError('CWY-AMEND-009', catalogueMessage('CWY-AMEND-009', { caseId }), '');
}
