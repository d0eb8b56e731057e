import { z } from 'zod';
import { CommodityCode, CountryCode, DecimalString, type Declaration, type GoodsItem } from '../declaration/model.js';
import { ValidationError } from '../errors.js';
import { assessDeclaration, type TaxAssessment } from '../tax/assess.js';
import type { TaxBinding } from '../tax/binding.js';
import type { TaxCatalog } from '../tax/catalog.js';
import { Dec } from '../tax/money.js';

/**
 * What an officer finds at document review or inspection (issue 6), and what it does to the
 * declaration: quantity, value, classification and origin findings amend it (and so its tax);
 * prohibited goods are seized.
 */
const OnItem = { item: z.number().int().positive() };
export const Finding = z.discriminatedUnion('type', [
  /** More (or fewer) goods than declared, at the declared unit price. */
  z.strictObject({ type: z.literal('quantity'), ...OnItem, found: DecimalString }),
  /** The invoice amount the goods really cost (invoice currency), e.g. from a second invoice. */
  z.strictObject({ type: z.literal('value'), ...OnItem, invoiceAmount: DecimalString }),
  z.strictObject({ type: z.literal('classification'), ...OnItem, commodityCode: CommodityCode }),
  z.strictObject({ type: z.literal('origin'), ...OnItem, origin: CountryCode }),
  z.strictObject({ type: z.literal('prohibitedGoods'), ...OnItem, description: z.string().min(1).max(2000) }),
]);
export type Finding = z.infer<typeof Finding>;

/** Metadata of a file the officer attached (the file itself lives in the document store). */
export const Attachment = z.strictObject({
  name: z.string().min(1).max(256),
  mediaType: z.string().min(3).max(128),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

const Common = {
  officer: z.string().min(1).max(64),
  /** Free text: the officer's reasoning, kept in the history. */
  reason: z.string().max(2000).optional(),
  attachments: z.array(Attachment).max(20).optional(),
};

/** Everything an officer may decide on a held declaration (`POST /declarations/{id}/decisions`). */
export const OfficerDecision = z.discriminatedUnion('decision', [
  /** Let the declaration go on to assessment as declared. */
  z.strictObject({ decision: z.literal('RELEASE'), ...Common }),
  /** End it with the reason. */
  z.strictObject({ decision: z.literal('REJECT'), ...Common }),
  /** Ask the declarant for documents; the item waits for `POST /declarations/{id}/documents`. */
  z.strictObject({
    decision: z.literal('REQUEST_DOCUMENTS'),
    ...Common,
    documents: z.array(z.strictObject({ type: z.string().min(1).max(8), description: z.string().max(256).optional() })).min(1).max(20),
  }),
  /** Pick a GREEN declaration standing by before release for control in a held channel. */
  z.strictObject({ decision: z.literal('SELECT_FOR_CONTROL'), ...Common, channel: z.enum(['YELLOW', 'RED', 'QUERY']) }),
  /** The inspection's result; a discrepancy carries at least one finding. */
  z.strictObject({
    decision: z.literal('INSPECTION_RESULT'),
    ...Common,
    result: z.enum(['NO_DISCREPANCY', 'DISCREPANCY']),
    findings: z.array(Finding).max(99).default([]),
  }).refine((d) => (d.result === 'DISCREPANCY') === d.findings.length > 0, {
    message: 'a DISCREPANCY needs findings, NO_DISCREPANCY none',
    path: ['findings'],
  }),
]);
export type OfficerDecision = z.infer<typeof OfficerDecision>;

/** What the workflow does next (the `decision` it resumes with); null while it keeps waiting. */
export type WorkflowOutcome = 'RELEASE' | 'REJECT' | 'AMEND' | 'SEIZE' | 'SELECT';

/** The workflow outcome of a decision: prohibited goods are seized, other findings amend the assessment. */
export function workflowOutcome(decision: OfficerDecision): WorkflowOutcome | null {
  switch (decision.decision) {
    case 'RELEASE':
    case 'REJECT':
      return decision.decision;
    case 'REQUEST_DOCUMENTS':
      return null;
    case 'SELECT_FOR_CONTROL':
      return 'SELECT';
    case 'INSPECTION_RESULT':
      if (decision.result === 'NO_DISCREPANCY') return 'RELEASE';
      return decision.findings.some((f) => f.type === 'prohibitedGoods') ? 'SEIZE' : 'AMEND';
  }
}

/**
 * The declaration as the officer found it: each finding replaces the declared fact of its
 * goods item. A quantity finding scales the item's invoice amount, statutory quantity and
 * masses in proportion (the declared unit price is kept). Prohibited-goods findings change
 * nothing here: the goods are seized, not taxed.
 * @throws ValidationError (CWY-REQ-004) when a finding names an item the declaration does not have,
 * or corrects a quantity it never declared
 */
export function applyFindings(declaration: Declaration, findings: readonly Finding[]): Declaration {
  const items = declaration.items.map((item) => ({ ...item }));
  findings.forEach((finding, index) => {
    const item = items.find((candidate) => candidate.sequence === finding.item);
    if (!item) throw findingRefused(index, 'item', `Finding on goods item ${finding.item}, which the declaration does not have (it has ${items.length})`);
    Object.assign(item, amendItem(item, finding, index));
  });
  return { ...declaration, items };
}

/** A finding the declaration cannot take (422 CWY-REQ-004), pointed at the field of the finding that says why. */
const findingRefused = (index: number, field: string, message: string) =>
  new ValidationError([{ code: 'CWY-REQ-004', message, pointer: `/findings/${index}/${field}` }]);

function amendItem(item: GoodsItem, finding: Finding, index: number): Partial<GoodsItem> {
  switch (finding.type) {
    case 'value':
      return { invoiceAmount: finding.invoiceAmount };
    case 'classification':
      return { commodityCode: finding.commodityCode };
    case 'origin':
      return { origin: finding.origin };
    case 'prohibitedGoods':
      return {};
    case 'quantity': {
      if (!item.quantity || new Dec(item.quantity.value).isZero()) {
        throw findingRefused(index, 'found', `Goods item ${item.sequence} declares no quantity to correct`);
      }
      const factor = new Dec(finding.found).div(item.quantity.value);
      const scale = (value: string) => new Dec(value).times(factor).toDecimalPlaces(6).toString();
      return {
        quantity: { ...item.quantity, value: finding.found },
        ...(item.invoiceAmount ? { invoiceAmount: new Dec(item.invoiceAmount).times(factor).toDecimalPlaces(2).toFixed(2) } : {}),
        ...(item.statutoryQuantity ? { statutoryQuantity: { ...item.statutoryQuantity, value: scale(item.statutoryQuantity.value) } } : {}),
        ...(item.netMassKg ? { netMassKg: scale(item.netMassKg) } : {}),
        ...(item.grossMassKg ? { grossMassKg: scale(item.grossMassKg) } : {}),
      };
    }
  }
}

/** Whether findings change what the tax binding was pinned on (commodity code or origin): then bind afresh. */
export const changesTaxBinding = (findings: readonly Finding[]) =>
  findings.some((f) => f.type === 'classification' || f.type === 'origin');

/**
 * The tax on the facts found — at inspection or in a post-clearance audit: the declaration with
 * the findings applied, assessed on its completion date with the pinned binding, or bound afresh
 * on that date when a finding changes a commodity code or an origin. Tax recovered or refunded
 * after release is assessed at the rates of the completion date (关税法 Art. 22 with Art. 20); a
 * shortfall the taxpayer caused at those of the day of the breach (Art. 22 para 2), which for a
 * mis-declaration is the same day.
 */
export function assessOnFindings(declaration: Declaration, findings: readonly Finding[], catalog: TaxCatalog, completedOn: string, binding: TaxBinding): TaxAssessment {
  return assessDeclaration(applyFindings(declaration, findings), catalog, completedOn, changesTaxBinding(findings) ? {} : { binding });
}
