import { ConflictError } from '../domain/errors.js';
import { declarationStore, riskStore } from '../shared/dependencies.js';
import { visibleView } from '../shared/visible-view.js';
import { parseJsonBody } from '../shared/http-input.js';
import { DocumentsAnswer } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';


/**
 * POST /declarations/{id}/documents (declarant): answers an officer's request for documents.
 * The documents are recorded in the history and the work item returns to the officer's queue.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const answer = parseJsonBody(event, DocumentsAnswer);
  const { id } = await visibleView(event, principal);
  const store = declarationStore();
  const workItem = await riskStore().getWorkItem(id);
  if (workItem?.status !== 'AWAITING_DOCUMENTS') throw new ConflictError(`No documents were requested for declaration ${id}`);

  const at = new Date(event.requestContext.timeEpoch).toISOString();
  await store.append(
    id,
    [{ type: 'DocumentsSubmitted', actor: `declarant:${principal.subject}`, correlationId: event.requestContext.requestId, occurredAt: at, data: answer }],
    { updatedAt: at },
  );
  const { requestedDocuments: _, ...rest } = workItem;
  await riskStore().putWorkItem({ ...rest, status: 'OPEN', updatedAt: at });
  return json(202, { id, queue: workItem.queue, status: 'OPEN' });
});
