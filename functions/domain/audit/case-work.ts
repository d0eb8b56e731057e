import { z } from 'zod';
import { IsoDate } from '../declaration/model.js';
import { ValidationError } from '../errors.js';
import { ledgerEntry, type LedgerEntry } from '../payment/ledger.js';
import { Attachment, Finding } from '../risk/inspection.js';
import type { DayPredicate } from '../tax/calendar.js';
import { RecoveryCause, type TaxRule } from '../tax/catalog.js';
import { Dec, formatMoney } from '../tax/money.js';
import type { AuditOutcome } from './case.js';
import {
  LIMITATION_CODES,
  assertInTime,
  recoveryClock,
  recoveryLateFee,
  refundClock,
  refundInterest,
  type ClockFacts,
} from './limitation.js';

/** Catalogue codes of case-work refusals besides the limitation clocks (CWY-AUD-001/002). */
export const CASE_WORK_CODES = {
  /** The tax found is higher, but the findings do not say who caused the shortfall. */
  causeMissing: 'CWY-AUD-003',
  /** The tax found is lower, but nothing was paid that could be refunded. */
  nothingPaid: 'CWY-AUD-004',
  /** The taxpayer's claim is dated after the refund it asks for, or before the payment. */
  claimDate: 'CWY-AUD-005',
  /** Prohibited goods are a matter for the border (seizure), not for a tax audit. */
  notATaxFinding: 'CWY-AUD-006',
  /** The declaration was cancelled: its tax was withdrawn, there is nothing to reassess (the case can be closed). */
  declarationCancelled: 'CWY-AUD-007',
} as const;

/** `POST /audits/cases/{id}/findings`: what an auditor found and, for a shortfall, who caused it. */
export const AuditFindings = z.strictObject({
  /** The auditor's reference of these findings (a tax confirmation number, 税额确认书): a repeat answers the first. */
  reference: z.string().min(1).max(64),
  /** The facts found (quantity, value, classification, origin), item by item, as at inspection. */
  findings: z
    .array(Finding)
    .min(1)
    .max(99)
    .superRefine((findings, ctx) =>
      findings.forEach((finding, index) => {
        if (finding.type === 'prohibitedGoods') {
          ctx.addIssue({ code: 'custom', message: `${CASE_WORK_CODES.notATaxFinding}: prohibited goods are seized at the border; an audit finding is about the tax`, path: [index, 'type'] });
        }
      }),
    ),
  /** Who caused tax found short: it sets the limitation clock and the late fee (关税法 Arts. 45–47). */
  cause: RecoveryCause.optional(),
  /** For tax found overpaid on the taxpayer's written claim: the day it was lodged (关税法 Art. 51 para 2). */
  claimLodgedOn: IsoDate.optional(),
  reason: z.string().max(2000).optional(),
  attachments: z.array(Attachment).max(20).optional(),
});
export type AuditFindings = z.infer<typeof AuditFindings>;

/** `POST /audits/cases/{id}/closure`. */
export const AuditClosure = z.strictObject({ conclusion: z.string().min(1).max(2000) });

const refuse = (code: string, message: string, pointer: string): never => {
  throw new ValidationError([{ code, message, pointer }]);
};

/**
 * What findings lead to, checked against the limitation clock in force (issue 7):
 * - tax found short (the reassessed tax above the established one): a supplementary assessment of
 *   the difference, within the recovery period for the cause, with the late fee from the day of
 *   payment or release on a breach or smuggling;
 * - tax found overpaid: a refund of the difference — of tax paid only — on the customs' own finding
 *   (no limit) or the taxpayer's claim (within its period), with interest where the rule in force
 *   on the refund day grants it;
 * - no difference: nothing to assess.
 *
 * @param foundOn the legal date the customs assesses the outcome (the day of the request)
 * @throws LimitationExpiredError (CWY-AUD-001/002) when out of time; ValidationError (CWY-AUD-003…005)
 */
export function auditOutcome(input: {
  established: string;
  reassessed: string;
  currency: string;
  facts: ClockFacts;
  request: Pick<AuditFindings, 'cause' | 'claimLodgedOn'>;
  foundOn: string;
  rules: readonly TaxRule[];
  isWorkingDay: DayPredicate;
}): AuditOutcome {
  const { facts, request, foundOn, rules, isWorkingDay, currency } = input;
  const delta = new Dec(input.reassessed).minus(input.established);
  if (delta.isZero()) return { kind: 'NO_TAX_EFFECT', currency };

  if (delta.isPositive()) {
    const cause = request.cause ?? refuse(CASE_WORK_CODES.causeMissing, 'The findings raise the tax: say who caused the shortfall (NO_FAULT, TRADER_BREACH or SMUGGLING)', '/cause');
    const amount = formatMoney(delta);
    const { clock, rule } = recoveryClock(facts, cause, foundOn, rules, isWorkingDay);
    assertInTime(clock, LIMITATION_CODES.recoveryOutOfTime, `Recovering ${amount} ${currency} found short (${cause})`, '/cause');
    const lateFee = recoveryLateFee(amount, cause, clock, rule);
    return { kind: 'SUPPLEMENTARY_ASSESSMENT', amount, currency, cause, clock, ...(lateFee ? { lateFee } : {}) };
  }

  const amount = formatMoney(delta.negated());
  if (facts.paidOn === undefined) {
    refuse(CASE_WORK_CODES.nothingPaid, `The findings lower the tax by ${amount} ${currency}, but none of it has been paid to refund`, '/findings');
  }
  const paidOn = facts.paidOn!;
  const claimedOn = request.claimLodgedOn;
  if (claimedOn !== undefined && (claimedOn > foundOn || claimedOn < paidOn)) {
    refuse(CASE_WORK_CODES.claimDate, `The claim must be lodged between the payment (${paidOn}) and today (${foundOn})`, '/claimLodgedOn');
  }
  const initiator = claimedOn === undefined ? 'CUSTOMS_FOUND' : 'TRADER_CLAIM';
  const { clock } = refundClock(facts.jurisdiction, paidOn, initiator, { claimedOn, refundOn: foundOn }, rules, isWorkingDay);
  assertInTime(clock, LIMITATION_CODES.refundClaimOutOfTime, `The claim to refund ${amount} ${currency}`, '/claimLodgedOn');
  const interest = refundInterest(amount, facts.jurisdiction, initiator, { paidOn, refundOn: foundOn }, rules);
  return { kind: 'REFUND', amount, currency, initiator, ...(claimedOn ? { claimLodgedOn: claimedOn } : {}), clock, ...(interest ? { interest } : {}) };
}

/**
 * The ledger entries of an outcome: the supplementary assessment and its late fee (owed by the
 * taxpayer), or the refund and its interest (owed to the taxpayer); none without a tax effect.
 */
export function outcomeEntries(outcome: AuditOutcome, postedAt: string, reference: string): LedgerEntry[] {
  const positive = (amount: string | undefined) => amount !== undefined && new Dec(amount).isPositive() && !new Dec(amount).isZero();
  switch (outcome.kind) {
    case 'SUPPLEMENTARY_ASSESSMENT':
      return [
        ledgerEntry('SUPPLEMENTARY_ASSESSMENT', outcome.amount, outcome.currency, postedAt, reference),
        ...(positive(outcome.lateFee?.amount) ? [ledgerEntry('LATE_FEE', outcome.lateFee!.amount, outcome.currency, postedAt, reference)] : []),
      ];
    case 'REFUND':
      return [
        ledgerEntry('REFUND', outcome.amount, outcome.currency, postedAt, reference),
        ...(positive(outcome.interest?.amount) ? [ledgerEntry('REFUND_INTEREST', outcome.interest!.amount, outcome.currency, postedAt, reference)] : []),
      ];
    case 'NO_TAX_EFFECT':
      return [];
  }
}
