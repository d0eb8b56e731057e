import type { HistoryEvent } from '../history/index.js';
import { Dec, formatMoney } from '../tax/money.js';

/** A tax line as a TaxAssessed event records it (the fields a what-if compares). */
interface RecordedTaxLine {
  itemSequence: number;
  type: string;
  code?: string;
  amount: string;
  currency: string;
}

export interface TaxLineDelta {
  itemSequence: number;
  type: string;
  code?: string;
  currency: string;
  /** Amounts as recorded and as the what-if assessed them ('0.00' where a side has no such line). */
  recorded: string;
  replayed: string;
  delta: string;
}

/** What other reference data would have changed for one declaration. */
export interface WhatIfOutcome {
  declarationId: string;
  channel: { recorded?: string; replayed?: string; changed: boolean };
  taxLines: TaxLineDelta[];
  /** Sum of the deltas per currency. */
  taxDelta: Record<string, string>;
  /** `profileId@version` of the profiles that hit, on each side. */
  hits: { recorded: string[]; replayed: string[] };
  /** True when the what-if did not get as far as a tax assessment (rejected, or still held). */
  unassessed: boolean;
  /**
   * Why the declaration's tax does not count in the revenue effect: it ended without revenue
   * (rejected, cancelled, seized, failed), its version in force was never assessed as recorded, or
   * the what-if did not reach that version (its amendment refused or never made there: comparing
   * two different versions would measure the amendment, not the reference data). Absent: it counts.
   */
  excluded?: 'REJECTED' | 'CANCELLED' | 'SEIZED' | 'FAILED' | 'NOT_ASSESSED' | 'VERSION_NOT_REPLAYED';
}

interface Screened {
  channel: string;
  hits: { profileId: string; version: number }[];
}
interface Assessed {
  lines: RecordedTaxLine[];
}

const last = (events: readonly HistoryEvent[], ...types: string[]) => events.findLast((e) => types.includes(e.type))?.data;
const lineKey = (l: { itemSequence: number; type: string; code?: string }) => `${l.itemSequence}|${l.type}|${l.code ?? ''}`;

/** The declaration version a history ends at: its last amendment's, or the one submitted. */
function versionInForce(events: readonly HistoryEvent[]): number {
  const amended = last(events, 'DeclarationAmended') as { version?: number } | undefined;
  return amended?.version ?? (events[0]?.data as { version?: number } | undefined)?.version ?? 1;
}

/**
 * The tax of the version in force: the last assessment since its amendment (an inspection may
 * have reassessed it), or the reassessment an amendment granted after release made on the spot
 * (`TaxReassessed`: no second execution, so no second `TaxAssessed`). Never an earlier version's:
 * a version not (yet) assessed has no tax.
 */
function taxInForce(events: readonly HistoryEvent[]): Assessed | undefined {
  const since = events.findLastIndex((e) => e.type === 'DeclarationAmended');
  return last(events.slice(since + 1), 'TaxAssessed', 'TaxReassessed') as Assessed | undefined;
}

/**
 * Compares a declaration's recorded decisions with those a what-if replay made (issue 7): the
 * channel, every tax line (matched by goods item, tax type and code) with its delta, the total
 * delta per currency and the profiles that hit. Each side is measured in the version in force
 * when its history ends (the replay follows a declaration's amendments as recorded): its tax
 * (see {@link taxInForce}) and the last screening (an amendment granted after release is not
 * screened again: the channel the goods were released on stands). Should the two sides end at
 * different versions, the declaration is left out rather than one version compared with another.
 * A declaration that ended without revenue, or was never assessed as recorded, adds nothing to
 * the revenue effect: a tax it never collected is no revenue lost or gained. A cancelled one
 * (before or after release: what was paid is owed back) is thus excluded from the revenue effect
 * and reported apart, counted under `CANCELLED` in the summary's `excluded`.
 */
export function whatIfOutcome(history: readonly HistoryEvent[], replayed: readonly HistoryEvent[]): WhatIfOutcome {
  const ended = history.map((e) => ENDED_WITHOUT_REVENUE[e.type]).findLast((outcome) => outcome !== undefined);
  const before = last(history, 'RiskScreened') as Screened | undefined;
  const after = last(replayed, 'RiskScreened') as Screened | undefined;
  const taxedBefore = taxInForce(history);
  const taxedAfter = taxInForce(replayed);
  const excluded =
    ended ?? (!taxedBefore ? 'NOT_ASSESSED' : versionInForce(history) !== versionInForce(replayed) ? 'VERSION_NOT_REPLAYED' : undefined);
  const linesBefore = new Map((taxedBefore?.lines ?? []).map((l) => [lineKey(l), l]));
  const linesAfter = new Map((taxedAfter?.lines ?? []).map((l) => [lineKey(l), l]));
  const taxLines: TaxLineDelta[] = [];
  const taxDelta: Record<string, string> = {};
  if (taxedAfter && !excluded) {
    for (const key of new Set([...linesBefore.keys(), ...linesAfter.keys()])) {
      const was = linesBefore.get(key);
      const now = linesAfter.get(key);
      const line = (now ?? was)!;
      const delta = new Dec(now?.amount ?? 0).minus(was?.amount ?? 0);
      taxLines.push({
        itemSequence: line.itemSequence,
        type: line.type,
        ...(line.code ? { code: line.code } : {}),
        currency: line.currency,
        recorded: formatMoney(new Dec(was?.amount ?? 0)),
        replayed: formatMoney(new Dec(now?.amount ?? 0)),
        delta: formatMoney(delta),
      });
      taxDelta[line.currency] = formatMoney(new Dec(taxDelta[line.currency] ?? 0).plus(delta));
    }
  }
  const hits = (s?: Screened) => (s?.hits ?? []).map((h) => `${h.profileId}@${h.version}`);
  return {
    declarationId: history[0]?.declarationId ?? '',
    channel: { recorded: before?.channel, replayed: after?.channel, changed: before?.channel !== after?.channel },
    taxLines,
    taxDelta,
    hits: { recorded: hits(before), replayed: hits(after) },
    unassessed: !taxedAfter,
    ...(excluded ? { excluded } : {}),
  };
}

/** History events after which a declaration collects no revenue. */
const ENDED_WITHOUT_REVENUE: Record<string, NonNullable<WhatIfOutcome['excluded']>> = {
  DeclarationRejected: 'REJECTED',
  DeclarationCancelled: 'CANCELLED',
  GoodsSeized: 'SEIZED',
  DeclarationFailed: 'FAILED',
};

export interface WhatIfSummary {
  declarations: number;
  unassessed: number;
  /** How many declarations moved from one channel to another (`GREEN→RED`). */
  channelChanges: Record<string, number>;
  /** Total revenue effect per currency: the sum of every declaration's tax delta. */
  revenueEffect: Record<string, string>;
  /** Declarations left out of the revenue effect, per reason (see {@link WhatIfOutcome.excluded}). */
  excluded: Record<string, number>;
  /** Per profile (`id@version`), how many declarations it hit as recorded and in the what-if. */
  profileHits: Record<string, { recorded: number; replayed: number }>;
}

/** Adds up a what-if over its selection. */
export function summariseWhatIf(outcomes: readonly WhatIfOutcome[]): WhatIfSummary {
  const summary: WhatIfSummary = { declarations: outcomes.length, unassessed: 0, channelChanges: {}, revenueEffect: {}, excluded: {}, profileHits: {} };
  const hit = (profile: string, side: 'recorded' | 'replayed') => {
    summary.profileHits[profile] ??= { recorded: 0, replayed: 0 };
    summary.profileHits[profile][side]++;
  };
  for (const outcome of outcomes) {
    if (outcome.unassessed) summary.unassessed++;
    if (outcome.excluded) summary.excluded[outcome.excluded] = (summary.excluded[outcome.excluded] ?? 0) + 1;
    if (outcome.channel.changed) {
      const move = `${outcome.channel.recorded ?? '-'}→${outcome.channel.replayed ?? '-'}`;
      summary.channelChanges[move] = (summary.channelChanges[move] ?? 0) + 1;
    }
    for (const [currency, delta] of Object.entries(outcome.taxDelta)) {
      summary.revenueEffect[currency] = formatMoney(new Dec(summary.revenueEffect[currency] ?? 0).plus(delta));
    }
    for (const profile of new Set(outcome.hits.recorded)) hit(profile, 'recorded');
    for (const profile of new Set(outcome.hits.replayed)) hit(profile, 'replayed');
  }
  return summary;
}
