import { WebhookRegistration } from '../domain/notification/index.js';
import { notificationStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * PUT /notifications/webhook (declarant): where the organisation's notifications are pushed from
 * now on (`{url, secret?}`; https, or http on this machine). Replaces an earlier registration.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const { url, secret } = parseJsonBody(event, WebhookRegistration);
  const registeredAt = new Date(event.requestContext.timeEpoch).toISOString();
  await notificationStore().putWebhook({ org: principal.org!, url, ...(secret ? { secret } : {}), registeredAt });
  return json(200, { org: principal.org, url, signed: secret !== undefined, registeredAt });
});
