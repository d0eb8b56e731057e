import { legalDate } from '../declaration/legal-date.js';
import type { Jurisdiction } from '../declaration/model.js';
import { LimitationExpiredError, ReferenceDataMissingError } from '../errors.js';
import { addYears, daysBetween, nextDayThatCounts, type DayPredicate } from '../tax/calendar.js';
import type {
  PostClearanceRecoveryRule,
  RecoveryCause,
  RefundClaimRule,
  RefundInitiator,
  RefundInterestRule,
  TaxRule,
  TaxRuleName,
  RuleOf,
} from '../tax/catalog.js';
import { Dec, formatMoney } from '../tax/money.js';
import { pickInForce, refOf } from '../tax/records.js';

/**
 * The limitation clocks of post-clearance work (issue 7), as effective-dated tax rules
 * (`reference-data/tax-rules/`): how long after payment or release the customs may recover tax
 * found short, how long the taxpayer may claim an overpayment back, and what late fee or interest
 * goes with each. Pure: every date is given.
 *
 * Which law applies: the rule in force on the day the period starts — the day the tax was paid or
 * the goods released (关税法 Arts. 45–46; 进出口关税条例 2017 Art. 51), the day the tax was paid for
 * a refund claim (关税法 Art. 51; 条例 Art. 52) — governs that period to its end. 关税法 Art. 72
 * repeals the 条例 on 2024-12-01 with no transitional clause for periods already running, and a
 * law does not reach back (立法法 Art. 104). Refund interest is a term of the refund itself: the
 * rule in force on the refund day applies (关税法 Art. 53 for every refund made from 2024-12-01).
 */

/** Catalogue codes of the refusals. */
export const LIMITATION_CODES = {
  /** Recovery of tax found short (补征 / 追征) after its limitation period. */
  recoveryOutOfTime: 'CWY-AUD-001',
  /** The taxpayer's written refund claim lodged after its limitation period. */
  refundClaimOutOfTime: 'CWY-AUD-002',
} as const;

/** When a post-clearance period runs, and whether an action falls inside it. */
export interface LimitationClock {
  /** The rule that sets it, `id@version`. */
  rule: string;
  /** The event the period runs from: the payment of the tax or the release of the goods. */
  runsFrom: 'PAYMENT' | 'RELEASE';
  startsOn: string;
  /** The last day to act (inclusive); `null` when the law sets no limit. */
  endsOn: string | null;
  /** The day of the action the clock is checked for (the finding, or the taxpayer's claim). */
  actedOn: string;
  inTime: boolean;
}

/** The days of a declaration the clocks run from (legal dates in its jurisdiction). */
export interface ClockFacts {
  jurisdiction: string;
  /** The day the tax was paid; absent while it is not (secured on an account, or none was due). */
  paidOn?: string;
  releasedOn: string;
}

/**
 * The clock facts of a declaration released on `releasedOn`: the legal day its tax was paid, when
 * any was (a notice of nothing settled is no payment).
 */
export function clockFacts(jurisdiction: Jurisdiction, releasedOn: string, payment?: { amount: string; paidAt: string }): ClockFacts {
  const paid = payment !== undefined && !new Dec(payment.amount).isZero();
  return { jurisdiction, releasedOn, ...(paid ? { paidOn: legalDate(payment.paidAt, jurisdiction) } : {}) };
}

/** A late fee on tax recovered after release. */
export interface RecoveryLateFee {
  /** First day not counted: the day the tax was paid or the goods released (民法典 Art. 201). */
  from: string;
  /** The day of the supplementary assessment, counted. */
  to: string;
  days: number;
  dailyRate: string;
  amount: string;
}

/** Interest on a refund. */
export interface RefundInterest {
  rule: string;
  /** False when the rule in force on the refund day grants none to this kind of refund. */
  earned: boolean;
  from: string;
  to: string;
  days: number;
  annualRatePct: string;
  dayCountBasis: number;
  amount: string;
}

const ruleInForce = <N extends TaxRuleName>(rules: readonly TaxRule[], name: N, jurisdiction: string, day: string) =>
  pickInForce(rules, day, (r) => r.rule === name && r.jurisdiction === jurisdiction) as RuleOf<N> | undefined;

function requireRule<N extends TaxRuleName>(rules: readonly TaxRule[], name: N, jurisdiction: string, day: string): RuleOf<N> {
  const rule = ruleInForce(rules, name, jurisdiction, day);
  if (!rule) throw new ReferenceDataMissingError(`No ${name} rule for ${jurisdiction} in force on ${day}`);
  return rule;
}

/** The last day of a period of `years` years from `startsOn`, rolled past rest days when the rule says so (民法典 Arts. 201–203). */
function periodEnd(startsOn: string, years: number | null, roll: boolean, isWorkingDay: DayPredicate): string | null {
  if (years === null) return null;
  const end = addYears(startsOn, years);
  return roll ? nextDayThatCounts(end, isWorkingDay) : end;
}

/**
 * The day the recovery period runs from: "the day the tax was paid or the goods were released"
 * (关税法 Arts. 45–46; 条例 Art. 51) — whichever came first. Paid and then released, that is the
 * payment; released on a guarantee before payment, the release (our reading: the customs' hold
 * on the goods or on the money ended then).
 */
export function recoveryStart(facts: ClockFacts): { runsFrom: LimitationClock['runsFrom']; startsOn: string } {
  return facts.paidOn !== undefined && facts.paidOn <= facts.releasedOn
    ? { runsFrom: 'PAYMENT', startsOn: facts.paidOn }
    : { runsFrom: 'RELEASE', startsOn: facts.releasedOn };
}

/**
 * The clock of recovering tax found short after release, for `cause`, checked on `foundOn` (the
 * day the customs assesses it): 1 year without fault and 3 years on a breach by the taxpayer before
 * 2024-12-01 (条例 Art. 51); 3 years from 2024-12-01 (关税法 Arts. 45–46), none for smuggling (Art. 47).
 *
 * @throws ReferenceDataMissingError when no recovery rule is in force on the day the period starts
 */
export function recoveryClock(
  facts: ClockFacts,
  cause: RecoveryCause,
  foundOn: string,
  rules: readonly TaxRule[],
  isWorkingDay: DayPredicate,
): { clock: LimitationClock; rule: PostClearanceRecoveryRule } {
  const { runsFrom, startsOn } = recoveryStart(facts);
  const rule = requireRule(rules, 'post-clearance-recovery', facts.jurisdiction, startsOn);
  const endsOn = periodEnd(startsOn, rule.limitYears[cause], rule.rollToWorkingDay, isWorkingDay);
  return { rule, clock: { rule: refOf(rule), runsFrom, startsOn, endsOn, actedOn: foundOn, inTime: endsOn === null || foundOn <= endsOn } };
}

/**
 * The late fee on tax recovered for a breach by the taxpayer or for smuggling: 0.05 % (万分之五) of
 * the tax found short for each day from the day the tax was paid or the goods released (关税法
 * Arts. 46–47; 条例 Art. 51) — that day not counted — up to the day of the supplementary
 * assessment. None without fault: the taxpayer owes a late fee only if the new notice is not
 * paid in its period (关税法 Art. 45 para 3). Half-up to 0.01.
 */
export function recoveryLateFee(amount: string, cause: RecoveryCause, clock: LimitationClock, rule: PostClearanceRecoveryRule): RecoveryLateFee | undefined {
  if (!rule.lateFeeOn.includes(cause)) return undefined;
  const days = Math.max(0, daysBetween(clock.startsOn, clock.actedOn));
  return {
    from: clock.startsOn,
    to: clock.actedOn,
    days,
    dailyRate: rule.lateFeeDailyRate,
    amount: formatMoney(new Dec(amount).times(rule.lateFeeDailyRate).times(days)),
  };
}

/**
 * The clock of a refund. An overpayment the customs finds itself is refunded whenever found
 * (关税法 Art. 51 para 1; 条例 Art. 52 para 1): no limit. The taxpayer's written claim must be
 * lodged within 1 year (条例 Art. 52 para 2) or, for tax paid from 2024-12-01, 3 years (关税法
 * Art. 51 para 2) from the day the tax was paid.
 *
 * @param claimedOn the day the taxpayer lodged the claim (TRADER_CLAIM only)
 * @param refundOn the day the customs assesses the refund
 * @throws ReferenceDataMissingError when no refund-claim rule is in force on the payment day
 */
export function refundClock(
  jurisdiction: string,
  paidOn: string,
  initiator: RefundInitiator,
  { claimedOn, refundOn }: { claimedOn?: string; refundOn: string },
  rules: readonly TaxRule[],
  isWorkingDay: DayPredicate,
): { clock: LimitationClock; rule: RefundClaimRule } {
  const rule = requireRule(rules, 'refund-claim', jurisdiction, paidOn);
  const claim = initiator === 'TRADER_CLAIM';
  const endsOn = claim ? periodEnd(paidOn, rule.claimYears, rule.rollToWorkingDay, isWorkingDay) : null;
  const actedOn = claim ? (claimedOn ?? refundOn) : refundOn;
  return { rule, clock: { rule: refOf(rule), runsFrom: 'PAYMENT', startsOn: paidOn, endsOn, actedOn, inTime: endsOn === null || actedOn <= endsOn } };
}

/**
 * Interest on a refund at the current (demand) deposit rate (关税法 Art. 53: every refund; before
 * 2024-12-01 only the taxpayer's own claim, 条例 Art. 52 para 2), by the rule in force on the
 * refund day: amount × annual rate × days ÷ day-count basis, for the days from the payment (not
 * counted) to the refund day, half-up to 0.01. Undefined when no interest rule is in force then.
 */
export function refundInterest(
  amount: string,
  jurisdiction: string,
  initiator: RefundInitiator,
  { paidOn, refundOn }: { paidOn: string; refundOn: string },
  rules: readonly TaxRule[],
): RefundInterest | undefined {
  const rule: RefundInterestRule | undefined = ruleInForce(rules, 'refund-interest', jurisdiction, refundOn);
  if (!rule) return undefined;
  const earned = rule.appliesTo.includes(initiator);
  const days = Math.max(0, daysBetween(paidOn, refundOn));
  const interest = new Dec(amount).times(rule.annualRatePct).div(100).times(days).div(rule.dayCountBasis);
  return {
    rule: refOf(rule),
    earned,
    from: paidOn,
    to: refundOn,
    days,
    annualRatePct: rule.annualRatePct,
    dayCountBasis: rule.dayCountBasis,
    amount: earned ? formatMoney(interest) : '0.00',
  };
}

/**
 * The last day the customs may audit a declaration released on `releasedOn` (海关稽查条例 Art. 2:
 * within 3 years of release); undefined where no audit-window rule is in force.
 */
export function auditWindowEnd(jurisdiction: string, releasedOn: string, rules: readonly TaxRule[]): string | undefined {
  const rule = ruleInForce(rules, 'audit-window', jurisdiction, releasedOn);
  return rule ? addYears(releasedOn, rule.years) : undefined;
}

/**
 * The days an audit case opened at release must be done by: the end of the audit window and of
 * the recovery period without fault (the shortest clock: a year under the 条例), where rules set them.
 */
export function caseDeadlines(facts: ClockFacts, rules: readonly TaxRule[], isWorkingDay: DayPredicate): string[] {
  const deadlines = [auditWindowEnd(facts.jurisdiction, facts.releasedOn, rules)];
  const { startsOn } = recoveryStart(facts);
  if (ruleInForce(rules, 'post-clearance-recovery', facts.jurisdiction, startsOn)) {
    deadlines.push(recoveryClock(facts, 'NO_FAULT', facts.releasedOn, rules, isWorkingDay).clock.endsOn ?? undefined);
  }
  return deadlines.filter((day): day is string => day !== undefined);
}

/**
 * Refuses an action its clock no longer allows.
 * @throws LimitationExpiredError with `code` and the clock
 */
export function assertInTime(clock: LimitationClock, code: string, what: string, pointer: string): void {
  if (clock.inTime) return;
  throw new LimitationExpiredError(
    code,
    `${what} is out of time: the period under ${clock.rule} ran from ${clock.startsOn} (${clock.runsFrom.toLowerCase()}) and ended on ${clock.endsOn}; it is ${clock.actedOn}`,
    pointer,
    { ...clock },
  );
}
