import Decimal from 'decimal.js';
import { Dec, formatMoney } from '../tax/money.js';
import type { OfficerDecisionLog } from './decision-log.js';
import type { Lane } from './lane.js';
import { Channel } from './profile.js';
import type { ScreeningResult } from './screen.js';

/**
 * Risk measurement (风险测量, issue 6): how well each profile finds what it is meant to find,
 * measured against the random-selection control group — the share of randomly selected
 * declarations with a discrepancy is what chance alone finds.
 */

/** The history events measurement reads (a subset of a declaration's history). */
export type RiskEvent =
  | { declarationId: string; type: 'RiskScreened'; data: Pick<ScreeningResult, 'completedOn' | 'channel' | 'hits' | 'randomDraw' | 'lane'> }
  | { declarationId: string; type: 'InspectionRecorded'; data: { result: 'NO_DISCREPANCY' | 'DISCREPANCY' } }
  /** Tax assessed after findings: `revenueFound` is the tax on the found facts minus the tax on the declared ones. */
  | { declarationId: string; type: 'TaxAssessed'; data: { revenueFound?: { amount: string; currency: string } } }
  /** An officer's decision with the hold it answered (read by the override report, audit/overrides.ts). */
  | { declarationId: string; type: 'OfficerDecisionRecorded'; data: OfficerDecisionLog };

export interface ProfileMeasure {
  profileId: string;
  /** Versions that selected declarations in the period. */
  versions: number[];
  /** Declarations the profile selected. */
  selections: number;
  /** Selections with an inspection result recorded. */
  inspected: number;
  /** Inspected selections with a discrepancy. */
  hits: number;
  /** hits ÷ inspected (4 decimals); null before any inspection. */
  hitRate: string | null;
  /** Additional tax found on its hits, per currency. */
  revenueFound: Record<string, string>;
  /** hitRate ÷ the control group's hit rate (2 decimals); null when either is unknown or the baseline is 0. */
  lift: string | null;
}

export interface ChannelMeasure {
  lane: string;
  channel: Channel;
  declarations: number;
  /** Share of the lane's declarations screened to this channel (4 decimals). */
  actualRate: string;
  /** The lane's expected rate for the channel; null when the lane is unknown. */
  expectedRate: string | null;
}

export interface RiskReport {
  from: string;
  to: string;
  declarations: number;
  /** The random-selection control group: its hit rate is the baseline every profile is compared with. */
  baseline: { selections: number; inspected: number; hits: number; hitRate: string | null };
  profiles: ProfileMeasure[];
  channels: ChannelMeasure[];
}

interface Outcome {
  screening?: Extract<RiskEvent, { type: 'RiskScreened' }>['data'];
  discrepancy?: boolean;
  revenue?: { amount: string; currency: string };
}

const rate = (numerator: number, denominator: number) =>
  denominator === 0 ? null : new Decimal(numerator).div(denominator).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);

/**
 * The report over the declarations completed from `from` to `to` (YYYY-MM-DD, inclusive),
 * from their screenings and outcomes. The last screening and the last inspection of each
 * declaration count (a re-screened amendment replaces the earlier one).
 * @param lanes lane versions, for the expected channel rates
 */
export function measureRisk(events: Iterable<RiskEvent>, period: { from: string; to: string }, lanes: readonly Lane[] = []): RiskReport {
  const byDeclaration = new Map<string, Outcome>();
  for (const event of events) {
    const outcome = byDeclaration.get(event.declarationId) ?? {};
    byDeclaration.set(event.declarationId, outcome);
    if (event.type === 'RiskScreened') outcome.screening = event.data;
    else if (event.type === 'InspectionRecorded') outcome.discrepancy = event.data.result === 'DISCREPANCY';
    else if (event.type === 'TaxAssessed' && event.data.revenueFound) outcome.revenue = event.data.revenueFound;
  }
  const screened = [...byDeclaration.values()].filter(
    (o): o is Outcome & { screening: NonNullable<Outcome['screening']> } =>
      !!o.screening && o.screening.completedOn >= period.from && o.screening.completedOn <= period.to,
  );

  const control = screened.filter((o) => o.screening.randomDraw?.selected);
  const controlInspected = control.filter((o) => o.discrepancy !== undefined);
  const controlHits = controlInspected.filter((o) => o.discrepancy).length;
  const baselineRate = rate(controlHits, controlInspected.length);

  const perProfile = new Map<string, { versions: Set<number>; selected: typeof screened }>();
  for (const outcome of screened) {
    for (const hit of outcome.screening.hits) {
      const entry = perProfile.get(hit.profileId) ?? { versions: new Set<number>(), selected: [] };
      perProfile.set(hit.profileId, entry);
      entry.versions.add(hit.version);
      entry.selected.push(outcome);
    }
  }
  const profiles = [...perProfile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([profileId, { versions, selected }]): ProfileMeasure => {
      const inspected = selected.filter((o) => o.discrepancy !== undefined);
      const hits = inspected.filter((o) => o.discrepancy);
      const hitRate = rate(hits.length, inspected.length);
      const revenue = new Map<string, Dec>();
      for (const { revenue: found } of hits) {
        if (found) revenue.set(found.currency, (revenue.get(found.currency) ?? new Dec(0)).plus(found.amount));
      }
      return {
        profileId,
        versions: [...versions].sort((a, b) => a - b),
        selections: selected.length,
        inspected: inspected.length,
        hits: hits.length,
        hitRate,
        revenueFound: Object.fromEntries([...revenue].sort(([a], [b]) => (a < b ? -1 : 1)).map(([c, v]) => [c, formatMoney(v)])),
        lift:
          hitRate === null || baselineRate === null || new Decimal(baselineRate).isZero()
            ? null
            : new Decimal(hitRate).div(baselineRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2),
      };
    });

  return {
    from: period.from,
    to: period.to,
    declarations: screened.length,
    baseline: { selections: control.length, inspected: controlInspected.length, hits: controlHits, hitRate: baselineRate },
    profiles,
    channels: channelMeasures(screened.map((o) => o.screening), lanes),
  };
}

/** Actual against expected channel rates, per lane. */
function channelMeasures(screenings: readonly Extract<RiskEvent, { type: 'RiskScreened' }>['data'][], lanes: readonly Lane[]): ChannelMeasure[] {
  const byLane = new Map<string, { version: number; counts: Map<Channel, number>; total: number }>();
  for (const { lane, channel } of screenings) {
    const entry = byLane.get(lane.id) ?? { version: lane.version, counts: new Map(), total: 0 };
    byLane.set(lane.id, entry);
    entry.version = Math.max(entry.version, lane.version);
    entry.counts.set(channel, (entry.counts.get(channel) ?? 0) + 1);
    entry.total += 1;
  }
  return [...byLane.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([laneId, { version, counts, total }]) => {
      const lane = lanes.find((l) => l.id === laneId && l.version === version);
      return Channel.options.map((channel) => ({
        lane: laneId,
        channel,
        declarations: counts.get(channel) ?? 0,
        actualRate: rate(counts.get(channel) ?? 0, total)!,
        expectedRate: lane?.expectedRates[channel] ?? null,
      }));
    });
}
