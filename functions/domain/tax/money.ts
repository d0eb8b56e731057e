import Decimal from 'decimal.js';

/**
 * The decimal type used for every tax computation (DESIGN.md §7): 40 significant digits so
 * composite bases such as (value + duty) ÷ (1 − rate) stay exact enough, and half-up rounding
 * as the default mode.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

/** A zero of the tax decimal type. */
export const ZERO = new Dec(0);

/**
 * Rounds half-up to the fen / penny (0.01) — the rule for every converted amount and every
 * tax line (关税法 Art. 60 and GACC Order 272 Art. 13 for conversion; the same convention for
 * each tax amount).
 */
export function roundToCent(value: Decimal.Value): Dec {
  return new Dec(value).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}

/** A money amount written with exactly two decimals, rounded half-up. */
export function formatMoney(value: Decimal.Value): string {
  return roundToCent(value).toFixed(2);
}

/** A percentage such as "2.00%" from a percent figure ("2" → "2.00%"). */
export function formatPercent(pct: Decimal.Value): string {
  return `${new Dec(pct).toFixed(2)}%`;
}
