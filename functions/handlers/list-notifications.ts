import { NOTIFICATION_LIFETIME_DAYS, isExpired } from '../domain/notification/index.js';
import { notificationStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { NotificationsQuery } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /notifications (declarant, pull): the organisation's notifications, oldest first —
 * unacknowledged by default — without those past their two weeks; `cursor` (from the previous
 * answer) reads on. A page filtered to one declaration may be short and still carry a cursor.
 * Acknowledge each with `POST /notifications/{id}/acknowledgement` once processed.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const { status, declarationId, limit, cursor } = parseQuery(event, NotificationsQuery);
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const issuedFrom = new Date(Date.parse(at) - NOTIFICATION_LIFETIME_DAYS * 86_400_000).toISOString();
  const page = await notificationStore().list(principal.org!, status === 'ACKNOWLEDGED', { limit, issuedFrom, declarationId, cursor });
  const notifications = page.items.filter((n) => !isExpired(n, at)).map(({ push: _push, ...notification }) => notification);
  return json(200, { status, notifications, ...(page.cursor ? { cursor: page.cursor } : {}) });
});
