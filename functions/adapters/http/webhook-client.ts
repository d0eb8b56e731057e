import { createHmac } from 'node:crypto';
import { classifyAnswer, type Notification, type PushResult } from '../../domain/notification/index.js';
import type { Webhook } from '../../ports/notification-store.js';

/** How long one push may take before it counts as "no answer" (and is retried on the short cadence). */
const TIMEOUT_MS = 10_000;

/**
 * POSTs a notification to a webhook as JSON, with its id and — when the organisation registered
 * a secret — `X-Clearway-Signature: sha256=<hex HMAC-SHA256 of the body>` so the receiver can
 * tell it came from Clearway. Never throws: every outcome is a PushResult.
 */
export async function pushToWebhook(webhook: Webhook, notification: Notification): Promise<PushResult> {
  const body = JSON.stringify(notification);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-clearway-notification-id': notification.id };
  if (webhook.secret) headers['x-clearway-signature'] = `sha256=${createHmac('sha256', webhook.secret).update(body).digest('hex')}`;
  try {
    const response = await fetch(webhook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    return classifyAnswer(response.status);
  } catch (error) {
    return classifyAnswer(undefined, error instanceof Error ? error.name : String(error));
  }
}
