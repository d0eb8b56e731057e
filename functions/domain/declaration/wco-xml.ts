import Decimal from 'decimal.js';
import type { ValidationIssue } from '../errors.js';
import { issue } from './errors-catalogue.js';
import { MalformedSubmissionError } from './intake-errors.js';
import { DecimalString, type DeclarationInput, type PaymentMethod, type TransactionTerms } from './model.js';
import { childrenNamed, first, parseSafeXml, textAt, type XmlElement } from './safe-xml.js';
import { readWcoAmendment, readWcoCancellation, type WcoAmendment, type WcoCancellation } from './wco-additional-messages.js';
import { wcoElementPath } from './wco-element-paths.js';

/**
 * WCO Data Model 3.6 (DMS, as HMRC's CDS publishes it) → the canonical declaration.
 *
 * Choices, read off the annotated HMRC samples in `examples/wco-dms/`:
 * - Invoice amount = DE 4/14 item price, `Commodity/InvoiceLine/ItemChargeAmount` ("The invoice
 *   was issued with a value of 1000 and the currency was in GBP", TT_IM001a). It is the price
 *   actually paid, the basis of transaction value. `StatisticalValueAmount` (DE 8/6) is not used:
 *   it is a statistical figure that already contains freight and insurance to the border.
 * - Invoice currency = `InvoiceAmount/@currencyID` (DE 4/11) when declared, else the first item
 *   price's `currencyID`; every item price must be in that one currency.
 * - Commodity code = the `Classification` with `IdentificationTypeCode` TSP, the 8-digit
 *   combined-nomenclature code (DE 6/14); the TARIC suffix (TRC, DE 6/15) and national
 *   additional codes (GN, DE 6/17) are measures, not part of the commodity code.
 * - Origin = `Origin` with TypeCode 1 (non-preferential, DE 5/15), else the first `Origin`.
 * - Payment = DE 4/8 `DutyTaxFee/Payment/MethodCode` of the first tax line that states one:
 *   E deferment → DEFERMENT (account: the DAN of header `AdditionalDocument` TypeCode DAN, DE 2/6);
 *   guarantee codes → GUARANTEE (account: `ObligationGuarantee/ID`, DE 8/3); others IMMEDIATE.
 * - Transaction terms = DE 4/1 `TradeTerms/ConditionCode` (Incoterms 2020), reduced to what
 *   each term includes in the price: see `TERMS_BASIS`. Without DE 4/1 the item price is the
 *   valuation basis as declared and additions come only from DE 4/9, i.e. CIF.
 * - Valuation: DE 4/9 additions (codes A…) and deductions (codes B…) of an item,
 *   `CustomsValuation/ChargeDeduction`, become its valuationAdjustment / valuationDeduction;
 *   header-level additions become otherCharges. DE 4/13 `ValuationAdjustment/AdditionCode` is an
 *   indicator (four 0/1 flags), not an amount, and carries no money.
 * - Quantity = DE 6/10 number of packages with DE 6/9 package type; statutory quantity = DE 6/2
 *   supplementary units (`GoodsMeasure/TariffQuantity`); masses DE 6/1 and 6/5 in kilograms.
 * - Documents: DE 2/3 item documents and DE 2/1 previous documents are written as the tariff
 *   writes their codes, category letter + type (C506, N935, Z355); DE 2/6 header documents keep
 *   their type (DAN).
 */

/** A WCO DMS message read from XML: a declaration to validate, or an additional message. */
export type WcoMessage = WcoDeclarationMessage | WcoAmendment | WcoCancellation;

/** A declaration mapped onto the canonical model, not yet validated against it. */
export interface WcoDeclarationMessage {
  kind: 'DECLARATION';
  /** The canonical declaration as read; the schema decides whether it is complete. */
  candidate: Partial<DeclarationInput>;
  /** Problems found while mapping, pointed at WCO element paths. */
  issues: ValidationIssue[];
  /** The element path a canonical field was read from, where it has more than one source. */
  sources: Record<string, string>;
}

/** DE 4/8 method-of-payment codes that draw on a guarantee (UK Tariff Vol. 3, CDS Appendix 1, DE 4/8). */
const GUARANTEE_METHOD_CODES = new Set(['M', 'R', 'S', 'T', 'U', 'V']);
const DEFERMENT_METHOD_CODE = 'E';

/**
 * Incoterms 2020 (and 2010's DAT) by what the seller's price already includes up to the place of
 * import: C and D terms with insurance or delivery (CIF, CIP, DAP, DPU, DDP) include freight and
 * insurance; CFR and CPT include carriage only; FOB, FCA and FAS include neither; EXW not even
 * the export-country leg.
 */
const TERMS_BASIS: Readonly<Record<string, TransactionTerms>> = {
  CIF: 'CIF', CIP: 'CIF', DAP: 'CIF', DPU: 'CIF', DDP: 'CIF', DAT: 'CIF',
  CFR: 'CFR', CPT: 'CFR',
  FOB: 'FOB', FCA: 'FOB', FAS: 'FOB',
  EXW: 'EXW',
};
const JURISDICTIONS = new Set(['GB', 'CN']);
const KILOGRAM = 'KGM';
const SUPPORTED_VERSION = '3.6';
const ITEM_PATH = '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem';

/**
 * Reads a WCO DMS 3.6 message (hardened XML parsing, see `safe-xml.ts`): a declaration is
 * mapped onto the canonical model; an amendment (TypeCode COR) or a cancellation (TypeCode INV)
 * is read into its own small object.
 * @throws MalformedSubmissionError when the XML is unreadable, hostile or not a WCO DMS declaration message.
 */
export function parseWcoMessage(xml: string): WcoMessage {
  const root = parseSafeXml(xml);
  const declaration = first(root, 'Declaration');
  const typeName = textAt(root, 'WCOTypeName');
  if (root.name !== 'MetaData' || !declaration || typeName !== 'DEC') {
    throw new MalformedSubmissionError('CWY-XML-004', { found: `${root.name}${typeName ? ` with WCOTypeName ${typeName}` : ''}` });
  }
  const version = textAt(root, 'WCODataModelVersionCode');
  if (version !== SUPPORTED_VERSION) {
    throw new MalformedSubmissionError('CWY-XML-005', { value: version ?? 'none' }, '/MetaData/WCODataModelVersionCode');
  }
  const typeCode = textAt(declaration, 'TypeCode');
  if (typeCode === 'COR') return readWcoAmendment(declaration);
  if (typeCode === 'INV') return readWcoCancellation(declaration);
  return readDeclaration(root, declaration);
}

function readDeclaration(root: XmlElement, declaration: XmlElement): WcoDeclarationMessage {
  const issues: ValidationIssue[] = [];
  const sources: Record<string, string> = {};
  const shipment = first(declaration, 'GoodsShipment');
  const itemElements = childrenNamed(shipment, 'GovernmentAgencyGoodsItem');

  const invoiceCurrency = readInvoiceCurrency(declaration, itemElements, sources);
  const items = itemElements.map((element, index) => readItem(element, index, invoiceCurrency, issues));
  checkItemCount(declaration, items.length, issues);

  const exporterElement = first(declaration, 'Exporter') ?? first(shipment, 'Exporter');
  const exporter = exporterElement && textAt(exporterElement, 'ID') ? readParty(exporterElement) : undefined;
  const exporterWithoutId =
    exporterElement && !exporter && textAt(exporterElement, 'Name')
      ? { name: textAt(exporterElement, 'Name'), country: textAt(exporterElement, 'Address', 'CountryCode') }
      : undefined;

  const candidate: Partial<DeclarationInput> = {
    jurisdiction: readJurisdiction(root, issues),
    direction: readDirection(declaration, issues),
    typeCode: textAt(declaration, 'TypeCode'),
    lrn: textAt(declaration, 'FunctionalReferenceID'),
    declarant: readParty(first(declaration, 'Declarant')),
    importer: readParty(first(shipment, 'Importer')),
    exporter,
    exporterWithoutId: exporterWithoutId as DeclarationInput['exporterWithoutId'],
    office: readOffice(declaration, shipment, sources),
    transactionTerms: readTerms(shipment, issues),
    invoiceCurrency,
    otherCharges: readHeaderCharges(shipment, invoiceCurrency, issues),
    countryOfDispatch: textAt(shipment, 'ExportCountry', 'ID'),
    countryOfDestination: textAt(shipment, 'Destination', 'CountryCode'),
    transportMode: textAt(declaration, 'BorderTransportMeans', 'ModeCode'),
    payment: readPayment(declaration, itemElements, sources),
    containers: childrenNamed(first(shipment, 'Consignment'), 'TransportEquipment')
      .map((equipment) => textAt(equipment, 'ID'))
      .filter((id): id is string => id !== undefined),
    documents: readHeaderDocuments(declaration, shipment, sources),
    items: items as DeclarationInput['items'],
  };
  return { kind: 'DECLARATION', candidate: withoutUndefined(candidate), issues, sources };
}

function readJurisdiction(root: XmlElement, issues: ValidationIssue[]): DeclarationInput['jurisdiction'] | undefined {
  const country = textAt(root, 'ResponsibleCountryCode');
  if (country === undefined || JURISDICTIONS.has(country)) return country as DeclarationInput['jurisdiction'] | undefined;
  issues.push(issue('CWY-WCO-001', wcoElementPath('/jurisdiction'), { value: country }));
  return undefined;
}

/** DE 1/1: IM import, EX export; the third letter (DE 1/2) is the additional declaration type. */
function readDirection(declaration: XmlElement, issues: ValidationIssue[]): DeclarationInput['direction'] | undefined {
  const typeCode = textAt(declaration, 'TypeCode');
  if (typeCode === undefined) return undefined;
  if (typeCode.startsWith('IM')) return 'IMPORT';
  if (typeCode.startsWith('EX')) return 'EXPORT';
  issues.push(issue('CWY-WCO-002', wcoElementPath('/typeCode'), { value: typeCode }));
  return undefined;
}

function readTerms(shipment: XmlElement | undefined, issues: ValidationIssue[]): TransactionTerms | undefined {
  const code = textAt(shipment, 'TradeTerms', 'ConditionCode');
  if (code === undefined) return 'CIF';
  const terms = TERMS_BASIS[code];
  if (!terms) issues.push(issue('CWY-WCO-003', wcoElementPath('/transactionTerms'), { value: code }));
  return terms;
}

function readInvoiceCurrency(declaration: XmlElement, items: XmlElement[], sources: Record<string, string>): string | undefined {
  const header = first(declaration, 'InvoiceAmount')?.attributes.currencyID;
  if (header !== undefined) return header;
  const index = items.findIndex((item) => itemPrice(item)?.attributes.currencyID !== undefined);
  if (index < 0) {
    sources['/invoiceCurrency'] = `${ITEM_PATH}[1]/Commodity/InvoiceLine/ItemChargeAmount/@currencyID`;
    return undefined;
  }
  sources['/invoiceCurrency'] = `${ITEM_PATH}[${index + 1}]/Commodity/InvoiceLine/ItemChargeAmount/@currencyID`;
  return itemPrice(items[index])?.attributes.currencyID;
}

function itemPrice(item: XmlElement): XmlElement | undefined {
  return first(item, 'Commodity', 'InvoiceLine', 'ItemChargeAmount');
}

function checkItemCount(declaration: XmlElement, count: number, issues: ValidationIssue[]): void {
  const declared = textAt(declaration, 'GoodsItemQuantity');
  if (declared !== undefined && declared !== String(count)) {
    issues.push(issue('CWY-WCO-005', '/Declaration/GoodsItemQuantity', { value: declared, count }));
  }
}

function readItem(item: XmlElement, index: number, invoiceCurrency: string | undefined, issues: ValidationIssue[]) {
  const at = (field: string) => wcoElementPath(`/items/${index}/${field}`);
  const commodity = first(item, 'Commodity');
  const price = itemPrice(item);
  const priceCurrency = price?.attributes.currencyID;
  if (priceCurrency !== undefined && invoiceCurrency !== undefined && priceCurrency !== invoiceCurrency) {
    issues.push(issue('CWY-WCO-004', `${at('invoiceAmount')}/@currencyID`, { value: priceCurrency, expected: invoiceCurrency }));
  }
  const measure = first(commodity, 'GoodsMeasure');
  const charges = readCharges(first(item, 'CustomsValuation'), invoiceCurrency, at('valuationAdjustment'), issues);
  const sequence = textAt(item, 'SequenceNumeric');
  return withoutUndefined({
    sequence: sequence !== undefined && /^\d+$/.test(sequence) ? Number(sequence) : sequence,
    commodityCode: readCommodityCode(commodity),
    description: textAt(commodity, 'Description'),
    origin: readOrigin(item),
    invoiceAmount: price?.text || undefined,
    quantity: readPackages(item),
    statutoryQuantity: readTariffQuantity(measure),
    netMassKg: readMass(measure, 'NetNetWeightMeasure', at('netMassKg'), issues),
    grossMassKg: readMass(measure, 'GrossMassMeasure', at('grossMassKg'), issues),
    preference: childrenNamed(commodity, 'DutyTaxFee').map((fee) => textAt(fee, 'DutyRegimeCode')).find(Boolean),
    valuationAdjustment: charges.additions,
    valuationDeduction: charges.deductions,
    documents: childrenNamed(item, 'AdditionalDocument').map(readDocument),
  });
}

function readCommodityCode(commodity: XmlElement | undefined): string | undefined {
  const classifications = childrenNamed(commodity, 'Classification');
  const combined = classifications.find((classification) => textAt(classification, 'IdentificationTypeCode') === 'TSP');
  return textAt(combined ?? classifications.find((c) => textAt(c, 'IdentificationTypeCode') === undefined), 'ID');
}

function readOrigin(item: XmlElement): string | undefined {
  const origins = childrenNamed(item, 'Origin');
  const nonPreferential = origins.find((origin) => textAt(origin, 'TypeCode') === '1');
  return textAt(nonPreferential ?? origins[0], 'CountryCode');
}

/** DE 6/10 packages, summed over the item's packagings; the unit is their DE 6/9 type when they share one. */
function readPackages(item: XmlElement) {
  const packagings = childrenNamed(item, 'Packaging').filter((packaging) => textAt(packaging, 'QuantityQuantity') !== undefined);
  if (!packagings.length) return undefined;
  const counts = packagings.map((packaging) => textAt(packaging, 'QuantityQuantity') as string);
  const types = new Set(packagings.map((packaging) => textAt(packaging, 'TypeCode') ?? 'PK'));
  return { value: decimalSum(counts), unit: types.size === 1 ? [...types][0] : 'PK' };
}

function readTariffQuantity(measure: XmlElement | undefined) {
  const tariffQuantity = first(measure, 'TariffQuantity');
  if (!tariffQuantity?.text) return undefined;
  return { value: tariffQuantity.text, unit: tariffQuantity.attributes.unitCode };
}

function readMass(measure: XmlElement | undefined, name: string, pointer: string, issues: ValidationIssue[]): string | undefined {
  const mass = first(measure, name);
  const unit = mass?.attributes.unitCode;
  if (unit !== undefined && unit !== KILOGRAM) issues.push(issue('CWY-WCO-007', `${pointer}/@unitCode`, { value: unit }));
  return mass?.text || undefined;
}

/** DE 4/9 additions (codes A…) and deductions (codes B…), UCC Delegated Act Annex B. */
function readCharges(valuation: XmlElement | undefined, currency: string | undefined, pointer: string, issues: ValidationIssue[]) {
  const byKind = { A: [] as string[], B: [] as string[] };
  for (const charge of childrenNamed(valuation, 'ChargeDeduction')) {
    const kind = textAt(charge, 'ChargeTypeCode')?.charAt(0);
    const amount = first(charge, 'OtherChargeDeductionAmount');
    if ((kind !== 'A' && kind !== 'B') || !amount?.text) continue;
    const chargeCurrency = amount.attributes.currencyID;
    if (chargeCurrency !== undefined && currency !== undefined && chargeCurrency !== currency) {
      issues.push(issue('CWY-WCO-004', `${pointer}/@currencyID`, { value: chargeCurrency, expected: currency }));
    }
    byKind[kind].push(amount.text);
  }
  return {
    additions: byKind.A.length ? decimalSum(byKind.A) : undefined,
    deductions: byKind.B.length ? decimalSum(byKind.B) : undefined,
  };
}

function readHeaderCharges(shipment: XmlElement | undefined, currency: string | undefined, issues: ValidationIssue[]) {
  const valuation = first(shipment, 'CustomsValuation');
  for (const charge of childrenNamed(valuation, 'ChargeDeduction')) {
    const code = textAt(charge, 'ChargeTypeCode');
    if (code?.startsWith('B')) issues.push(issue('CWY-WCO-006', wcoElementPath('/otherCharges'), { value: code }));
  }
  const { additions } = readCharges(valuation, currency, wcoElementPath('/otherCharges/value'), issues);
  return additions === undefined ? undefined : { mark: 'TOTAL' as const, value: additions, currency };
}

/** Sums decimal strings exactly; a value that is not a decimal is passed on unchanged for the schema to reject. */
function decimalSum(values: string[]): string {
  const invalid = values.find((value) => !DecimalString.safeParse(value).success);
  return invalid ?? Decimal.sum(...values).toFixed();
}

function readParty(party: XmlElement | undefined) {
  if (!party) return undefined;
  return withoutUndefined({
    id: textAt(party, 'ID'),
    name: textAt(party, 'Name'),
    country: textAt(party, 'Address', 'CountryCode'),
  }) as DeclarationInput['declarant'];
}

function readOffice(declaration: XmlElement, shipment: XmlElement | undefined, sources: Record<string, string>): string | undefined {
  const candidates: [string, string | undefined][] = [
    ['/Declaration/PresentationOffice/ID', textAt(declaration, 'PresentationOffice', 'ID')],
    ['/Declaration/SupervisingOffice/ID', textAt(declaration, 'SupervisingOffice', 'ID')],
    ['/Declaration/GoodsShipment/Consignment/GoodsLocation/Name', textAt(shipment, 'Consignment', 'GoodsLocation', 'Name')],
  ];
  const found = candidates.find(([, value]) => value !== undefined);
  if (found) sources['/office'] = found[0];
  return found?.[1];
}

function readPayment(declaration: XmlElement, items: XmlElement[], sources: Record<string, string>) {
  for (const [index, item] of items.entries()) {
    const fees = childrenNamed(first(item, 'Commodity'), 'DutyTaxFee');
    const feeIndex = fees.findIndex((fee) => textAt(fee, 'Payment', 'MethodCode') !== undefined);
    if (feeIndex < 0) continue;
    const code = textAt(fees[feeIndex], 'Payment', 'MethodCode') as string;
    sources['/payment/method'] = `${ITEM_PATH}[${index + 1}]/Commodity/DutyTaxFee[${feeIndex + 1}]/Payment/MethodCode`;
    return paymentFor(code, declaration, sources);
  }
  return { method: 'IMMEDIATE' as PaymentMethod };
}

function paymentFor(code: string, declaration: XmlElement, sources: Record<string, string>) {
  if (code === DEFERMENT_METHOD_CODE) {
    const documents = childrenNamed(declaration, 'AdditionalDocument');
    const index = documents.findIndex((document) => textAt(document, 'TypeCode') === 'DAN');
    if (index >= 0) sources['/payment/account'] = `/Declaration/AdditionalDocument[${index + 1}]/ID`;
    return withoutUndefined({ method: 'DEFERMENT' as PaymentMethod, account: index >= 0 ? textAt(documents[index], 'ID') : undefined });
  }
  if (GUARANTEE_METHOD_CODES.has(code)) {
    sources['/payment/account'] = '/Declaration/ObligationGuarantee/ID';
    return withoutUndefined({ method: 'GUARANTEE' as PaymentMethod, account: textAt(declaration, 'ObligationGuarantee', 'ID') });
  }
  return { method: 'IMMEDIATE' as PaymentMethod };
}

/** DE 2/6 header documents, then DE 2/1 previous documents, each remembered by its element path. */
function readHeaderDocuments(declaration: XmlElement, shipment: XmlElement | undefined, sources: Record<string, string>) {
  const elements = [
    ...childrenNamed(declaration, 'AdditionalDocument').map((element, index) => ({ element, path: `/Declaration/AdditionalDocument[${index + 1}]` })),
    ...childrenNamed(shipment, 'PreviousDocument').map((element, index) => ({ element, path: `/Declaration/GoodsShipment/PreviousDocument[${index + 1}]` })),
  ];
  return elements.map(({ element, path }, index) => {
    sources[`/documents/${index}`] = path;
    return readDocument(element);
  });
}

/** DE 2/3 and 2/1 codes are category letter + type (C506, Z355); DE 2/6 header codes keep their type (DAN). */
function readDocument(document: XmlElement) {
  const category = textAt(document, 'CategoryCode');
  const type = textAt(document, 'TypeCode');
  const isLetterCategory = category !== undefined && /^[A-Z]$/.test(category);
  return withoutUndefined({
    type: isLetterCategory && type !== undefined ? `${category}${type}` : type,
    id: textAt(document, 'ID'),
    category,
  }) as { type: string; id: string; category?: string };
}

/** Drops undefined properties so the schema reports a missing element, not a wrong type. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
