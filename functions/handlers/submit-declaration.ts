import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseAndValidateSubmission, type Declaration } from '../domain/declaration/index.js';
import { declarationId } from '../domain/declaration/identity.js';
import { ValidationError } from '../domain/errors.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { declarationStore, eventPublisher, lifecycleWorkflows } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';
import { logger } from '../shared/powertools.js';

/** Execution name of a declaration version: starting it twice is a no-op (idempotent start). */
export const executionName = (id: string, version: number) => `${id}-v${version}`;

/**
 * POST /declarations (e-port): a declaration in canonical JSON or WCO DMS 3.6 XML.
 * Validates everything first — a rejected submission stores nothing and answers every problem
 * at once — then records the submission as the first history event and starts the lifecycle.
 * A resubmission of the same trader reference (LRN) answers the first declaration, never a second.
 */
export const handler = httpHandler(async (event) => {
  const receivedAt = new Date(event.requestContext.timeEpoch).toISOString();
  const body = bodyText(event);
  const contentType = event.headers['content-type'] ?? '';
  let declaration: Declaration;
  try {
    declaration = parseAndValidateSubmission(body, contentType, referenceCatalog().intake);
  } catch (error) {
    if (error instanceof ValidationError) await announceRejection(error, receivedAt, event.requestContext.requestId);
    throw error;
  }

  const store = declarationStore();
  const traderId = declaration.declarant.id;
  const { created, id } = await store.create(
    {
      id: declarationId(declaration),
      version: 1,
      status: 'SUBMITTED',
      jurisdiction: declaration.jurisdiction,
      traderId,
      lrn: declaration.lrn,
      declaration,
      updatedAt: receivedAt,
    },
    {
      type: 'DeclarationSubmitted',
      actor: `trader:${traderId}`,
      correlationId: event.requestContext.requestId,
      occurredAt: receivedAt,
      data: { version: 1, format: contentType.includes('xml') ? 'WCO-DMS-3.6' : 'canonical-json', declaration },
    },
  );
  // Started on every (re)submission: a retry after a failed start completes the receipt, and a
  // start that already happened is answered idempotently by Step Functions.
  await lifecycleWorkflows().start(executionName(id, 1), { declarationId: id, version: 1 });
  // A new declaration is answered as received; a resubmission with where the first one is now.
  const view = created ? undefined : await store.getView(id);
  return json(created ? 202 : 200, { id, version: view?.version ?? 1, status: view?.status ?? 'SUBMITTED', lrn: declaration.lrn }, {
    location: `/declarations/${id}`,
  });
});

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
