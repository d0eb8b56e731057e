import type { DutiableGoodsItem as GoodsItem } from '../declaration/model.js';
import { ValidationError } from '../errors.js';
import type { AgreementRate, Rate, SpecificRate, TariffLine } from './catalog.js';
import { Dec, ZERO, formatPercent } from './money.js';

/** The tariff column a duty was charged at. */
export type RateColumn = 'MFN' | 'TEMPORARY' | 'CONVENTIONAL' | 'PREFERENTIAL' | 'GENERAL';

/** The parts of a rate applied to one goods item, unrounded. */
export interface RateApplication {
  adValorem: Dec;
  specific: Dec;
  /** adValorem + specific (关税法 Art. 23 compound; 消费税暂行条例 Art. 5). */
  total: Dec;
  /** Quantity in the specific rate's unit, when there is a specific part. */
  quantity?: Dec;
}

/** Human-readable rate: "2.00%", "250 CNY/t", "4374 CNY/unit + 3.00%". */
export function formatRate(rate: Rate): string {
  const parts: string[] = [];
  if (rate.specific) parts.push(`${rate.specific.amount} ${rate.specific.currency}/${rate.specific.unitLabel}`);
  if (rate.adValoremPct !== undefined) parts.push(formatPercent(rate.adValoremPct));
  return parts.join(' + ');
}

/**
 * The item's quantity in a specific rate's unit: the statutory quantity (CN 法定数量), else the
 * declared quantity, in the rate's unit or in a unit the rate converts (e.g. litres of beer,
 * 988 L = 1 t).
 * @throws ValidationError when the item has no quantity in a usable unit
 */
export function quantityInUnit(item: GoodsItem, specific: SpecificRate, pointer: string): Dec {
  for (const quantity of [item.statutoryQuantity, item.quantity]) {
    if (!quantity) continue;
    if (quantity.unit === specific.unit) return new Dec(quantity.value);
    const per = specific.conversions?.[quantity.unit];
    if (per !== undefined) return new Dec(quantity.value).dividedBy(per);
  }
  throw new ValidationError([
    {
      code: 'CWY-TAX-001',
      message: `a specific rate in ${specific.unitLabel} needs the statutory quantity in unit ${specific.unit}`,
      pointer: `${pointer}/statutoryQuantity`,
    },
  ]);
}

/**
 * Applies a rate to a value and an item: ad valorem part = value × rate, specific part =
 * quantity × amount, compound = their sum (关税法 Art. 23). Unrounded.
 */
export function applyRate(rate: Rate, value: Dec, item: GoodsItem, pointer: string): RateApplication {
  const adValorem = rate.adValoremPct === undefined ? ZERO : value.times(rate.adValoremPct).dividedBy(100);
  if (!rate.specific) return { adValorem, specific: ZERO, total: adValorem };
  const quantity = quantityInUnit(item, rate.specific, pointer);
  const specific = quantity.times(rate.specific.amount);
  return { adValorem, specific, total: adValorem.plus(specific), quantity };
}

/** The agreement rate the item claims (its `preference`) for its origin, if any. */
function claimed(rates: AgreementRate[] | undefined, item: GoodsItem): Rate | undefined {
  return rates?.find((r) => r.agreement === item.preference && r.origins.includes(item.origin))?.rate;
}

/**
 * Chooses the tariff column for an item by origin and claimed agreement (关税法 Arts. 12–13):
 * - origins outside MFN treatment: the general rate, never a temporary rate (Art. 13 para 4);
 * - MFN goods: the temporary rate when there is one, else MFN (Art. 13 para 1);
 * - a claimed conventional rate: the lower of it and the temporary rate, or MFN when that is
 *   lower and there is no temporary rate (Art. 13 para 2);
 * - a claimed special preferential rate: the lower of it and the temporary rate (para 3).
 * "Lower" compares the duty each would produce on this item, so compound rates compare too.
 */
export function chooseDutyRate(
  line: TariffLine,
  item: GoodsItem,
  value: Dec,
  generalRateOrigins: readonly string[],
  pointer: string,
): { column: RateColumn; rate: Rate; applied: RateApplication } {
  const option = (column: RateColumn, rate: Rate) => ({ column, rate, applied: applyRate(rate, value, item, pointer) });
  if (generalRateOrigins.includes(item.origin) && line.general) return option('GENERAL', line.general);

  const base = line.temporary ? option('TEMPORARY', line.temporary) : option('MFN', line.mfn);
  const conventional = claimed(line.conventional, item);
  const preferential = claimed(line.preferential, item);
  const candidates = [base];
  if (conventional) candidates.push(option('CONVENTIONAL', conventional));
  if (preferential) candidates.push(option('PREFERENTIAL', preferential));
  return candidates.reduce((best, c) => (c.applied.total.lessThan(best.applied.total) ? c : best));
}
