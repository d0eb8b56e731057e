import Decimal from 'decimal.js';
import { z } from 'zod';
import { CurrencyCode, DecimalString, type Declaration, type GoodsItem } from '../declaration/model.js';
import type { CreditClass, Criterion, LeafCriterion, PartyRole } from './profile.js';

/** A reference unit price for goods whose commodity code starts with `commodityPrefix`. */
export const ReferencePrice = z.strictObject({
  commodityPrefix: z.string().regex(/^\d{2,10}$/),
  currency: CurrencyCode,
  /** Unit of quantity the price is per; compared with the item's declared or statutory quantity unit. */
  unit: z.string().min(1).max(8),
  price: DecimalString,
});
export type ReferencePrice = z.infer<typeof ReferencePrice>;

/** Everything criteria are evaluated against: the declaration and the indicators derived for it. */
export interface ScreeningFacts {
  declaration: Declaration;
  creditClass: CreditClass;
  firstTimeImporter: boolean;
  referencePrices: readonly ReferencePrice[];
}

/** One leaf criterion that held, in words an officer can check against the declaration. */
export interface MatchedCriterion {
  type: Criterion['type'];
  /** Goods item sequence the criterion held on (item-level criteria only). */
  item?: number;
  detail: string;
}

/**
 * Evaluate `criterion` against the declaration with `item` as the goods item in question.
 * Returns the leaf criteria that made it hold, or `undefined` when it does not hold.
 */
export function evaluate(criterion: Criterion, facts: ScreeningFacts, item: GoodsItem): MatchedCriterion[] | undefined {
  switch (criterion.type) {
    case 'all': {
      const matched: MatchedCriterion[] = [];
      for (const part of criterion.of) {
        const held = evaluate(part, facts, item);
        if (!held) return undefined;
        matched.push(...held);
      }
      return matched;
    }
    case 'any':
      for (const part of criterion.of) {
        const held = evaluate(part, facts, item);
        if (held) return held;
      }
      return undefined;
    case 'not':
      return evaluate(criterion.criterion, facts, item)
        ? undefined
        : [{ type: 'not', detail: `not (${describeCriterion(criterion.criterion)})` }];
    default:
      return evaluateLeaf(criterion, facts, item);
  }
}

function evaluateLeaf(criterion: LeafCriterion, facts: ScreeningFacts, item: GoodsItem): MatchedCriterion[] | undefined {
  const { declaration } = facts;
  const held = (detail: string, onItem = false): MatchedCriterion[] => [
    { type: criterion.type, ...(onItem ? { item: item.sequence } : {}), detail },
  ];
  switch (criterion.type) {
    case 'hsCode': {
      const code = item.commodityCode;
      const prefix = code === undefined ? undefined : criterion.prefixes.find((p) => code.startsWith(p));
      return prefix === undefined
        ? undefined
        : held(`item ${item.sequence} commodity code ${item.commodityCode} is under ${prefix}`, true);
    }
    case 'originCountry':
      return item.origin !== undefined && criterion.countries.includes(item.origin)
        ? held(`item ${item.sequence} originates in ${item.origin}`, true)
        : undefined;
    case 'dispatchCountry': {
      const dispatch = declaration.countryOfDispatch;
      return dispatch !== undefined && criterion.countries.includes(dispatch) ? held(`dispatched from ${dispatch}`) : undefined;
    }
    case 'traderCreditClass':
      return criterion.classes.includes(facts.creditClass) ? held(`trader credit class ${facts.creditClass}`) : undefined;
    case 'firstTimeImporter':
      return facts.firstTimeImporter ? held('first-time importer') : undefined;
    case 'transactionTerms':
      return criterion.terms.includes(declaration.transactionTerms)
        ? held(`transaction terms ${declaration.transactionTerms}`)
        : undefined;
    case 'tradeMode': {
      const mode = declaration.tradeMode;
      return mode !== undefined && criterion.modes.includes(mode) ? held(`trade mode ${mode}`) : undefined;
    }
    case 'watchListedParty':
      return watchListed(criterion, declaration);
    case 'documentMissing': {
      const present = new Set([...item.documents, ...declaration.documents].map((d) => d.type));
      return criterion.documentTypes.some((type) => present.has(type))
        ? undefined
        : held(`item ${item.sequence} carries none of the documents ${criterion.documentTypes.join(', ')}`, true);
    }
    case 'unitPriceDeviation':
      return priceDeviation(criterion, facts, item);
    case 'valuationConfirmation': {
      const confirmed = declaration.valuationConfirmations?.[criterion.confirmation];
      return confirmed === criterion.is ? held(`${CONFIRMATION_LABEL[criterion.confirmation]} confirmed ${confirmed ? 'yes' : 'no'}`) : undefined;
    }
  }
}

const CONFIRMATION_LABEL = {
  specialRelationship: 'special relationship (特殊关系)',
  priceInfluence: 'price influenced by the relationship (价格影响)',
  royaltiesPayable: 'royalties payable (特许权使用费)',
} as const;

function watchListed(
  criterion: Extract<LeafCriterion, { type: 'watchListedParty' }>,
  declaration: Declaration,
): MatchedCriterion[] | undefined {
  const roles: PartyRole[] = criterion.roles ?? ['declarant', 'importer', 'exporter'];
  const matched = roles.flatMap((role) => {
    const party = declaration[role];
    const listed = party && criterion.parties.find((p) => p.id === party.id);
    return listed
      ? [{ type: criterion.type, detail: `${role} ${party.id} is watch-listed${listed.reason ? ` (${listed.reason})` : ''}` }]
      : [];
  });
  return matched.length > 0 ? matched : undefined;
}

/**
 * Compare the item's declared unit price with the reference price of the longest matching
 * commodity prefix, in the invoice currency and a quantity unit both share. Without such a
 * reference the criterion does not hold: no conversion is guessed here.
 */
function priceDeviation(
  criterion: Extract<LeafCriterion, { type: 'unitPriceDeviation' }>,
  facts: ScreeningFacts,
  item: GoodsItem,
): MatchedCriterion[] | undefined {
  const { commodityCode, invoiceAmount } = item;
  // Nothing to compare on a customs clearance request that declares neither code nor price.
  if (commodityCode === undefined || invoiceAmount === undefined) return undefined;
  const quantities = [item.quantity, item.statutoryQuantity].filter((q) => q !== undefined && Number(q.value) > 0);
  const candidates = facts.referencePrices
    .filter((ref) => commodityCode.startsWith(ref.commodityPrefix) && ref.currency === facts.declaration.invoiceCurrency)
    .filter((ref) => Number(ref.price) > 0 && quantities.some((q) => q!.unit === ref.unit))
    .sort((a, b) => b.commodityPrefix.length - a.commodityPrefix.length);
  const reference = candidates[0];
  if (!reference) return undefined;
  const quantity = quantities.find((q) => q!.unit === reference.unit)!;
  const unitPrice = new Decimal(invoiceAmount).div(quantity.value);
  const deviation = unitPrice.minus(reference.price).div(reference.price).times(100);
  const words = `item ${item.sequence} unit price ${unitPrice.toFixed(2, Decimal.ROUND_HALF_UP)} ${reference.currency}/${reference.unit}`;
  const against = `reference ${reference.price} for ${reference.commodityPrefix}`;
  if (criterion.belowPercent !== undefined && deviation.lte(new Decimal(criterion.belowPercent).neg())) {
    return [{ type: criterion.type, item: item.sequence, detail: `${words} is ${percent(deviation.neg())} below ${against}` }];
  }
  if (criterion.abovePercent !== undefined && deviation.gte(criterion.abovePercent)) {
    return [{ type: criterion.type, item: item.sequence, detail: `${words} is ${percent(deviation)} above ${against}` }];
  }
  return undefined;
}

const percent = (value: Decimal) => `${value.toFixed(2, Decimal.ROUND_HALF_UP)} %`;

/** A criterion in words, for explanations. */
export function describeCriterion(criterion: Criterion): string {
  switch (criterion.type) {
    case 'all':
      return criterion.of.map(describeCriterion).join(' and ');
    case 'any':
      return criterion.of.map(describeCriterion).join(' or ');
    case 'not':
      return `not (${describeCriterion(criterion.criterion)})`;
    case 'hsCode':
      return `commodity code under ${criterion.prefixes.join('/')}`;
    case 'originCountry':
      return `origin ${criterion.countries.join('/')}`;
    case 'dispatchCountry':
      return `dispatched from ${criterion.countries.join('/')}`;
    case 'traderCreditClass':
      return `credit class ${criterion.classes.join('/')}`;
    case 'firstTimeImporter':
      return 'first-time importer';
    case 'transactionTerms':
      return `transaction terms ${criterion.terms.join('/')}`;
    case 'tradeMode':
      return `trade mode ${criterion.modes.join('/')}`;
    case 'watchListedParty':
      return 'watch-listed party';
    case 'documentMissing':
      return `none of the documents ${criterion.documentTypes.join('/')}`;
    case 'unitPriceDeviation':
      return [
        criterion.belowPercent && `unit price ${criterion.belowPercent} % or more below reference`,
        criterion.abovePercent && `unit price ${criterion.abovePercent} % or more above reference`,
      ]
        .filter(Boolean)
        .join(' or ');
    case 'valuationConfirmation':
      return `${CONFIRMATION_LABEL[criterion.confirmation]} confirmed ${criterion.is ? 'yes' : 'no'}`;
  }
}
