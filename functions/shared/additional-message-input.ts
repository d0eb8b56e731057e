import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import {
  AmendmentRequest,
  CancellationRequest,
  DeclarationChange,
  MalformedSubmissionError,
  UnsupportedSubmissionTypeError,
  changesFromWco,
  checkMessageTarget,
  parseWcoMessage,
  wcoElementPath,
  type Declaration,
} from '../domain/declaration/index.js';
import { parseJsonBody } from './http-input.js';
import { sandboxDependencies } from './sandbox.js';

/** How the declarant sent an additional message: canonical JSON or a WCO DMS additional message. */
const MessageFormat = z.enum(['canonical-json', 'WCO-DMS-3.6']);
type MessageFormat = z.infer<typeof MessageFormat>;

/** An amendment as read from canonical JSON or a WCO DMS COR message, with its pointer dialect. */
export interface AmendmentInput {
  changes: DeclarationChange[];
  reasonCode?: string;
  reason: string;
  format: MessageFormat;
  /** Points at a canonical field in the sender's dialect: itself for JSON, the WCO element path for XML. */
  pointerFor(jsonPointer: string): string;
}

export interface CancellationInput {
  reasonCode?: string;
  reason: string;
  format: MessageFormat;
}

/**
 * The content type of an additional message a replay feeds from the history (`functions/replay`).
 * A history records what the declarant's message said — the changes as JSON Patch, the reason
 * code, the reason — and the format it came in, but not its body: a WCO DMS message is not kept.
 * Rather than forge an XML message from the changes, a replay sends the recorded content as JSON
 * with its recorded format, and the amended declaration is validated like any other. It is read
 * only inside a replay sandbox, so no live caller can claim a format it did not send: outside one
 * it is an unsupported content type like any other.
 */
export const RECORDED_MESSAGE_TYPE = 'application/vnd.clearway.recorded-message+json';

/** What a history records of an amendment. Loose where a WCO message was: it passed its own format's checks when it came. */
const RecordedAmendment = z.strictObject({ reasonCode: z.string().optional(), reason: z.string(), changes: z.array(DeclarationChange), format: MessageFormat });
/** What a history records of a cancellation. */
const RecordedCancellation = z.strictObject({ reasonCode: z.string().optional(), reason: z.string(), format: MessageFormat });

const isRecorded = (event: APIGatewayProxyEventV2) => contentType(event) === RECORDED_MESSAGE_TYPE && sandboxDependencies() !== undefined;
const isXml = (event: APIGatewayProxyEventV2) => /^(application|text)\/xml\b/i.test(contentType(event));
const isJson = (event: APIGatewayProxyEventV2) => /^application\/json\b/i.test(contentType(event));
const contentType = (event: APIGatewayProxyEventV2) => (event.headers['content-type'] ?? '').trim();

/**
 * Reads `POST /declarations/{id}/amendments`: canonical JSON (`AmendmentRequest`, JSON Patch
 * changes) or a WCO DMS additional message with TypeCode COR, whose pointers say what changes and
 * whose `/Declaration/ID` must be the declaration's entry number (MRN); in a replay, as recorded
 * ({@link RECORDED_MESSAGE_TYPE}).
 */
export function readAmendment(event: APIGatewayProxyEventV2, current: { declaration: Declaration; entryNumber?: string }): AmendmentInput {
  if (isRecorded(event)) {
    const recorded = parseJsonBody(event, RecordedAmendment);
    return { ...recorded, pointerFor: recorded.format === 'WCO-DMS-3.6' ? (pointer) => wcoElementPath(pointer) : (pointer) => pointer };
  }
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
 * DMS additional message with TypeCode INV naming the declaration's entry number (MRN); in a
 * replay, as recorded ({@link RECORDED_MESSAGE_TYPE}).
 */
export function readCancellation(event: APIGatewayProxyEventV2, current: { entryNumber?: string }): CancellationInput {
  if (isRecorded(event)) return parseJsonBody(event, RecordedCancellation);
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
