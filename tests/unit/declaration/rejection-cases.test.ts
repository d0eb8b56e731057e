import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ERROR_CATALOGUE,
  MalformedSubmissionError,
  UnsupportedSubmissionTypeError,
  amendDeclaration,
  changesFromWco,
  checkMessageTarget,
  parseAndValidateSubmission,
  parseWcoMessage,
  type DeclarationInput,
  type IntakeReference,
  type WcoAmendment,
} from '../../../functions/domain/declaration/index.js';
import { CodedConflictError, ValidationError, type ValidationIssue } from '../../../functions/domain/errors.js';
import { refuseCorrectionAfterAudit } from '../../../functions/domain/audit/amendment-effect.js';
import { parseJsonBody } from '../../../functions/shared/http-input.js';
import { STANDARD_USCC, cnDeclaration, gbDeclaration, intakeReference, replaceOnce, wcoSample } from './fixtures.js';

/**
 * One rejection case per rule of receipt: each names the rule's source, the catalogue code it
 * must answer and the pointer to the offending field — a JSON Pointer for JSON, the WCO element
 * path for XML (as CDS's DMSREJ points at the element). Each case breaks exactly one rule of a
 * submission that is otherwise accepted, so exactly one issue is expected.
 */

const TT_IM001A = wcoSample('TT_IM001a/Step1_TT_IM001a.xml');
const AMENDMENT = wcoSample('TT_IM002b/TT_IM002b_Amendment.xml');
const CANCELLATION = wcoSample('TT_IM011a/TT_IM011a_Cancellation.xml');
const ITEM = '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]';

type Mutation = (declaration: DeclarationInput) => void;

const cnJson = (mutate: Mutation) => submitJson(cnDeclaration(), mutate);
const gbJson = (mutate: Mutation) => submitJson(gbDeclaration(), mutate);
const wcoXml = (from: string | RegExp, to: string) => () => parseAndValidateSubmission(replaceOnce(TT_IM001A, from, to), 'application/xml', intakeReference());
const item = (declaration: DeclarationInput) => declaration.items[0];

function submitJson(base: DeclarationInput, mutate: Mutation, refs: IntakeReference = intakeReference()) {
  mutate(base);
  return () => parseAndValidateSubmission(JSON.stringify(base), 'application/json', refs);
}

interface RejectionCase {
  rule: string;
  source: string;
  submit: () => unknown;
  code: keyof typeof ERROR_CATALOGUE;
  pointer: string;
}

const CASES: RejectionCase[] = [
  // — the body as a whole —
  { rule: 'body over the size limit', source: 'issue #4, OWASP', submit: () => parseAndValidateSubmission(`{"x":"${'x'.repeat(1024 * 1024)}"}`, 'application/json', intakeReference()), code: 'CWY-INPUT-001', pointer: '' },
  { rule: 'unsupported media type', source: 'RFC 9110 §15.5.16 (415)', submit: () => parseAndValidateSubmission('lrn=1', 'text/plain', intakeReference()), code: 'CWY-MEDIA-001', pointer: '' },
  { rule: 'a request body other than JSON', source: 'RFC 9110 §15.5.16 (415)', submit: () => parseJsonBody(requestWith('reason=x', 'text/plain'), z.object({})), code: 'CWY-MEDIA-002', pointer: '' },
  { rule: 'malformed JSON', source: 'RFC 8259', submit: () => parseAndValidateSubmission('{"lrn": ', 'application/json', intakeReference()), code: 'CWY-JSON-001', pointer: '' },
  { rule: 'malformed XML', source: 'XML 1.0 §2.1 well-formedness', submit: wcoXml('</Declaration>', ''), code: 'CWY-XML-001', pointer: '' },
  { rule: 'DTD / entity declarations', source: 'OWASP XXE Prevention Cheat Sheet', submit: wcoXml(/^<\?xml[^>]*>/, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'), code: 'CWY-XML-002', pointer: '' },
  { rule: 'nesting depth', source: 'issue #4 (depth limit)', submit: () => parseAndValidateSubmission(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`, 'application/xml', intakeReference()), code: 'CWY-XML-003', pointer: '' },
  { rule: 'not a WCO declaration message', source: 'WCO DMS: MetaData/WCOTypeName DEC', submit: () => parseAndValidateSubmission(wcoSample('Example_DMS_notifications/03_DMSREJ.xml'), 'application/xml', intakeReference()), code: 'CWY-XML-004', pointer: '' },
  { rule: 'data model version', source: 'WCO Data Model 3.6 (MetaData/WCODataModelVersionCode)', submit: wcoXml('<md:WCODataModelVersionCode>3.6<', '<md:WCODataModelVersionCode>3.5<'), code: 'CWY-XML-005', pointer: '/MetaData/WCODataModelVersionCode' },
  { rule: 'additional message sent as a declaration', source: 'TT_IM002b_Amendment: TypeCode COR', submit: () => parseAndValidateSubmission(AMENDMENT, 'application/xml', intakeReference()), code: 'CWY-XML-006', pointer: '/Declaration/TypeCode' },

  // — schema (JSON) —
  { rule: 'mandatory LRN missing', source: 'WCO DE 2/5 (mandatory)', submit: cnJson((d) => delete (d as Partial<DeclarationInput>).lrn), code: 'CWY-SCHEMA-001', pointer: '/lrn' },
  { rule: 'mandatory commodity code missing', source: 'WCO DE 6/14 (mandatory)', submit: cnJson((d) => delete (item(d) as Partial<DeclarationInput['items'][0]>).commodityCode), code: 'CWY-SCHEMA-001', pointer: '/items/0/commodityCode' },
  { rule: 'wrong type: sequence as a string', source: 'canonical model: sequence is an integer', submit: cnJson((d) => ((item(d) as { sequence: unknown }).sequence = '1')), code: 'CWY-SCHEMA-002', pointer: '/items/0/sequence' },
  { rule: 'format: commodity code with letters', source: 'HS: digits only', submit: cnJson((d) => (item(d).commodityCode = '85094000AB')), code: 'CWY-SCHEMA-003', pointer: '/items/0/commodityCode' },
  { rule: 'format: amount with a thousands separator', source: 'DESIGN.md §7 (decimal strings)', submit: cnJson((d) => (item(d).invoiceAmount = '100,000')), code: 'CWY-SCHEMA-003', pointer: '/items/0/invoiceAmount' },
  { rule: 'format: country of origin not alpha-2', source: 'ISO 3166-1 alpha-2', submit: cnJson((d) => (item(d).origin = 'USA')), code: 'CWY-SCHEMA-003', pointer: '/items/0/origin' },
  { rule: 'code list: transaction terms', source: '成交方式 code table (1 CIF, 2 CFR, 3 FOB, 4 C&I, 7 EXW)', submit: cnJson((d) => ((d as { transactionTerms: string }).transactionTerms = 'DAP')), code: 'CWY-SCHEMA-004', pointer: '/transactionTerms' },
  { rule: 'code list: payment method', source: 'canonical model PaymentMethod', submit: cnJson((d) => ((d.payment as { method: string }).method = 'CASH')), code: 'CWY-SCHEMA-004', pointer: '/payment/method' },
  { rule: 'no goods items', source: 'WCO DE 1/9: at least one item', submit: cnJson((d) => (d.items = [])), code: 'CWY-SCHEMA-005', pointer: '/items' },
  { rule: 'description too long', source: 'canonical model: 512 characters', submit: cnJson((d) => (item(d).description = 'x'.repeat(513))), code: 'CWY-SCHEMA-006', pointer: '/items/0/description' },

  // — WCO mapping —
  { rule: 'responsible country without a profile', source: 'WCO MetaData/ResponsibleCountryCode', submit: wcoXml('<md:ResponsibleCountryCode>GB<', '<md:ResponsibleCountryCode>US<'), code: 'CWY-WCO-001', pointer: '/MetaData/ResponsibleCountryCode' },
  { rule: 'declaration type neither import nor export', source: 'WCO DE 1/1 (IM, EX, CO)', submit: wcoXml('<TypeCode>IMA</TypeCode>', '<TypeCode>COA</TypeCode>'), code: 'CWY-WCO-002', pointer: '/Declaration/TypeCode' },
  { rule: 'delivery terms not an Incoterm', source: 'WCO DE 4/1, Incoterms 2020', submit: wcoXml('<ConditionCode>CIF<', '<ConditionCode>XYZ<'), code: 'CWY-WCO-003', pointer: '/Declaration/GoodsShipment/TradeTerms/ConditionCode' },
  { rule: 'item price in another currency than the invoice', source: 'WCO DE 4/11 and 4/14', submit: wcoXml('<GoodsItemQuantity>', '<InvoiceAmount currencyID="EUR">1000</InvoiceAmount><GoodsItemQuantity>'), code: 'CWY-WCO-004', pointer: `${ITEM}/Commodity/InvoiceLine/ItemChargeAmount/@currencyID` },
  { rule: 'total number of items disagrees', source: 'WCO DE 1/9', submit: wcoXml('<GoodsItemQuantity>1<', '<GoodsItemQuantity>2<'), code: 'CWY-WCO-005', pointer: '/Declaration/GoodsItemQuantity' },
  { rule: 'deduction at header level', source: 'WCO DE 4/9 (B codes are deductions)', submit: wcoXml('<TradeTerms>', '<CustomsValuation><ChargeDeduction><ChargeTypeCode>BA</ChargeTypeCode><OtherChargeDeductionAmount currencyID="GBP">10</OtherChargeDeductionAmount></ChargeDeduction></CustomsValuation><TradeTerms>'), code: 'CWY-WCO-006', pointer: '/Declaration/GoodsShipment/CustomsValuation/ChargeDeduction' },
  { rule: 'mass not in kilograms', source: 'WCO DE 6/1, 6/5 (kilograms)', submit: wcoXml('<GrossMassMeasure>150<', '<GrossMassMeasure unitCode="LBR">150<'), code: 'CWY-WCO-007', pointer: `${ITEM}/Commodity/GoodsMeasure/GrossMassMeasure/@unitCode` },
  { rule: 'XML: commodity code missing', source: 'WCO DE 6/14 (mandatory)', submit: wcoXml('<ID>85109000</ID>', ''), code: 'CWY-SCHEMA-001', pointer: `${ITEM}/Commodity/Classification/ID` },
  { rule: 'XML: origin not alpha-2', source: 'WCO DE 5/15, ISO 3166-1', submit: wcoXml(/(<Origin>\s*<CountryCode>)US</, '$1USA<'), code: 'CWY-SCHEMA-003', pointer: `${ITEM}/Origin/CountryCode` },

  // — amendments and cancellations —
  { rule: 'amendment without the MRN', source: 'TT_IM002b_Amendment: "Declaration ID of the corresponding Declaration"', submit: () => parseWcoMessage(replaceOnce(AMENDMENT, '<ID>20GB32VVZI0YMFGVR0</ID>', '')), code: 'CWY-AMEND-001', pointer: '/Declaration/ID' },
  { rule: 'cancellation without a reason', source: 'TT_IM011a_Cancellation: "AES should always be used for Cancellations and Amendments"', submit: () => parseWcoMessage(replaceOnce(CANCELLATION, '<StatementTypeCode>AES<', '<StatementTypeCode>ZZZ<')), code: 'CWY-AMEND-002', pointer: '/Declaration/AdditionalInformation/StatementDescription' },
  { rule: 'amendment without pointers', source: 'TT_IM002b_Amendment: "Pointers describe the declaration tree"', submit: () => parseWcoMessage(replaceOnce(AMENDMENT, /<Amendment>[\s\S]*<\/Amendment>/, '')), code: 'CWY-AMEND-003', pointer: '/Declaration/Amendment/Pointer' },

  // — amendments (applied to the accepted TT_IM001a) —
  { rule: 'amendment of an element the declaration does not have', source: 'RFC 6902 §4.3: the target location must exist', submit: () => amendDeclaration(parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference()), [{ op: 'replace', path: '/items/3/netMassKg', value: '1' }], intakeReference()), code: 'CWY-AMEND-004', pointer: '/items/3/netMassKg' },
  { rule: 'amendment that changes nothing', source: 'an amendment is a new version (UCC Art. 173): one with nothing new would re-run the lifecycle for nothing', submit: () => amendDeclaration(parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference()), [{ op: 'replace', path: '/items/0/netMassKg', value: '100' }], intakeReference()), code: 'CWY-AMEND-008', pointer: '/changes' },
  { rule: 'amendment aimed at an object prototype', source: 'RFC 6902 §4: a path names a member of the document; __proto__ names none', submit: () => amendDeclaration(parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference()), [{ op: 'add', path: '/__proto__', value: { polluted: true } }], intakeReference()), code: 'CWY-AMEND-004', pointer: '/__proto__' },
  { rule: 'amendment of the trader reference', source: 'WCO DE 2/5: the LRN identifies the declaration (an id derived from it)', submit: () => amendDeclaration(parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference()), [{ op: 'replace', path: '/lrn', value: 'X' }], intakeReference()), code: 'CWY-AMEND-005', pointer: '/lrn' },
  { rule: 'amendment pointer to a data element not modelled', source: 'TT_IM002b_Amendment: pointer 79A tag 112; tag 999 names nothing', submit: () => changesFromWco(parseWcoMessage(replaceOnce(AMENDMENT, '<TagID>112</TagID>', '<TagID>999</TagID>')) as WcoAmendment, parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference())), code: 'CWY-AMEND-006', pointer: `${ITEM}/Commodity/InvoiceLine/@tag999` },
  { rule: 'additional message for another declaration', source: 'TT_IM002b_Amendment: "Declaration ID of the corresponding Declaration to be amended"', submit: () => checkMessageTarget('20GB32VVZI0YMFGVR0', '24GB00000000000001'), code: 'CWY-AMEND-007', pointer: '/Declaration/ID' },

  // — business rules —
  { rule: 'HS 6 digits unknown (JSON)', source: 'HS 2022 (UN Comtrade): no subheading 8509.99', submit: cnJson((d) => (item(d).commodityCode = '8509990000')), code: 'CWY-HS-001', pointer: '/items/0/commodityCode' },
  { rule: 'HS 6 digits unknown (XML pointer)', source: 'HS 2022: no subheading 8510.99', submit: wcoXml('<ID>85109000</ID>', '<ID>85109900</ID>'), code: 'CWY-HS-001', pointer: `${ITEM}/Commodity/Classification/ID` },
  { rule: 'Chinese commodity code not 10 digits', source: '报关单填制规范: 商品编号 10 位', submit: cnJson((d) => (item(d).commodityCode = '85094000')), code: 'CWY-HS-002', pointer: '/items/0/commodityCode' },
  { rule: 'freight missing under FOB', source: '关税法 Art. 24 (transport up to the place of import)', submit: cnJson((d) => delete d.freight), code: 'CWY-TERMS-001', pointer: '/freight' },
  { rule: 'freight missing under EXW', source: '关税法 Art. 24', submit: cnJson((d) => { d.transactionTerms = 'EXW'; delete d.freight; }), code: 'CWY-TERMS-001', pointer: '/freight' },
  { rule: 'freight missing under C&I', source: '关税法 Art. 24; 成交方式 4 C&I', submit: cnJson((d) => { d.transactionTerms = 'CI'; delete d.freight; }), code: 'CWY-TERMS-001', pointer: '/freight' },
  { rule: 'insurance declared again under CIF', source: '关税法 Art. 24 (a CIF price contains insurance)', submit: cnJson((d) => { d.transactionTerms = 'CIF'; delete d.freight; d.insurance = { mark: 'RATE', value: '0.3' }; }), code: 'CWY-TERMS-002', pointer: '/insurance' },
  { rule: 'freight declared again under CFR', source: '关税法 Art. 24 (a CFR price contains freight)', submit: cnJson((d) => (d.transactionTerms = 'CFR')), code: 'CWY-TERMS-003', pointer: '/freight' },
  { rule: 'trade mode not in the code table', source: '监管方式 code table (reference-data)', submit: cnJson((d) => (d.tradeMode = '0999')), code: 'CWY-CN-001', pointer: '/tradeMode' },
  { rule: 'exemption nature not in the code table', source: '征免性质 code table (reference-data)', submit: cnJson((d) => (d.exemptionNature = '999')), code: 'CWY-CN-002', pointer: '/exemptionNature' },
  {
    rule: 'duty mode withdrawn from the code table',
    source: '征免方式 code table as data: a code the table no longer holds is refused though the schema lists it',
    submit: submitJson(cnDeclaration(), (d) => (item(d).dutyMode = '4'), withoutDutyMode('4')),
    code: 'CWY-CN-003',
    pointer: '/items/0/dutyMode',
  },
  { rule: 'processing trade without record number', source: '报关单填制规范 备案号: 加工贸易手册 number (0615 进料对口)', submit: cnJson((d) => { d.tradeMode = '0615'; d.exemptionNature = '503'; }), code: 'CWY-CN-004', pointer: '/recordNumber' },
  { rule: 'trade mode missing on a Chinese declaration', source: '报关单填制规范: 监管方式 is mandatory', submit: cnJson((d) => delete d.tradeMode), code: 'CWY-CN-005', pointer: '/tradeMode' },
  {
    rule: 'more goods items than a Chinese declaration form holds',
    source: '报关单填制规范: one form declares at most 50 商品项',
    submit: cnJson((d) => (d.items = Array.from({ length: 51 }, (_, i) => ({ ...item(d), sequence: i + 1 })))),
    code: 'CWY-CN-006',
    pointer: '/items/50',
  },
  {
    rule: 'a declaration too large to record as one',
    source: 'DynamoDB item limit of 400 KB (Developer Guide, "Service, account, and table quotas") for the declaration with its tax lines',
    submit: gbJson((d) => (d.items = Array.from({ length: 300 }, (_, i) => ({ ...d.items[0], sequence: i + 1, description: 'x'.repeat(400) })))),
    code: 'CWY-SIZE-001',
    pointer: '/items',
  },
  { rule: 'declarant not a unified social credit code', source: 'GB 32100-2015 §4 (18 characters, no I O S V Z)', submit: cnJson((d) => (d.declarant.id = '9135010OM000100Y43')), code: 'CWY-USCC-001', pointer: '/declarant/id' },
  { rule: 'declarant check character wrong', source: 'GB 32100-2015 §5 (example code checks to 3)', submit: cnJson((d) => (d.declarant.id = `${STANDARD_USCC.slice(0, 17)}4`)), code: 'CWY-USCC-002', pointer: '/declarant/id' },
  { rule: 'Chinese importer not a unified social credit code', source: 'GB 32100-2015 §4', submit: cnJson((d) => (d.importer = { id: '310115123', country: 'CN' })), code: 'CWY-USCC-001', pointer: '/importer/id' },
  { rule: 'domestic exporter on export, country not stated', source: 'GB 32100-2015 §4', submit: cnJson((d) => { d.direction = 'EXPORT'; d.exporter = { id: 'ABC' }; }), code: 'CWY-USCC-001', pointer: '/exporter/id' },
  { rule: 'GB declarant EORI malformed', source: 'HMRC: a GB EORI is GB + 12 digits', submit: gbJson((d) => (d.declarant.id = 'GB60320273485')), code: 'CWY-EORI-001', pointer: '/declarant/id' },
  { rule: 'GB importer EORI from another country', source: 'HMRC: a GB EORI starts with GB', submit: gbJson((d) => (d.importer = { id: 'FR553202734852' })), code: 'CWY-EORI-001', pointer: '/importer/id' },
  { rule: 'GB declarant EORI malformed (XML pointer)', source: 'WCO DE 3/18; HMRC EORI format', submit: wcoXml('<ID>GB603202734852</ID>', '<ID>GB6032027</ID>'), code: 'CWY-EORI-001', pointer: '/Declaration/Declarant/ID' },
  { rule: 'net mass above gross mass', source: 'WCO DE 6/1 ≤ DE 6/5 (net excludes packaging)', submit: cnJson((d) => (item(d).netMassKg = '5200.5')), code: 'CWY-MASS-001', pointer: '/items/0/netMassKg' },
  { rule: 'net mass above gross mass (XML pointer)', source: 'WCO DE 6/1 ≤ DE 6/5', submit: wcoXml('<NetNetWeightMeasure>100<', '<NetNetWeightMeasure>200<'), code: 'CWY-MASS-001', pointer: `${ITEM}/Commodity/GoodsMeasure/NetNetWeightMeasure` },
  { rule: 'declared quantity zero', source: 'issue #4: quantities positive', submit: cnJson((d) => (item(d).quantity = { value: '0', unit: '001' })), code: 'CWY-QTY-001', pointer: '/items/0/quantity/value' },
  { rule: 'statutory quantity zero', source: 'issue #4: quantities positive (法定数量)', submit: cnJson((d) => (item(d).statutoryQuantity = { value: '0.000', unit: '001' })), code: 'CWY-QTY-001', pointer: '/items/0/statutoryQuantity/value' },
  { rule: 'invoice currency not ISO 4217', source: 'ISO 4217 List One (XYZ is not assigned)', submit: cnJson((d) => (d.invoiceCurrency = 'XYZ')), code: 'CWY-CUR-001', pointer: '/invoiceCurrency' },
  { rule: 'origin not an ISO 3166-1 country', source: 'ISO 3166-1 (QQ is user-assigned, never a country)', submit: cnJson((d) => (d.items[0].origin = 'QQ')), code: 'CWY-CTRY-001', pointer: '/items/0/origin' },
  { rule: 'country of dispatch not an ISO 3166-1 country', source: 'ISO 3166-1 (ZZ is user-assigned)', submit: cnJson((d) => (d.countryOfDispatch = 'ZZ')), code: 'CWY-CTRY-001', pointer: '/countryOfDispatch' },
  { rule: 'a CN import destined elsewhere', source: '海关法 Art. 2 (进境: goods entering the customs territory)', submit: cnJson((d) => (d.countryOfDestination = 'GB')), code: 'CWY-CTRY-002', pointer: '/countryOfDestination' },
  { rule: 'freight currency withdrawn from ISO 4217', source: 'ISO 4217 amendment: HRK withdrawn 2023', submit: cnJson((d) => (d.freight = { mark: 'TOTAL', value: '10', currency: 'HRK' })), code: 'CWY-CUR-001', pointer: '/freight/currency' },
  {
    rule: 'a correction of released goods after an audit re-established their tax',
    source: '海关稽查条例; 关税法 Arts. 45, 51 (one established tax per difference)',
    submit: () => refuseCorrectionAfterAudit([{ type: 'AuditFindingsRecorded', data: { caseId: 'AC-d-1' } }]),
    code: 'CWY-AMEND-009',
    pointer: '',
  },
  { rule: 'item numbers with a gap', source: 'WCO DE 1/6: sequential item number', submit: cnJson((d) => d.items.push({ ...item(d), sequence: 3 })), code: 'CWY-SEQ-001', pointer: '/items/1/sequence' },
];

describe('rejection cases: one per rule, each with its code and pointer', () => {
  it('has at least 40 cases, and every catalogue code is exercised', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    const untested = Object.keys(ERROR_CATALOGUE).filter((code) => !CASES.some((c) => c.code === code));
    // CWY-SCHEMA-009 is the catch-all for zod issues the model cannot currently produce
    expect(untested).toEqual(['CWY-SCHEMA-009']);
  });

  it.each(CASES)('$rule → $code at "$pointer" ($source)', ({ submit, code, pointer }) => {
    expect(issuesOf(submit).map((found) => ({ code: found.code, pointer: found.pointer }))).toEqual([{ code, pointer }]);
  });

  it('reports every issue of a submission at once, not just the first', () => {
    const submit = cnJson((d) => {
      d.tradeMode = '0999';
      d.invoiceCurrency = 'XYZ';
      item(d).netMassKg = '9999';
      d.declarant.id = `${STANDARD_USCC.slice(0, 17)}4`;
    });
    expect(issuesOf(submit).map((found) => found.code).sort()).toEqual(['CWY-CN-001', 'CWY-CUR-001', 'CWY-MASS-001', 'CWY-USCC-002']);
  });

  it('reports every schema issue of an XML declaration at once, at element paths', () => {
    const xml = replaceOnce(replaceOnce(TT_IM001A, '<ID>85109000</ID>', ''), /(<Origin>\s*<CountryCode>)US</, '$1USA<');
    expect(issuesOf(() => parseAndValidateSubmission(xml, 'application/xml', intakeReference()))).toEqual([
      { code: 'CWY-SCHEMA-001', message: 'Mandatory element is missing', pointer: `${ITEM}/Commodity/Classification/ID` },
      expect.objectContaining({ code: 'CWY-SCHEMA-003', pointer: `${ITEM}/Origin/CountryCode` }),
    ]);
  });

  it('answers the API body {code, message, pointer, errors} with the first issue\'s code', () => {
    const error = catchError(cnJson((d) => (d.tradeMode = '0999'))) as ValidationError;
    expect(error.toJSON()).toEqual({
      code: 'CWY-CN-001',
      message: '/tradeMode: Trade mode (监管方式) 0999 is not in the code table',
      pointer: '/tradeMode',
      errors: [{ code: 'CWY-CN-001', message: 'Trade mode (监管方式) 0999 is not in the code table', pointer: '/tradeMode' }],
    });
  });

  it('accepts the unbroken fixtures: the CN form and TT_IM001a in JSON and XML', () => {
    expect(cnJson(() => undefined)().lrn).toBe('CWY-CN-0001');
    expect(gbJson(() => undefined)().lrn).toBe('7847767E1WB6');
    expect(parseAndValidateSubmission(TT_IM001A, 'application/xml', intakeReference()).lrn).toBe('7847767E1WB6');
  });
});

function withoutDutyMode(code: string): IntakeReference {
  const refs = intakeReference();
  return { ...refs, cn: { ...refs.cn, dutyModes: new Set([...refs.cn.dutyModes].filter((mode) => mode !== code)) } };
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, the submission was accepted');
}

function issuesOf(action: () => unknown): ValidationIssue[] {
  const error = catchError(action);
  if (error instanceof ValidationError) return error.issues;
  if (error instanceof MalformedSubmissionError || error instanceof UnsupportedSubmissionTypeError) return [error.issue];
  if (error instanceof CodedConflictError) return [{ code: error.code, message: error.message, pointer: error.pointer ?? '' }];
  throw error;
}

/** An API request with `body` sent as `contentType` (what parseJsonBody reads of it). */
function requestWith(body: string, contentType: string): APIGatewayProxyEventV2 {
  return { headers: { 'content-type': contentType }, body, isBase64Encoded: false } as unknown as APIGatewayProxyEventV2;
}
