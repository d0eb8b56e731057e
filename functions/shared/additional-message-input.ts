import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import {
  AmendmentRequest,
  CancellationRequest,
  MalformedSubmissionError,
  UnsupportedSubmissionTypeError,
  changesFromWco,
  checkMessageTarget,
  parseWcoMessage,
  wcoElementPath,
  type Declaration,
  type DeclarationChange,
} from '../domain/declaration/index.js';
import { parseJsonBody } from './http-input.js';

/** An amendment as read from canonical JSON or a WCO DMS COR message, with its pointer dialect. */
export interface AmendmentInput {
  changes: DeclarationChange[];
  reasonCode?: string;
  reason: string;
  format: 'canonical-json' | 'WCO-DMS-3.6';
  /** Points at a canonical field in the sender's dialect: itself for JSON, the WCO element path for XML. */
  pointerFor(jsonPointer: string): string;
}

export interface CancellationInput {
  reasonCode?: string;
  reason: string;
  format: 'canonical-json' | 'WCO-DMS-3.6';
}

const isXml = (event: APIGatewayProxyEventV2) => /^(application|text)\/xml\b/i.test(contentType(event));
const isJson = (event: APIGatewayProxyEventV2) => /^application\/json\b/i.test(contentType(event));
const contentType = (event: APIGatewayProxyEventV2) => (event.headers['content-type'] ?? '').trim();

/**
 * Reads `POST /declarations/{id}/amendments`: canonical JSON (`AmendmentRequest`, JSON Patch
 * changes) or a WCO DMS additional message with TypeCode COR, whose pointers say what changes and
 * whose `/Declaration/ID` must be the declaration's entry number (MRN).
 */
export function readAmendment(event: APIGatewayProxyEventV2, current: { declaration: Declaration; entryNumber?: string }): AmendmentInput {
  if (isJson(event)) {
    const request = parseJsonBody(event, AmendmentRequest);
    return { ...request, format: 'canonical-json', pointerFor: (pointer) => pointer };
  }
  const message = readWco(event);
  if (message.kind !== 'AMENDMENT') throw notThe(message.kind, 'an amendment (TypeCode COR)');
  checkMessageTarget(message.declarationId, current.entryNumber);
  return {
    changes: changesFromWco(message, current.declaration),
    reasonCode: message.reasonCode,
    reason: message.reason,
    format: 'WCO-DMS-3.6',
    pointerFor: (pointer) => wcoElementPath(pointer),
  };
}

/**
 * Reads `POST /declarations/{id}/cancellation`: canonical JSON (`CancellationRequest`) or a WCO
 * DMS additional message with TypeCode INV naming the declaration's entry number (MRN).
 */
export function readCancellation(event: APIGatewayProxyEventV2, current: { entryNumber?: string }): CancellationInput {
  if (isJson(event)) return { ...parseJsonBody(event, CancellationRequest), format: 'canonical-json' };
  const message = readWco(event);
  if (message.kind !== 'CANCELLATION') throw notThe(message.kind, 'a cancellation (TypeCode INV)');
  checkMessageTarget(message.declarationId, current.entryNumber);
  return { reasonCode: message.reasonCode, reason: message.reason, format: 'WCO-DMS-3.6' };
}

/** The WCO DMS message of an XML body (hardened parsing, size and depth limits). */
function readWco(event: APIGatewayProxyEventV2) {
  if (!isXml(event)) throw new UnsupportedSubmissionTypeError(contentType(event));
  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  return parseWcoMessage(body);
}

function notThe(kind: string, expected: string) {
  const sent = kind === 'DECLARATION' ? 'declaration' : kind === 'AMENDMENT' ? 'COR (amendment)' : 'INV (cancellation)';
  return new MalformedSubmissionError('CWY-XML-006', { typeCode: sent, expected }, '/Declaration/TypeCode');
}
