import { isExpired, nextPush, type Notification } from '../domain/notification/index.js';
import { pushToWebhook } from '../adapters/http/webhook-client.js';
import type { StoredNotification } from '../ports/notification-store.js';
import { notificationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

interface PushInput {
  org: string;
  notificationId: string;
  /** The attempt's time: the Push state's entered time (the workflow's clock). */
  at: string;
}

/**
 * One attempt of the push workflow (workflows/notification-push.asl.json): POSTs the
 * notification to the organisation's webhook and answers what next — DELIVERED, RETRY after
 * `waitSeconds` (HMRC's cadence, domain/notification/push.ts), EXPIRED after two weeks, or GONE
 * when the webhook or notification is no longer there. Each attempt is recorded on the notification.
 */
export const handler = stepHandler(async (input: PushInput) => {
  const store = notificationStore();
  const notification = await store.get(input.org, input.notificationId);
  if (!notification) return { outcome: 'GONE' };
  if (notification.push?.status === 'DELIVERED') return { outcome: 'DELIVERED' };
  const attempts = (notification.push?.attempts ?? 0) + 1;
  if (isExpired(notification, input.at)) {
    await store.recordPush(input.org, notification.id, { ...notification.push, status: 'EXPIRED', attempts: attempts - 1 });
    return { outcome: 'EXPIRED' };
  }
  const webhook = await store.getWebhook(input.org);
  if (!webhook) {
    await store.recordPush(input.org, notification.id, { status: 'NO_WEBHOOK', attempts: attempts - 1 });
    return { outcome: 'GONE' };
  }
  const result = await pushToWebhook(webhook, published(notification));
  const decision = nextPush(notification, input.at, result);
  await store.recordPush(input.org, notification.id, {
    status: decision.outcome === 'RETRY' ? 'PENDING' : decision.outcome,
    attempts,
    lastAttemptAt: input.at,
    lastResult: 'status' in result && result.status !== undefined ? String(result.status) : ('error' in result && result.error) || result.kind,
  });
  return decision;
});

/** The notification as the declarant receives it: without the queue's own bookkeeping. */
function published(stored: StoredNotification): Notification {
  const { acknowledgedAt: _a, push: _p, ...notification } = stored;
  return notification;
}
