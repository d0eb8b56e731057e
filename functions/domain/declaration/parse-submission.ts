import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { issue } from './errors-catalogue.js';
import { MalformedSubmissionError, UnsupportedSubmissionTypeError } from './intake-errors.js';
import { declarationSchemaFor, type Declaration } from './model.js';
import { XML_LIMITS } from './safe-xml.js';
import type { IntakeReference } from './intake-reference.js';
import { validateDeclaration } from './validate.js';
import { wcoElementPath } from './wco-element-paths.js';
import { parseWcoMessage } from './wco-xml.js';

/** The largest body intake reads, JSON or XML (the XML reader enforces the same limit). */
export const MAX_SUBMISSION_BYTES = XML_LIMITS.maxBytes;

const JSON_TYPES = new Set(['application/json']);
const XML_TYPES = new Set(['application/xml', 'text/xml']);

/** A submission read into the canonical model, and how to point at its fields in the sender's own terms. */
export interface ReadSubmission {
  declaration: Declaration;
  format: 'JSON' | 'WCO_XML';
  /** Translates a canonical JSON Pointer into the submission's dialect (itself for JSON, an element path for XML). */
  pointerFor(jsonPointer: string): string;
}

/**
 * Reads a declaration submitted as canonical JSON (`application/json`) or as a WCO DMS 3.6
 * declaration (`application/xml`, `text/xml`) into the canonical model, applying its defaults.
 * @throws UnsupportedSubmissionTypeError (415) for any other content type;
 *   MalformedSubmissionError (400) for unreadable, oversized or hostile bodies;
 *   ValidationError (422) with every schema issue at once, pointed at the JSON field or XML element.
 */
export function parseSubmission(body: string, contentType: string): Declaration {
  return readSubmission(body, contentType).declaration;
}

/** `parseSubmission`, then every business rule: all issues of the submission in one ValidationError. */
export function parseAndValidateSubmission(body: string, contentType: string, refs: IntakeReference): Declaration {
  const submission = readSubmission(body, contentType);
  const issues = validateDeclaration(submission.declaration, refs);
  if (issues.length) {
    throw new ValidationError(issues.map((found) => ({ ...found, pointer: submission.pointerFor(found.pointer) })));
  }
  return submission.declaration;
}

/** Reads a submission and keeps the pointer dialect of its format (see `ReadSubmission`). */
export function readSubmission(body: string, contentType: string): ReadSubmission {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  const isJson = JSON_TYPES.has(mediaType);
  if (!isJson && !XML_TYPES.has(mediaType)) throw new UnsupportedSubmissionTypeError(contentType);
  const size = Buffer.byteLength(body, 'utf8');
  if (size > MAX_SUBMISSION_BYTES) throw new MalformedSubmissionError('CWY-INPUT-001', { size, limit: MAX_SUBMISSION_BYTES });
  return isJson ? readJson(body) : readXml(body);
}

function readJson(body: string): ReadSubmission {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch (error) {
    throw new MalformedSubmissionError('CWY-JSON-001', { detail: error instanceof Error ? error.message : String(error) });
  }
  const result = declarationSchemaFor(input).safeParse(input);
  if (!result.success) throw new ValidationError(result.error.issues.map((found) => schemaIssue(found, input, toJsonPointer)));
  return { declaration: result.data, format: 'JSON', pointerFor: (pointer) => pointer };
}

function readXml(body: string): ReadSubmission {
  const message = parseWcoMessage(body);
  if (message.kind !== 'DECLARATION') {
    throw new MalformedSubmissionError('CWY-XML-006', {
      typeCode: message.kind === 'AMENDMENT' ? 'COR (amendment)' : 'INV (cancellation)',
      expected: 'a declaration; send it to the declaration it amends or cancels',
    }, '/Declaration/TypeCode');
  }
  const pointerFor = (pointer: string) => wcoElementPath(pointer, message.sources);
  const result = declarationSchemaFor(message.candidate).safeParse(message.candidate);
  const mapped = new Set(message.issues.map((found) => found.pointer));
  const schemaIssues = result.success
    ? []
    : result.error.issues
        .map((found) => schemaIssue(found, message.candidate, (path) => pointerFor(toJsonPointer(path))))
        // a field the mapping already rejected (e.g. an unknown delivery terms code) is reported once
        .filter((found) => !mapped.has(found.pointer));
  const issues = [...message.issues, ...schemaIssues];
  if (issues.length || !result.success) throw new ValidationError(issues);
  return { declaration: result.data, format: 'WCO_XML', pointerFor };
}

/** RFC 6901 JSON Pointer of a zod issue path (`~` → `~0`, `/` → `~1`). */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Maps one zod issue onto the catalogue: missing, wrong type, format, code list, length. */
export function schemaIssue(found: z.core.$ZodIssue, input: unknown, pointerOf: (path: readonly PropertyKey[]) => string): ValidationIssue {
  const pointer = pointerOf(found.path);
  switch (found.code) {
    case 'invalid_type':
      return valueAt(input, found.path) === undefined
        ? issue('CWY-SCHEMA-001', pointer)
        : issue('CWY-SCHEMA-002', pointer, { expected: found.expected });
    case 'invalid_format':
      return issue('CWY-SCHEMA-003', pointer, { detail: found.message });
    case 'invalid_value':
      return issue('CWY-SCHEMA-004', pointer, { allowed: found.values.map(String).join(', ') });
    case 'too_small':
      return issue('CWY-SCHEMA-005', pointer, { minimum: String(found.minimum) });
    case 'too_big':
      return issue('CWY-SCHEMA-006', pointer, { maximum: String(found.maximum) });
    default:
      return issue('CWY-SCHEMA-009', pointer, { detail: found.message });
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
