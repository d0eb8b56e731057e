import type { ValidationIssue } from '../errors.js';

/**
 * The catalogue of intake rejection codes (DESIGN.md §8, issue #4). Modelled on HMRC's CDS
 * error codes (`reference-data/code-tables/hmrc-cds-codelists/dmsErrorCodes.json`: a stable
 * code, a message, a pointer to the element). A code, once published, never changes meaning;
 * retire a code rather than reuse it.
 *
 * Templates name their parameters in braces, e.g. `{value}`; `issue()` fills them in.
 */
export const ERROR_CATALOGUE = {
  // — the body as a whole —
  'CWY-INPUT-001': 'The body is {size} bytes; the limit is {limit} bytes',
  'CWY-MEDIA-001': 'Content type "{contentType}" is not accepted; send application/json, application/xml or text/xml',
  'CWY-MEDIA-002': 'Content type "{contentType}" is not accepted; send application/json',
  'CWY-JSON-001': 'The body is not well-formed JSON: {detail}',
  'CWY-XML-001': 'The body is not well-formed XML: {detail}',
  'CWY-XML-002': 'DOCTYPE and ENTITY declarations are not accepted (no DTD, no external or custom entities)',
  'CWY-XML-003': 'XML elements are nested deeper than {limit} levels',
  'CWY-XML-004': 'The XML is not a WCO DMS declaration message (expected MetaData/Declaration with WCOTypeName DEC, found {found})',
  'CWY-XML-005': 'WCO data model version {value} is not supported; send version 3.6',
  'CWY-XML-006': 'A {typeCode} message is not {expected}',

  // — schema: the canonical model (zod) —
  'CWY-SCHEMA-001': 'Mandatory element is missing',
  'CWY-SCHEMA-002': 'Wrong type: expected {expected}',
  'CWY-SCHEMA-003': 'Invalid format: {detail}',
  'CWY-SCHEMA-004': 'Value is not one of the allowed codes: {allowed}',
  'CWY-SCHEMA-005': 'Too short or too few: at least {minimum}',
  'CWY-SCHEMA-006': 'Too long or too many: at most {maximum}',
  'CWY-SCHEMA-009': 'Invalid value: {detail}',

  // — mapping a WCO DMS declaration onto the canonical model —
  'CWY-WCO-001': 'Responsible country {value} has no jurisdiction profile here (GB and CN are known)',
  'CWY-WCO-002': 'Declaration type {value} is neither an import (IM…) nor an export (EX…)',
  'CWY-WCO-003': 'Delivery terms code {value} is not an Incoterms 2020 code',
  'CWY-WCO-004': 'Amount in {value} but the declaration\'s invoice currency is {expected}: one invoice currency per declaration',
  'CWY-WCO-005': 'Total number of items (DE 1/9) is {value} but {count} goods items were declared',
  'CWY-WCO-006': 'Deductions (DE 4/9 code {value}) can be declared on goods items only',
  'CWY-WCO-007': 'Measure in unit {value}; masses must be declared in kilograms (KGM)',

  // — amendments and cancellations —
  'CWY-AMEND-001': 'The identification (MRN) of the declaration to {action} is missing',
  'CWY-AMEND-002': 'A reason (AdditionalInformation StatementDescription with type AES) is required',
  'CWY-AMEND-003': 'An amendment must point at the data it changes (Amendment/Pointer)',
  'CWY-AMEND-004': 'The amendment changes {path}, which the declaration does not have',
  'CWY-AMEND-005': '{path} identifies the declaration and cannot be amended; cancel it and lodge a new one',
  'CWY-AMEND-006': 'The amendment pointer {pointer} names no data element that can be amended here, or carries no new value',
  'CWY-AMEND-008': 'The amendment changes nothing in the declaration',
  'CWY-AMEND-007': 'The message is for declaration {value}, but this declaration\'s entry number is {expected}',
  'CWY-AMEND-009': 'Customs re-established the tax of this declaration in audit case {caseId}: a correction is a finding of that case, not an amendment',

  // — business rules (validate.ts) —
  'CWY-HS-001': 'Commodity code {value}: heading {hs6} does not exist in the Harmonized System 2022',
  'CWY-HS-002': 'Commodity code {value} must have 10 digits for a Chinese declaration',
  'CWY-TERMS-001': 'Freight must be declared when the transaction terms are {terms}',
  'CWY-TERMS-002': 'Insurance is already included in a {terms} price; declaring it again would count it twice',
  'CWY-TERMS-003': 'Freight is already included in a {terms} price; declaring it again would count it twice',
  'CWY-CN-001': 'Trade mode (监管方式) {value} is not in the code table',
  'CWY-CN-002': 'Duty-exemption nature (征免性质) {value} is not in the code table',
  'CWY-CN-003': 'Duty mode (征免方式) {value} is not in the code table',
  'CWY-CN-004': 'Trade mode {value} needs the record number (备案号) of its manual or certificate',
  'CWY-CN-005': 'Trade mode (监管方式) is mandatory on a Chinese declaration',
  'CWY-CN-006': 'A Chinese declaration form holds at most {maximum} goods items ({count} declared); split the consignment over several declarations',
  'CWY-SIZE-001': 'The declaration is {size} KB; at most {maximum} KB can be recorded as one declaration here — split the consignment',
  'CWY-USCC-001': 'Party identifier {value} is not an 18-character unified social credit code (GB 32100-2015)',
  'CWY-USCC-002': 'Unified social credit code {value}: check character should be {expected}',
  'CWY-EORI-001': 'EORI {value} must be GB followed by 12 or 15 digits',
  'CWY-MASS-001': 'Net mass {net} kg exceeds gross mass {gross} kg',
  'CWY-QTY-001': 'Quantity must be greater than zero',
  'CWY-CUR-001': 'Currency {value} is not an ISO 4217 currency code',
  'CWY-CTRY-001': 'Country {value} is not an ISO 3166-1 alpha-2 country code',
  'CWY-CTRY-002': 'An import into {jurisdiction} is destined for {jurisdiction}, not {value}',
  'CWY-SEQ-001': 'Goods item sequence number is {value}; items must be numbered 1..n without gaps (expected {expected})',
} as const;

export type CatalogueCode = keyof typeof ERROR_CATALOGUE;

/** Parameters that fill a catalogue message template. */
export type MessageParams = Record<string, string | number>;

/** The catalogue message for `code` with its `{placeholders}` filled from `params`. */
export function catalogueMessage(code: CatalogueCode, params: MessageParams = {}): string {
  return ERROR_CATALOGUE[code].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A coded validation issue at `pointer` (JSON Pointer or XML element path). */
export function issue(code: CatalogueCode, pointer: string, params: MessageParams = {}): ValidationIssue {
  return { code, message: catalogueMessage(code, params), pointer };
}
