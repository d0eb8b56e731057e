import Decimal from 'decimal.js';
import type { ValidationIssue } from '../errors.js';
import { issue } from './errors-catalogue.js';
import type { IntakeReference } from './intake-reference.js';
import type { Declaration, Party, TransactionTerms } from './model.js';
import { isGbEori, isUsccFormat, usccCheckCharacter } from './party-identifiers.js';

/**
 * The business rules of receipt, run on a declaration the schema has accepted. Every rule
 * runs and every issue is returned (issue #4: "all errors of a submission at once"), each
 * with its catalogue code and the JSON Pointer of the offending field.
 */
export function validateDeclaration(declaration: Declaration, refs: IntakeReference): ValidationIssue[] {
  return [
    ...checkRecordable(declaration),
    ...checkItems(declaration, refs),
    ...checkCurrencies(declaration, refs),
    ...checkCountries(declaration, refs),
    ...(declaration.jurisdiction === 'CN' ? checkChineseForm(declaration, refs) : []),
    ...(declaration.jurisdiction === 'GB' ? checkGbParties(declaration) : []),
  ];
}

/**
 * What one declaration record can hold: the declaration is stored with its tax lines, ledger and
 * status in one item of at most 400 KB (DynamoDB's item limit); each goods item adds about 1 KB
 * of tax lines, so a declaration larger than this is refused at receipt instead of being accepted
 * and then failing at assessment.
 */
const MAX_DECLARATION_KB = 96;

function checkRecordable(declaration: Declaration): ValidationIssue[] {
  const size = Math.ceil(Buffer.byteLength(JSON.stringify(declaration)) / 1024);
  return size > MAX_DECLARATION_KB ? [issue('CWY-SIZE-001', '/items', { size, maximum: MAX_DECLARATION_KB })] : [];
}

/** Sequence 1..n, HS 2022 subheading, net ≤ gross mass, positive quantities. */
function checkItems(declaration: Declaration, refs: IntakeReference): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const gap = declaration.items.findIndex((item, index) => item.sequence !== index + 1);
  if (gap >= 0) {
    issues.push(issue('CWY-SEQ-001', `/items/${gap}/sequence`, { value: declaration.items[gap].sequence, expected: gap + 1 }));
  }
  declaration.items.forEach((item, index) => {
    const at = `/items/${index}`;
    // A customs clearance request may leave the commodity code out (categories.ts); a declared one must exist.
    const hs6 = item.commodityCode?.slice(0, 6);
    if (hs6 !== undefined && !refs.hs6.has(hs6)) issues.push(issue('CWY-HS-001', `${at}/commodityCode`, { value: item.commodityCode!, hs6 }));
    if (item.netMassKg !== undefined && item.grossMassKg !== undefined && new Decimal(item.netMassKg).gt(item.grossMassKg)) {
      issues.push(issue('CWY-MASS-001', `${at}/netMassKg`, { net: item.netMassKg, gross: item.grossMassKg }));
    }
    for (const field of ['quantity', 'statutoryQuantity'] as const) {
      const quantity = item[field];
      if (quantity && new Decimal(quantity.value).lte(0)) issues.push(issue('CWY-QTY-001', `${at}/${field}/value`));
    }
  });
  return issues;
}

/** ISO 4217 for the invoice currency and every charge's currency. */
function checkCurrencies(declaration: Declaration, refs: IntakeReference): ValidationIssue[] {
  const declared: [string, string | undefined][] = [
    ['/invoiceCurrency', declaration.invoiceCurrency],
    ['/freight/currency', declaration.freight?.currency],
    ['/insurance/currency', declaration.insurance?.currency],
    ['/otherCharges/currency', declaration.otherCharges?.currency],
  ];
  return declared
    .filter(([, currency]) => currency !== undefined && !refs.currencies.has(currency))
    .map(([pointer, currency]) => issue('CWY-CUR-001', pointer, { value: currency as string }));
}

/**
 * ISO 3166-1 for every country the declaration names: each item's origin, dispatch and
 * destination, and the parties'. A CN import is an import into China (海关法 Art. 2: goods
 * entering its customs territory), so a destination it declares is CN.
 */
function checkCountries(declaration: Declaration, refs: IntakeReference): ValidationIssue[] {
  const declared: [string, string | undefined][] = [
    ['/countryOfDispatch', declaration.countryOfDispatch],
    ['/countryOfDestination', declaration.countryOfDestination],
    ...(['declarant', 'importer', 'exporter'] as const).map((role): [string, string | undefined] => [`/${role}/country`, declaration[role]?.country]),
    ['/exporterWithoutId/country', declaration.exporterWithoutId?.country],
    ...declaration.items.map((item, index): [string, string | undefined] => [`/items/${index}/origin`, item.origin]),
  ];
  const issues = declared
    .filter(([, country]) => country !== undefined && !refs.countries.has(country))
    .map(([pointer, country]) => issue('CWY-CTRY-001', pointer, { value: country as string }));
  const destination = declaration.countryOfDestination;
  if (declaration.jurisdiction === 'CN' && declaration.direction === 'IMPORT' && destination !== undefined && destination !== 'CN') {
    issues.push(issue('CWY-CTRY-002', '/countryOfDestination', { value: destination, jurisdiction: 'CN' }));
  }
  return issues;
}

/**
 * What the price basis already contains of the costs up to the place of import (关税法
 * Arts. 24–25: the dutiable value is the transaction value plus transport, related costs and
 * insurance up to the place of import; 成交方式 code table: 1 CIF, 2 CFR, 3 FOB, 4 C&I, 7 EXW).
 * - Freight the price leaves out must be declared (CWY-TERMS-001).
 * - Insurance the price leaves out may be omitted: when it cannot be determined, customs takes
 *   3‰ of cost plus freight (海关审定进出口货物完税价格办法, GACC Order No. 213), which the
 *   tax stage applies; so its absence is not an error.
 * - A cost the price already contains must not be declared again (CWY-TERMS-002/003).
 */
const INCLUDED_IN_PRICE: Readonly<Record<TransactionTerms, { freight: boolean; insurance: boolean }>> = {
  CIF: { freight: true, insurance: true },
  CFR: { freight: true, insurance: false },
  CI: { freight: false, insurance: true },
  FOB: { freight: false, insurance: false },
  EXW: { freight: false, insurance: false },
};

/**
 * Trade modes whose 备案号 must be filled: the processing-trade (加工贸易) and duty-reduced
 * equipment blocks of the 监管方式 table, codes 02xx–08xx (来料/进料 processing, processing
 * equipment, 减免设备结转, 补偿贸易). GACC 《进出口货物报关单填制规范》 (2019 No. 18), 备案号:
 * processing-trade goods declare their 加工贸易手册/账册 number, duty-reduced goods their
 * 征免税证明 number.
 */
const RECORD_NUMBER_TRADE_MODE = /^0[2-8]\d{2}$/;

/** Goods items one Chinese declaration form holds. */
const CN_MAX_ITEMS = 50;

function checkChineseForm(declaration: Declaration, refs: IntakeReference): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const { tradeMode, exemptionNature } = declaration;
  if (tradeMode === undefined) issues.push(issue('CWY-CN-005', '/tradeMode'));
  else if (!refs.cn.tradeModes.has(tradeMode)) issues.push(issue('CWY-CN-001', '/tradeMode', { value: tradeMode }));
  if (tradeMode !== undefined && RECORD_NUMBER_TRADE_MODE.test(tradeMode) && !declaration.recordNumber) {
    issues.push(issue('CWY-CN-004', '/recordNumber', { value: tradeMode }));
  }
  if (exemptionNature !== undefined && !refs.cn.exemptionNatures.has(exemptionNature)) {
    issues.push(issue('CWY-CN-002', '/exemptionNature', { value: exemptionNature }));
  }

  // 报关单填制规范: one declaration form declares up to 50 commodity items (商品项).
  if (declaration.items.length > CN_MAX_ITEMS) {
    issues.push(issue('CWY-CN-006', `/items/${CN_MAX_ITEMS}`, { maximum: CN_MAX_ITEMS, count: declaration.items.length }));
  }

  const terms = declaration.transactionTerms;
  const included = INCLUDED_IN_PRICE[terms];
  if (!included.freight && !declaration.freight) issues.push(issue('CWY-TERMS-001', '/freight', { terms }));
  if (included.freight && declaration.freight) issues.push(issue('CWY-TERMS-003', '/freight', { terms }));
  if (included.insurance && declaration.insurance) issues.push(issue('CWY-TERMS-002', '/insurance', { terms }));

  declaration.items.forEach((item, index) => {
    // 海关统计商品目录 and the single window require the full 10-digit Chinese commodity code
    if (item.commodityCode !== undefined && item.commodityCode.length !== 10) {
      issues.push(issue('CWY-HS-002', `/items/${index}/commodityCode`, { value: item.commodityCode }));
    }
    if (item.dutyMode !== undefined && !refs.cn.dutyModes.has(item.dutyMode)) {
      issues.push(issue('CWY-CN-003', `/items/${index}/dutyMode`, { value: item.dutyMode }));
    }
  });
  for (const [pointer, party] of chineseParties(declaration)) issues.push(...checkUscc(pointer, party));
  return issues;
}

/**
 * Parties that must carry a unified social credit code: every party in China, and on a Chinese
 * declaration the declarant and the domestic trader (importer on import, exporter on export)
 * unless they are declared in another country.
 */
function chineseParties(declaration: Declaration): [string, Party][] {
  const domestic = declaration.direction === 'IMPORT' ? 'importer' : 'exporter';
  const parties: [string, Party | undefined][] = [
    ['/declarant', declaration.declarant],
    ['/importer', declaration.importer],
    ['/exporter', declaration.exporter],
  ];
  return parties.filter((entry): entry is [string, Party] => {
    const [pointer, party] = entry;
    if (!party) return false;
    const isDomesticRole = pointer === '/declarant' || pointer === `/${domestic}`;
    return party.country === 'CN' || (isDomesticRole && party.country === undefined);
  });
}

function checkUscc(pointer: string, party: Party): ValidationIssue[] {
  if (!isUsccFormat(party.id)) return [issue('CWY-USCC-001', `${pointer}/id`, { value: party.id })];
  const expected = usccCheckCharacter(party.id.slice(0, 17));
  return expected === party.id[17] ? [] : [issue('CWY-USCC-002', `${pointer}/id`, { value: party.id, expected })];
}

/** The declarant and the importer are identified by GB EORI numbers (UK DE 3/18, DE 3/16). */
function checkGbParties(declaration: Declaration): ValidationIssue[] {
  const parties: [string, Party | undefined][] = [
    ['/declarant', declaration.declarant],
    ['/importer', declaration.importer],
  ];
  return parties
    .filter(([, party]) => party !== undefined && !isGbEori(party.id))
    .map(([pointer, party]) => issue('CWY-EORI-001', `${pointer}/id`, { value: (party as Party).id }));
}
