import { routeAdditionalMessage } from '../domain/declaration/index.js';
import { readCancellation } from '../shared/additional-message-input.js';
import { visibleView } from '../shared/visible-view.js';
import { idempotencyKeyOf, once } from '../shared/idempotency.js';
import { httpHandler, json } from '../shared/middy.js';
import { applyCancellation, requestOfficerDecision } from '../shared/versions.js';

/**
 * POST /declarations/{id}/cancellation (declarant): canonical JSON `{reasonCode?, reason}` or a
 * WCO DMS additional message with TypeCode INV. Before the taxes are settled the declaration is
 * invalidated at once — its execution stopped, its tax notice and security withdrawn — and ends
 * CANCELLED (202, APPLIED). Once they are settled it is a request for an officer (202, REQUESTED).
 * Honours `Idempotency-Key`.
 */
export const handler = httpHandler(async (event, context, principal) => {
  const view = await visibleView(event, principal);
  const id = view.id;

  const cancellation = readCancellation(event, view);
  const route = routeAdditionalMessage(view.status, 'cancel');
  const by = { actor: `declarant:${principal.subject}`, correlationId: event.requestContext.requestId, at: new Date(event.requestContext.timeEpoch).toISOString() };

  const act = async () => {
    if (route === 'REQUEST') {
      await requestOfficerDecision(view, { kind: 'CANCELLATION', ...cancellation, requestedBy: by.actor, requestedAt: by.at }, by);
      return json(202, { id, outcome: 'REQUESTED', queue: 'additional-messages', version: view.version, status: view.status });
    }
    const cancelled = await applyCancellation(view, cancellation, by);
    return json(202, { id, outcome: 'APPLIED', version: cancelled.version, status: cancelled.status });
  };
  const key = idempotencyKeyOf(event.headers);
  return key ? once({ scope: `${principal.org ?? principal.subject}#cancel#${id}`, key, payload: cancellation }, context, act) : act();
});
