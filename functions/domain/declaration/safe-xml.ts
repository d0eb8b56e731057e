import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MalformedSubmissionError } from './intake-errors.js';

/**
 * Hardened XML reading for untrusted submissions (issue #4: "no external entities, no DTD,
 * bounded entity expansion, depth and size limits"), following the OWASP XML External Entity
 * Prevention Cheat Sheet: the safest parser is one with DTDs disabled completely.
 *
 * - Any `<!DOCTYPE` or `<!ENTITY` is refused before parsing, so no DTD is read, no external
 *   entity is resolved (XXE) and no custom entity can be expanded (billion laughs); only the
 *   five predefined entities (&lt; &gt; &amp; &quot; &apos;) and character references remain.
 * - The body is limited in bytes and the element tree in depth.
 * - Namespace prefixes are stripped: WCO DMS mixes `md:` and default namespaces, and the
 *   element names alone identify the data elements.
 */

export const XML_LIMITS = {
  /** Largest accepted body. The largest WCO sample here is ≈ 30 KiB; CDS accepts far less than this. */
  maxBytes: 1024 * 1024,
  /** Deepest element nesting. A WCO DMS declaration is about 9 levels deep. */
  maxDepth: 32,
} as const;

/** An element of the parsed document, namespace prefix removed, text trimmed. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly text: string;
  readonly children: readonly XmlElement[];
}

const DTD_OR_ENTITY = /<!\s*(DOCTYPE|ENTITY)/i;
const PARSER_DEPTH_MESSAGE = 'Maximum nested tags exceeded';
const ATTRIBUTES = ':@';
const TEXT = '#text';

/** fast-xml-parser's `preserveOrder` node: `{ [tag]: children, ':@'?: attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

/**
 * Parses `xml` into its root element, refusing DTDs, entity declarations, oversized bodies and
 * excessive nesting with coded `MalformedSubmissionError`s.
 */
export function parseSafeXml(xml: string): XmlElement {
  const size = Buffer.byteLength(xml, 'utf8');
  if (size > XML_LIMITS.maxBytes) throw new MalformedSubmissionError('CWY-INPUT-001', { size, limit: XML_LIMITS.maxBytes });
  if (DTD_OR_ENTITY.test(xml)) throw new MalformedSubmissionError('CWY-XML-002');

  const text = xml.replace(/^\uFEFF/, '').trim();
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // Some of the validator's errors (an unclosed root, say) know the line only.
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new MalformedSubmissionError('CWY-XML-001', { detail: `${msg} (${where})` });
  }
  let nodes: OrderedNode[];
  try {
    nodes = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      processEntities: true,
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: XML_LIMITS.maxDepth,
    }).parse(text) as OrderedNode[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.includes(PARSER_DEPTH_MESSAGE)) throw new MalformedSubmissionError('CWY-XML-003', { limit: XML_LIMITS.maxDepth });
    throw new MalformedSubmissionError('CWY-XML-001', { detail: message });
  }
  const roots = nodes.map(toElement).filter((node): node is XmlElement => node !== undefined);
  if (roots.length !== 1) throw new MalformedSubmissionError('CWY-XML-001', { detail: 'a document has exactly one root element' });
  return roots[0];
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((key) => key !== ATTRIBUTES && key !== TEXT);
  if (name === undefined) return undefined;
  const content = node[name] as OrderedNode[];
  const attributes = (node[ATTRIBUTES] ?? {}) as Record<string, string>;
  const text = content
    .filter((child) => TEXT in child)
    .map((child) => String(child[TEXT]))
    .join('');
  const children = content.map(toElement).filter((child): child is XmlElement => child !== undefined);
  return { name, attributes, text, children };
}

/** The children of `element` named `name`, in document order. */
export function childrenNamed(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((child) => child.name === name) : [];
}

/** The first element along `path` (child names) below `element`. */
export function first(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let current = element;
  for (const name of path) current = childrenNamed(current, name)[0];
  return current;
}

/** The non-empty text of the first element along `path`, or undefined. */
export function textAt(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const text = first(element, ...path)?.text;
  return text === undefined || text === '' ? undefined : text;
}
