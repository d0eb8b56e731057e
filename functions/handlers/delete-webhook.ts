import { notificationStore } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/** DELETE /notifications/webhook (declarant): no more pushes; notifications stay in the pull queue. */
export const handler = httpHandler(async (_event, _context, principal) => {
  await notificationStore().deleteWebhook(principal.org!);
  return json(200, { org: principal.org, webhook: null });
});
