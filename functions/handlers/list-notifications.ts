import { isExpired } from '../domain/notification/index.js';
import { notificationStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { NotificationsQuery } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /notifications (declarant, pull): the organisation's notifications, oldest first —
 * unacknowledged by default — without those past their two weeks. Acknowledge each with
 * `POST /notifications/{id}/acknowledgement` once processed.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const { status, declarationId, limit } = parseQuery(event, NotificationsQuery);
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const found = await notificationStore().list(principal.org!, status === 'ACKNOWLEDGED', limit);
  const notifications = found
    .filter((n) => !isExpired(n, at) && (!declarationId || n.declarationId === declarationId))
    .map(({ push: _push, ...notification }) => notification);
  return json(200, { status, notifications });
});
