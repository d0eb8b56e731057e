import { z } from 'zod';
import { isExpired, type Notification } from './notifications.js';

/**
 * Pushing notifications to the declarant's webhook, with retries and expiry, after HMRC's CDS
 * push service (end-to-end service guide, notifications): a notification the endpoint does not
 * take is retried every 2.5 minutes while it answers 5xx or nothing, every 10 minutes on other
 * failures, until the notification expires (two weeks). After the first day Clearway retries
 * hourly: a Standard workflow execution holds at most 25,000 history events, and two weeks of
 * 2.5-minute retries would not fit.
 */

/** The declarant's endpoint. https anywhere; plain http only on this machine (local development). */
export const WebhookRegistration = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .refine((url) => {
      const { protocol, hostname, username, password } = new URL(url);
      if (username || password) return false;
      if (protocol === 'http:') return LOOPBACK.includes(hostname);
      return !LOOPBACK.includes(hostname) && !isInternalAddress(hostname);
    }, 'must be an https URL of a public host, without credentials (http only for 127.0.0.1 or localhost, for testing)'),
  /** Shared secret: each push carries `X-Clearway-Signature: sha256=<HMAC-SHA256 of the body>`. */
  secret: z.string().min(16).max(256).optional(),
});
export type WebhookRegistration = z.infer<typeof WebhookRegistration>;

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * True for an IP literal the platform must never push to from inside the cloud: private, loopback,
 * link-local (the instance metadata service 169.254.169.254), carrier-grade NAT and unspecified
 * ranges (RFC 1918, 6598, 3927, 4193, 4291). A host name is left to DNS.
 */
export function isInternalAddress(hostname: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(hostname);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);
  }
  if (!hostname.startsWith('[')) return false;
  const v6 = hostname.slice(1, -1).toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isInternalAddress(mapped[1]!);
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('::ffff:');
}

/** What one attempt to push found. */
export type PushResult =
  | { kind: 'DELIVERED'; status: number }
  /** 5xx, a timeout or no connection: the endpoint may be back soon. */
  | { kind: 'UNAVAILABLE'; status?: number; error?: string }
  /** Any other answer (3xx, 4xx): the endpoint refused it. */
  | { kind: 'REFUSED'; status: number };

/** What happens next: done, try again after `waitSeconds`, or give up (expired). */
export type PushDecision = { outcome: 'DELIVERED' } | { outcome: 'RETRY'; waitSeconds: number } | { outcome: 'EXPIRED' };

const RETRY_UNAVAILABLE_SECONDS = 150;
const RETRY_REFUSED_SECONDS = 600;
const RETRY_AFTER_FIRST_DAY_SECONDS = 3600;
const FIRST_DAY_MS = 86_400_000;

/** How an HTTP answer (or its absence) counts. */
export function classifyAnswer(status: number | undefined, error?: string): PushResult {
  if (status !== undefined && status >= 200 && status < 300) return { kind: 'DELIVERED', status };
  if (status === undefined || status >= 500) return { kind: 'UNAVAILABLE', ...(status !== undefined ? { status } : {}), ...(error ? { error } : {}) };
  return { kind: 'REFUSED', status };
}

/**
 * The next step after an attempt at `at`: delivered; a retry after the HMRC cadence (never past
 * the notification's expiry); or expired when the two weeks are over.
 */
export function nextPush(notification: Pick<Notification, 'issuedAt' | 'expiresAt'>, at: string, result: PushResult): PushDecision {
  if (result.kind === 'DELIVERED') return { outcome: 'DELIVERED' };
  if (isExpired(notification, at)) return { outcome: 'EXPIRED' };
  const firstDay = Date.parse(at) - Date.parse(notification.issuedAt) < FIRST_DAY_MS;
  const cadence = !firstDay ? RETRY_AFTER_FIRST_DAY_SECONDS : result.kind === 'UNAVAILABLE' ? RETRY_UNAVAILABLE_SECONDS : RETRY_REFUSED_SECONDS;
  const untilExpiry = Math.ceil((Date.parse(notification.expiresAt) - Date.parse(at)) / 1000);
  return { outcome: 'RETRY', waitSeconds: Math.max(1, Math.min(cadence, untilExpiry)) };
}
