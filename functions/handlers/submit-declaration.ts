import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { parseAndValidateSubmission, type Declaration } from '../domain/declaration/index.js';
import { declarationId } from '../domain/declaration/identity.js';
import { DuplicateReferenceError, ForbiddenError, RequestInProgressError, ValidationError } from '../domain/errors.js';
import { canonicalJson } from '../domain/history/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import type { DeclarationView } from '../ports/declaration-store.js';
import { declarationStore, eventPublisher, lifecycleWorkflows } from '../shared/dependencies.js';
import { idempotencyKeyOf, once } from '../shared/idempotency.js';
import { httpHandler, json } from '../shared/middy.js';
import { logger } from '../shared/powertools.js';
import { executionName } from '../shared/versions.js';

/** The view of a declaration just received: what a replay starts from too. */
export function submittedView(id: string, declaration: Declaration, receivedAt: string): Omit<DeclarationView, 'headSeq' | 'headHash'> {
  return {
    id,
    version: 1,
    status: 'SUBMITTED',
    jurisdiction: declaration.jurisdiction,
    traderId: declaration.declarant.id,
    lrn: declaration.lrn,
    declaration,
    updatedAt: receivedAt,
  };
}

/**
 * POST /declarations (e-port, declarant): a declaration in canonical JSON or WCO DMS 3.6 XML.
 * Validates everything first — a rejected submission stores nothing and answers every problem
 * at once — then records the submission as the first history event and starts the lifecycle.
 * Idempotent twice over: the same `Idempotency-Key` answers the first answer (Powertools
 * idempotency; a duplicate still in progress answers 409), and the same trader reference (LRN)
 * answers the declaration it already names, never a second one.
 */
export const handler = httpHandler(async (event, context, principal) => {
  const receivedAt = new Date(event.requestContext.timeEpoch).toISOString();
  const contentType = event.headers['content-type'] ?? '';
  const key = idempotencyKeyOf(event.headers);
  let declaration: Declaration;
  try {
    declaration = parseAndValidateSubmission(bodyText(event), contentType, referenceCatalog().intake);
  } catch (error) {
    if (error instanceof ValidationError) await announceRejection(error, receivedAt, event.requestContext.requestId);
    throw error;
  }
  // A declarant lodges in its own name: the organisation in its token is the declaration's declarant.
  if (principal.org !== declaration.declarant.id) {
    throw new ForbiddenError(`Your organisation ${principal.org} cannot lodge a declaration for declarant ${declaration.declarant.id}`, '/declarant/id');
  }
  const submission = { declaration, receivedAt, requestId: event.requestContext.requestId, format: contentType.includes('xml') ? 'WCO-DMS-3.6' : 'canonical-json' };
  if (!key) return receive(submission);
  return once({ scope: principal.org, key, payload: declaration }, context, () => receive(submission));
});

interface Submission {
  declaration: Declaration;
  receivedAt: string;
  requestId: string;
  format: string;
}

/** Records the submission (claiming its LRN) and starts the lifecycle of version 1. */
async function receive({ declaration, receivedAt, requestId, format }: Submission): Promise<APIGatewayProxyStructuredResultV2> {
  const store = declarationStore();
  const traderId = declaration.declarant.id;
  const { created, id } = await store.create(
    submittedView(declarationId(declaration), declaration, receivedAt),
    {
      type: 'DeclarationSubmitted',
      actor: `trader:${traderId}`,
      correlationId: requestId,
      occurredAt: receivedAt,
      data: { version: 1, format, declaration },
    },
  );
  // A new declaration is answered as received, without reading it back; a resubmission with where
  // the first one is now.
  const view = created ? undefined : await store.getView(id);
  // The LRN is claimed but its first request has not written the declaration yet: a concurrent duplicate.
  if (!created && !view) throw new RequestInProgressError(`Declaration ${declaration.lrn} is still being received; retry shortly`);
  // Only the same declaration again is a resubmission; other content under a used LRN is refused,
  // never silently dropped for the first declaration's answer.
  if (view && canonicalJson(await firstSubmitted(id)) !== canonicalJson(declaration)) {
    throw new DuplicateReferenceError(`LRN ${declaration.lrn} already names declaration ${id} with other content; a new declaration needs its own LRN`, '/lrn');
  }
  const version = view?.version ?? 1;
  // Started on every (re)submission of version 1: a retry after a failed start completes the
  // receipt, and a start that already happened is answered idempotently by Step Functions.
  if (version === 1) await lifecycleWorkflows().start(executionName(id, 1), { declarationId: id, version: 1 });
  return json(created ? 202 : 200, { id, version, status: view?.status ?? 'SUBMITTED', lrn: declaration.lrn }, {
    location: `/declarations/${id}`,
  });
}

/** The declaration as first submitted under its LRN (the view holds the latest version, or the facts an officer found). */
async function firstSubmitted(id: string): Promise<Declaration> {
  const [submitted] = await declarationStore().getHistory(id);
  return (submitted!.data as { declaration: Declaration }).declaration;
}

function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Rejections are exception events (DMSREJ) routed to the rejections queue; losing one is logged, not fatal. */
async function announceRejection(error: ValidationError, at: string, requestId: string) {
  try {
    await eventPublisher().publish('DeclarationRejected', { stage: 'submission', requestId, at, errors: error.issues });
  } catch (publishError) {
    logger.error('Could not publish DeclarationRejected', publishError as Error);
  }
}
