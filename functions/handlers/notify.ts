import type { EventBridgeEvent } from 'aws-lambda';
import type { Notification } from '../domain/notification/index.js';
import { notificationPushWorkflows, notificationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

/** Execution name of the push of one notification: started twice, it runs once. */
export const pushExecutionName = (notificationId: string) => `push-${notificationId}`;

/**
 * The `notifications` rule's target (EventBridge → Lambda): puts a notification in its
 * organisation's pull queue and, when the organisation registered a webhook, starts the push
 * workflow that delivers it with retries until it expires. A redelivered event changes nothing.
 */
export const handler = stepHandler(async (event: EventBridgeEvent<'DeclarationNotification', Notification>) => {
  const notification = event.detail;
  const store = notificationStore();
  await store.put(notification);
  const webhook = await store.getWebhook(notification.org);
  if (!webhook) return { queued: true, push: false };
  await notificationPushWorkflows().start(pushExecutionName(notification.id), { org: notification.org, notificationId: notification.id });
  return { queued: true, push: true };
});
