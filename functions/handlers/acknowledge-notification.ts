import { NotFoundError } from '../domain/errors.js';
import { notificationStore } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /notifications/{id}/acknowledgement (declarant): the notification was processed; it leaves
 * the unacknowledged queue. Acknowledging again answers the first acknowledgement; another
 * organisation's notification answers 404.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const id = event.pathParameters?.id ?? '';
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const acknowledged = await notificationStore().acknowledge(principal.org!, id, at);
  if (!acknowledged) throw new NotFoundError(`Notification ${id} does not exist`, '/id');
  return json(200, { id, acknowledgedAt: acknowledged.acknowledgedAt });
});
