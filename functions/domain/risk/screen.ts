import Decimal from 'decimal.js';
import type { Declaration } from '../declaration/model.js';
import { evaluate, type MatchedCriterion, type ReferencePrice, type ScreeningFacts } from './criteria.js';
import { selectionDraw } from './draw.js';
import { laneFor, type Lane } from './lane.js';
import { CHANNEL_SEVERITY, inForce, type Channel, type CreditClass, type RiskProfile, type Scope } from './profile.js';

/** What screening needs besides the declaration; all of it recorded so the decision can be replayed. */
export interface ScreeningContext {
  declarationId: string;
  /** Declaration version (amendments are new versions); recorded, not drawn on. */
  version: number;
  /** The profile set; only versions in force on `completedOn` and in scope are evaluated. */
  profiles: readonly RiskProfile[];
  lanes: readonly Lane[];
  /** Secret key of the random draws; pinned per screening so replay draws the same. */
  seed: string;
  /** Declaration-completion date (YYYY-MM-DD): binds the profile and lane versions. */
  completedOn: string;
  /** Absent means REGULAR: an unknown trader is neither trusted nor distrusted. */
  traderCreditClass?: CreditClass;
  firstTimeImporter?: boolean;
  referencePrices?: readonly ReferencePrice[];
  /**
   * `profileId@version` → hits in a row the lane's draws let through unselected before this
   * screening (the lane's running counters, read by the caller); absent means none.
   */
  unselectedHits?: Readonly<Record<string, number>>;
}

/** What a SAMPLE profile's hit did to the lane's counter of unselected hits. */
export interface SampleOutcome {
  /** `profileId@version`. */
  profile: string;
  selected: boolean;
  /** Unselected hits in a row before this screening, as read. */
  unselectedBefore: number;
}

/** A probabilistic selection: selected when `value` < `threshold`. */
export interface Draw {
  profileId: string;
  profileVersion: number;
  /** Keyed-hash draw in [0, 1). */
  value: number;
  threshold: number;
  selected: boolean;
  /** Selected although the draw was above the threshold: the lane's maximum hits without selection was reached. */
  forced?: boolean;
}

export interface ProfileHit {
  profileId: string;
  version: number;
  channel: Channel;
  weight: number;
  /** The leaf criteria that held (empty for pure random selection). */
  criteria: MatchedCriterion[];
  /** Goods items the criteria held on. */
  items: number[];
  /** The draw that selected it, for SAMPLE and RANDOM profiles. */
  draw?: Draw;
}

export interface ScreeningResult {
  declarationId: string;
  version: number;
  completedOn: string;
  channel: Channel;
  /** Sum of the weights of the hits. */
  score: number;
  hits: ProfileHit[];
  /** `id@version` of every profile in force and in scope. */
  evaluated: string[];
  /** Every draw made, selected or not (SAMPLE profiles whose criteria held, and RANDOM ones). */
  draws: Draw[];
  /** The random-selection control group's draw; null when no RANDOM profile applied. */
  randomDraw: Draw | null;
  lane: { id: string; version: number };
  creditClass: CreditClass;
  /** Profile id → version bound by this screening. */
  profileVersions: Record<string, number>;
  /** Every SAMPLE profile that held, selected or not: how the lane's counters move. */
  sampleOutcomes: SampleOutcome[];
  /** Seconds a GREEN declaration stands by before release (the lane's stand-by), when any. */
  standBySeconds?: number;
  explanation: string;
}

/**
 * Screen a declaration against the risk profiles in force on its completion date (issue 6,
 * DESIGN.md §6): a pure function of the declaration, the pinned reference data and the seed.
 * The most severe hit decides the channel (RED > YELLOW > QUERY > GREEN); no hit is GREEN.
 * Throws `ReferenceDataMissingError` when no lane is in force for the declaration.
 */
export function screenDeclaration(declaration: Declaration, context: ScreeningContext): ScreeningResult {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(context.completedOn)) {
    throw new RangeError(`completedOn must be a date YYYY-MM-DD, got ${context.completedOn}`);
  }
  const lane = laneFor(declaration, context.lanes, context.completedOn);
  const facts: ScreeningFacts = {
    declaration,
    creditClass: context.traderCreditClass ?? 'REGULAR',
    firstTimeImporter: context.firstTimeImporter ?? false,
    referencePrices: context.referencePrices ?? [],
  };
  const profiles = context.profiles
    .filter((profile) => inForce(profile, context.completedOn) && inScope(profile.scope, declaration))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const hits: ProfileHit[] = [];
  const draws: Draw[] = [];
  const sampleOutcomes: SampleOutcome[] = [];
  let randomDraw: Draw | null = null;
  for (const profile of profiles) {
    const match = matchProfile(profile, facts);
    if (!match) continue;
    let draw = drawFor(profile, lane, facts.creditClass, context);
    if (draw && profile.selection.kind === 'SAMPLE') {
      const key = `${profile.id}@${profile.version}`;
      const unselectedBefore = context.unselectedHits?.[key] ?? 0;
      if (!draw.selected && lane.maximumHitsWithoutSelection !== undefined && unselectedBefore >= lane.maximumHitsWithoutSelection) {
        draw = { ...draw, selected: true, forced: true };
      }
      sampleOutcomes.push({ profile: key, selected: draw.selected, unselectedBefore });
    }
    if (draw) draws.push(draw);
    if (draw && profile.selection.kind === 'RANDOM') randomDraw ??= draw;
    if (draw && !draw.selected) continue;
    hits.push({
      profileId: profile.id,
      version: profile.version,
      channel: profile.channel,
      weight: profile.weight,
      ...match,
      ...(draw ? { draw } : {}),
    });
  }
  hits.sort((a, b) => CHANNEL_SEVERITY[b.channel] - CHANNEL_SEVERITY[a.channel] || b.weight - a.weight);

  const selected = hits[0]?.channel ?? 'GREEN';
  // An office without a query desk reviews the documents instead.
  const channel = selected === 'QUERY' && lane.queryLane === false ? 'YELLOW' : selected;
  const standBySeconds = channel === 'GREEN' && lane.standBySeconds ? lane.standBySeconds : undefined;
  const result: Omit<ScreeningResult, 'explanation'> = {
    declarationId: context.declarationId,
    version: context.version,
    completedOn: context.completedOn,
    channel,
    score: hits.reduce((sum, hit) => sum + hit.weight, 0),
    hits,
    evaluated: profiles.map((p) => `${p.id}@${p.version}`),
    draws,
    randomDraw,
    lane: { id: lane.id, version: lane.version },
    creditClass: facts.creditClass,
    profileVersions: Object.fromEntries(profiles.map((p) => [p.id, p.version])),
    sampleOutcomes,
    ...(standBySeconds ? { standBySeconds } : {}),
  };
  return { ...result, explanation: explain(result) };
}

/** Whether a declaration is within a profile's (or an audit rule's) scope; an absent list means all. */
export function inScope(scope: Scope, declaration: Declaration): boolean {
  const within = <T>(allowed: readonly T[] | undefined, value: T | undefined) =>
    allowed === undefined || (value !== undefined && allowed.includes(value));
  return (
    within(scope.jurisdictions, declaration.jurisdiction) &&
    within(scope.offices, declaration.office) &&
    within(scope.tradeModes, declaration.tradeMode) &&
    (scope.direction === undefined || scope.direction === declaration.direction)
  );
}

/** The profile's criteria on each goods item; it matches when they hold on at least one. */
function matchProfile(profile: RiskProfile, facts: ScreeningFacts): Pick<ProfileHit, 'criteria' | 'items'> | undefined {
  let criteria: MatchedCriterion[] | undefined;
  const items: number[] = [];
  for (const item of facts.declaration.items) {
    const held = evaluate({ type: 'all', of: profile.criteria }, facts, item);
    if (!held) continue;
    criteria ??= held;
    items.push(item.sequence);
  }
  return criteria ? { criteria, items } : undefined;
}

/** The selection probability and draw of a SAMPLE or RANDOM profile; none for a RULE profile. */
function drawFor(profile: RiskProfile, lane: Lane, creditClass: CreditClass, context: ScreeningContext): Draw | undefined {
  const { selection } = profile;
  if (selection.kind === 'RULE') return undefined;
  const multiplier = new Decimal(lane.creditClassMultipliers[creditClass]);
  let probability: Decimal;
  if (selection.kind === 'SAMPLE') {
    probability = multiplier.times(selection.rate);
  } else {
    // The lane's minimum random rate is a floor: even the most trusted trader keeps a chance of control.
    const rate = selection.rateByLane[lane.id] ?? lane.minimumRandomRate;
    probability = Decimal.max(multiplier.times(rate), lane.minimumRandomRate);
  }
  const threshold = Decimal.min(probability, 1).toNumber();
  const value = selectionDraw(context.declarationId, profile, context.seed);
  return { profileId: profile.id, profileVersion: profile.version, value, threshold, selected: value < threshold };
}

/** The decision in words: channel, every hit with its reasons, and the random draw. */
function explain(result: Omit<ScreeningResult, 'explanation'>): string {
  const { channel, hits, evaluated, completedOn, randomDraw, lane, creditClass, standBySeconds } = result;
  const lines = [
    hits.length === 0
      ? `${channel}: none of the ${evaluated.length} profiles in force on ${completedOn} hit.`
      : `${channel}: ${hits.length} of the ${evaluated.length} profiles in force on ${completedOn} hit (score ${result.score}).`,
    ...hits.map((hit) => {
      const reasons = hit.criteria.map((c) => c.detail);
      if (hit.draw) reasons.push(`selected by draw ${formatDraw(hit.draw)}`);
      return `- ${hit.profileId}@${hit.version} → ${hit.channel} (weight ${hit.weight}): ${reasons.join('; ')}.`;
    }),
    randomDraw
      ? `Random selection ${randomDraw.profileId}@${randomDraw.profileVersion} in lane ${lane.id}@${lane.version} ` +
        `for a ${creditClass} trader: ${formatDraw(randomDraw)}, ${randomDraw.selected ? 'selected' : 'not selected'}.`
      : `No random selection applied in lane ${lane.id}@${lane.version}.`,
  ];
  if (hits[0]?.channel === 'QUERY' && channel === 'YELLOW') lines.push(`Lane ${lane.id}@${lane.version} runs no query lane: document review instead.`);
  if (standBySeconds) lines.push(`Stands by ${standBySeconds} s before release (lane ${lane.id}@${lane.version}).`);
  return lines.join('\n');
}

const formatDraw = (draw: Draw) =>
  draw.forced
    ? `${draw.value.toFixed(6)} ≥ threshold ${draw.threshold}, selected as the lane's maximum hits without selection was reached`
    : `${draw.value.toFixed(6)} ${draw.selected ? '<' : '≥'} threshold ${draw.threshold}`;
