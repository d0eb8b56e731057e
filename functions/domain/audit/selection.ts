import Decimal from 'decimal.js';
import { z } from 'zod';
import { DecimalString, IsoDate, type Declaration } from '../declaration/model.js';
import { evaluate, type MatchedCriterion, type ScreeningFacts } from '../risk/criteria.js';
import { selectionDraw } from '../risk/draw.js';
import { Channel, CreditClass, Criterion, Rate, Scope, inForce } from '../risk/profile.js';
import { inScope } from '../risk/screen.js';
import { addMonths } from '../tax/calendar.js';
import type { OverrideKind } from './overrides.js';

/**
 * Post-clearance audit selection (issue 7): after release, rules and sampling as effective-dated
 * data (`reference-data/audit/selection.json`) pick declarations for audit and open an audit case
 * due inside the legal window. Criteria are the risk profiles' rule language (by trader — a
 * watch-listed party —, by commodity, by trade mode, valuation confirmations, …); a rule selects
 * every declaration its criteria hold for (`RULE`), or draws among them (`SAMPLE`) with a keyed
 * hash like screening (DESIGN.md §6), at a rate weighted by the declaration's risk.
 */

/** A multiplier of a sampling rate, e.g. "2". */
const Multiplier = DecimalString;

/**
 * How a SAMPLE rule weighs a declaration's risk: its rate is multiplied by the weight of the channel
 * the engine screened it to, by its trader's credit class, and — when an officer overrode the
 * engine on it (see overrides.ts) — by `officerOverride`; the product is capped at 1.
 */
export const AuditRiskWeights = z.strictObject({
  channel: z.partialRecord(Channel, Multiplier).optional(),
  creditClass: z.partialRecord(CreditClass, Multiplier).optional(),
  officerOverride: Multiplier.optional(),
});
export type AuditRiskWeights = z.infer<typeof AuditRiskWeights>;

export const AuditSelectionRule = z
  .strictObject({
    id: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be an upper-case id like AUDIT-SAMPLE'),
    version: z.number().int().positive(),
    validFrom: IsoDate,
    /** Last day in force (inclusive), as for risk profiles. */
    validTo: IsoDate.optional(),
    rationale: z.string().min(1),
    source: z.string().min(3),
    /** True when the rate or target was chosen for illustration, not published by an administration. */
    illustrative: z.boolean().optional(),
    scope: Scope.default({}),
    /** All must hold on some goods item; empty: every declaration in scope. */
    criteria: z.array(Criterion).default([]),
    selection: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('RULE') }),
      z.strictObject({ kind: z.literal('SAMPLE'), rate: Rate, riskWeights: AuditRiskWeights.optional() }),
    ]),
    /**
     * The case is due this many months after release — and never after the audit window
     * (海关稽查条例 Art. 2) or the recovery period without fault, whichever ends first.
     */
    caseDueMonths: z.number().int().min(1).max(36),
  })
  .refine((r) => r.validTo === undefined || r.validTo >= r.validFrom, { message: 'validTo must not precede validFrom', path: ['validTo'] });
export type AuditSelectionRule = z.infer<typeof AuditSelectionRule>;

/** `reference-data/audit/selection.json`: two versions of one rule are never in force on the same day. */
export const AuditSelectionFile = z
  .object({ kind: z.literal('audit-selection'), rules: z.array(AuditSelectionRule) })
  .superRefine(({ rules }, ctx) => {
    rules.forEach((a, i) =>
      rules.slice(i + 1).forEach((b) => {
        const overlap = a.validFrom <= (b.validTo ?? '9999-12-31') && b.validFrom <= (a.validTo ?? '9999-12-31');
        if (a.id === b.id && (a.version === b.version || overlap)) {
          ctx.addIssue({ code: 'custom', message: `${a.id} v${a.version} and v${b.version} are both in force on some day`, path: ['rules', i] });
        }
      }),
    );
  });

/** What selection knows of a released declaration; all of it recorded, so the selection replays. */
export interface AuditSelectionFacts {
  declarationId: string;
  declaration: Declaration;
  /** Legal date of release: binds the rule versions. */
  releasedOn: string;
  /** The channel the risk engine screened the declaration to. */
  channel: Channel;
  creditClass: CreditClass;
  /** How officers overrode the engine on this declaration (empty when they did not). */
  overrides: readonly OverrideKind[];
}

/** A sampling draw: selected when `value` < `threshold` = min(1, rate × weight). */
export interface AuditDraw {
  value: number;
  rate: string;
  /** The product of the risk weights that applied. */
  weight: string;
  threshold: number;
  selected: boolean;
}

/** A rule in force whose scope and criteria held, and what it decided. */
export interface AuditRuleOutcome {
  rule: string;
  kind: 'RULE' | 'SAMPLE';
  criteria: MatchedCriterion[];
  selected: boolean;
  draw?: AuditDraw;
}

export interface AuditSelection {
  selected: boolean;
  releasedOn: string;
  /** `id@version` of every rule in force and in scope. */
  evaluated: string[];
  /** The rules whose criteria held, selected or not. */
  outcomes: AuditRuleOutcome[];
  /** `id@version` of the rules that selected the declaration. */
  selectedBy: string[];
  /** When selected: the last day to complete the audit case. */
  dueOn?: string;
  explanation: string;
}

/**
 * Selects a released declaration for post-clearance audit: every rule in force on the release date
 * and in scope whose criteria hold selects it (RULE) or draws for it (SAMPLE, keyed by declaration id,
 * rule id and version and the seed, so a replay draws the same and an amendment does not draw
 * again). A selected declaration's case is due `caseDueMonths` after release (the shortest of the
 * selecting rules), and never after any of `latestDue` — the end of the audit window and of the
 * recovery period without fault.
 */
export function selectForAudit(facts: AuditSelectionFacts, rules: readonly AuditSelectionRule[], seed: string, latestDue: readonly string[]): AuditSelection {
  const screeningFacts: ScreeningFacts = { declaration: facts.declaration, creditClass: facts.creditClass, firstTimeImporter: false, referencePrices: [] };
  const inForceRules = rules
    .filter((r) => inForce(r, facts.releasedOn) && inScope(r.scope, facts.declaration))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const outcomes: AuditRuleOutcome[] = [];
  for (const rule of inForceRules) {
    const criteria = criteriaHeld(rule.criteria, screeningFacts);
    if (!criteria) continue;
    const ref = `${rule.id}@${rule.version}`;
    if (rule.selection.kind === 'RULE') {
      outcomes.push({ rule: ref, kind: 'RULE', criteria, selected: true });
      continue;
    }
    const weight = riskWeight(rule.selection.riskWeights, facts);
    const threshold = Decimal.min(new Decimal(rule.selection.rate).times(weight), 1).toNumber();
    const value = selectionDraw(facts.declarationId, rule, seed);
    const draw: AuditDraw = { value, rate: rule.selection.rate, weight: weight.toString(), threshold, selected: value < threshold };
    outcomes.push({ rule: ref, kind: 'SAMPLE', criteria, selected: draw.selected, draw });
  }
  const selecting = outcomes.filter((o) => o.selected);
  const months = Math.min(...inForceRules.filter((r) => selecting.some((o) => o.rule === `${r.id}@${r.version}`)).map((r) => r.caseDueMonths));
  const dueOn = selecting.length ? [addMonths(facts.releasedOn, months), ...latestDue].sort()[0] : undefined;
  const selection = {
    selected: selecting.length > 0,
    releasedOn: facts.releasedOn,
    evaluated: inForceRules.map((r) => `${r.id}@${r.version}`),
    outcomes,
    selectedBy: selecting.map((o) => o.rule),
    ...(dueOn ? { dueOn } : {}),
  };
  return { ...selection, explanation: explain(selection) };
}

/** The leaf criteria that held on some goods item (all of `criteria` on one item), or undefined. */
function criteriaHeld(criteria: readonly Criterion[], facts: ScreeningFacts): MatchedCriterion[] | undefined {
  for (const item of facts.declaration.items) {
    const held = evaluate({ type: 'all', of: [...criteria] }, facts, item);
    if (held) return held;
  }
  return undefined;
}

/** The product of the risk weights that apply to the declaration (1 when none does). */
function riskWeight(weights: AuditRiskWeights | undefined, facts: AuditSelectionFacts): Decimal {
  let weight = new Decimal(1);
  if (weights?.channel?.[facts.channel]) weight = weight.times(weights.channel[facts.channel]!);
  if (weights?.creditClass?.[facts.creditClass]) weight = weight.times(weights.creditClass[facts.creditClass]!);
  if (weights?.officerOverride && facts.overrides.length > 0) weight = weight.times(weights.officerOverride);
  return weight;
}

/** The decision in words: which rules selected or drew, and the due date. */
function explain(selection: Omit<AuditSelection, 'explanation'>): string {
  const { outcomes, evaluated, releasedOn, dueOn } = selection;
  const lines = [
    selection.selected
      ? `Selected for audit by ${selection.selectedBy.join(', ')} (released ${releasedOn}); case due ${dueOn}.`
      : `Not selected: ${outcomes.length} of the ${evaluated.length} audit rules in force on ${releasedOn} applied, none selected.`,
    ...outcomes.map((o) => {
      const reasons = o.criteria.map((c) => c.detail);
      if (o.draw) {
        reasons.push(`draw ${o.draw.value.toFixed(6)} ${o.draw.selected ? '<' : '≥'} threshold ${o.draw.threshold} (rate ${o.draw.rate} × risk weight ${o.draw.weight})`);
      }
      return `- ${o.rule} ${o.kind}${o.selected ? ' → selected' : ''}${reasons.length ? `: ${reasons.join('; ')}` : ''}.`;
    }),
  ];
  return lines.join('\n');
}
