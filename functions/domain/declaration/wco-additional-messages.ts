import { ValidationError, type ValidationIssue } from '../errors.js';
import { issue } from './errors-catalogue.js';
import { childrenNamed, first, textAt, type XmlElement } from './safe-xml.js';

/**
 * WCO DMS additional messages (FunctionCode 13): an amendment (TypeCode COR) or an
 * invalidation / cancellation (TypeCode INV) of a declaration already lodged, as in the HMRC
 * samples TT_IM002b_Amendment, TT_IM003a_Amendment_(Step_3), TT_IM011a_Amendment and
 * TT_IM011a_Cancellation. They are only read here; applying them is the amendment use case's job.
 */

/** One step of an amendment pointer: a WCO document section and the occurrence it means. */
export interface WcoPointerSection {
  code: string;
  sequence?: number;
}

/** One change an amendment asks for. */
export interface WcoChange {
  /** Element path of the amended data element, e.g. `/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/InvoiceLine/ItemChargeAmount`. */
  pointer: string;
  /** The pointer as sent: document sections from the declaration down, and the data element's tag. */
  sections: WcoPointerSection[];
  tagId?: string;
  /** The canonical field the change lands on (JSON Pointer), when the section and tag are known. */
  field?: string;
  /** The new value carried in the message, with its attributes (e.g. currencyID, unitCode). */
  value?: string;
  attributes?: Record<string, string>;
  /** WCO change reason code (e.g. 21 value amended, 28 weight or quantity amended). */
  reasonCode?: string;
}

export interface WcoAmendment {
  kind: 'AMENDMENT';
  /** The declaration's identification (MRN) the amendment applies to. */
  declarationId: string;
  /** The trader's reference of the additional message itself. */
  lrn?: string;
  reasonCode?: string;
  /** Free-text reason (AdditionalInformation of type AES). */
  reason: string;
  changes: WcoChange[];
}

export interface WcoCancellation {
  kind: 'CANCELLATION';
  declarationId: string;
  lrn?: string;
  /** WCO change reason code (e.g. 1 "declaration no longer required"). */
  reasonCode?: string;
  reason: string;
  /** The person asking for the cancellation (Submitter/ID). */
  submitterId?: string;
}

/**
 * WCO document section codes and data-element tags as the HMRC samples use them (their
 * comments name each: "Declaration (42A) -> GoodsShipment (67A) -> GovernmentAgencyGoodsItem
 * (68A) -> Commodity (23A) -> InvoiceLine (79A - tag 112 for ItemChargeAmount)"). 65A carries
 * NetNetWeightMeasure (tag 128) inside GoodsMeasure, which is where the samples put the new value.
 */
const SECTIONS: Readonly<Record<string, string>> = {
  '42A': 'Declaration',
  '67A': 'GoodsShipment',
  '68A': 'GovernmentAgencyGoodsItem',
  '23A': 'Commodity',
  '79A': 'InvoiceLine',
  '65A': 'GoodsMeasure',
};
const TAGS: Readonly<Record<string, { element: string; field: string }>> = {
  '79A/112': { element: 'ItemChargeAmount', field: 'invoiceAmount' },
  '65A/128': { element: 'NetNetWeightMeasure', field: 'netMassKg' },
};
const GOODS_ITEM_SECTION = '68A';
const FREE_TEXT_REASON = 'AES';

/** Reads an amendment (TypeCode COR). @throws ValidationError listing every missing part. */
export function readWcoAmendment(declaration: XmlElement): WcoAmendment {
  const issues = requireHeader(declaration, 'amend');
  const changes = childrenNamed(declaration, 'Amendment')
    .filter((amendment) => childrenNamed(amendment, 'Pointer').length)
    .map((amendment) => readChange(declaration, amendment));
  if (!changes.length) issues.push(issue('CWY-AMEND-003', '/Declaration/Amendment/Pointer'));
  if (issues.length) throw new ValidationError(issues);
  return {
    kind: 'AMENDMENT',
    declarationId: textAt(declaration, 'ID') as string,
    ...optional('lrn', textAt(declaration, 'FunctionalReferenceID')),
    ...optional('reasonCode', textAt(declaration, 'Amendment', 'ChangeReasonCode')),
    reason: freeTextReason(declaration) as string,
    changes,
  };
}

/** Reads a cancellation (TypeCode INV). @throws ValidationError listing every missing part. */
export function readWcoCancellation(declaration: XmlElement): WcoCancellation {
  const issues = requireHeader(declaration, 'cancel');
  if (issues.length) throw new ValidationError(issues);
  return {
    kind: 'CANCELLATION',
    declarationId: textAt(declaration, 'ID') as string,
    ...optional('lrn', textAt(declaration, 'FunctionalReferenceID')),
    ...optional('reasonCode', textAt(declaration, 'Amendment', 'ChangeReasonCode')),
    reason: freeTextReason(declaration) as string,
    ...optional('submitterId', textAt(declaration, 'Submitter', 'ID')),
  };
}

function requireHeader(declaration: XmlElement, action: 'amend' | 'cancel'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!textAt(declaration, 'ID')) issues.push(issue('CWY-AMEND-001', '/Declaration/ID', { action }));
  if (!freeTextReason(declaration)) issues.push(issue('CWY-AMEND-002', '/Declaration/AdditionalInformation/StatementDescription'));
  return issues;
}

function freeTextReason(declaration: XmlElement): string | undefined {
  const statement = childrenNamed(declaration, 'AdditionalInformation').find(
    (information) => textAt(information, 'StatementTypeCode') === FREE_TEXT_REASON,
  );
  return textAt(statement, 'StatementDescription');
}

function readChange(declaration: XmlElement, amendment: XmlElement): WcoChange {
  const pointers = childrenNamed(amendment, 'Pointer');
  const sections = pointers.map((pointer) => {
    const sequence = textAt(pointer, 'SequenceNumeric');
    return { code: textAt(pointer, 'DocumentSectionCode') ?? '', ...(sequence ? { sequence: Number(sequence) } : {}) };
  });
  const last = sections[sections.length - 1];
  const tagId = textAt(pointers[pointers.length - 1], 'TagID');
  const tag = tagId ? TAGS[`${last.code}/${tagId}`] : undefined;
  const path = sections.map(pathSegment);
  const target = tag && findTarget(declaration, sections.slice(1), tag.element);
  const item = sections.find((section) => section.code === GOODS_ITEM_SECTION);
  return {
    pointer: `/${[...path, ...(tag ? [tag.element] : tagId ? [`@tag${tagId}`] : [])].join('/')}`,
    sections,
    ...optional('tagId', tagId),
    ...optional('field', tag && item?.sequence ? `/items/${item.sequence - 1}/${tag.field}` : undefined),
    ...optional('value', target?.text || undefined),
    ...optional('attributes', target && Object.keys(target.attributes).length ? { ...target.attributes } : undefined),
    ...optional('reasonCode', textAt(amendment, 'ChangeReasonCode')),
  };
}

/** Goods items are addressed by their sequence number; other sections by name (unknown ones by code). */
function pathSegment(section: WcoPointerSection): string {
  const name = SECTIONS[section.code] ?? section.code;
  return section.code === GOODS_ITEM_SECTION ? `${name}[${section.sequence ?? 1}]` : name;
}

/** The element holding the new value in the message body, following the pointer's sections. */
function findTarget(declaration: XmlElement, sections: WcoPointerSection[], element: string): XmlElement | undefined {
  let current: XmlElement | undefined = declaration;
  for (const section of sections) {
    const name = SECTIONS[section.code];
    if (!name) return undefined;
    const candidates = childrenNamed(current, name);
    current =
      candidates.find((candidate) => textAt(candidate, 'SequenceNumeric') === String(section.sequence)) ??
      candidates[(section.sequence ?? 1) - 1];
  }
  return first(current, element);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
