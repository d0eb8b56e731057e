import type { Notification } from '../domain/notification/index.js';

/** Where a push stands: still trying, delivered, or given up when the notification expired. */
export interface PushState {
  status: 'PENDING' | 'DELIVERED' | 'EXPIRED' | 'NO_WEBHOOK';
  attempts: number;
  lastAttemptAt?: string;
  /** HTTP status or error of the last attempt. */
  lastResult?: string;
}

/** A notification in an organisation's queue. */
export interface StoredNotification extends Notification {
  acknowledgedAt?: string;
  push?: PushState;
}

/** An organisation's webhook for push notifications. */
export interface Webhook {
  org: string;
  url: string;
  secret?: string;
  registeredAt: string;
}

/**
 * Notifications per organisation (pull queue: unacknowledged oldest first; acknowledgement) and
 * the organisation's webhook for pushing them.
 */
/** Which page of notifications to list. */
export interface NotificationPage {
  limit: number;
  issuedFrom: string;
  declarationId?: string;
  /** Opaque: the `cursor` of the previous page. */
  cursor?: string;
}

export interface NotificationStore {
  /** Stores a notification; false when it was already stored (the same change reported again). */
  put(notification: Notification): Promise<boolean>;
  get(org: string, id: string): Promise<StoredNotification | undefined>;
  /**
   * One page of the organisation's notifications in one state, oldest first, issued from
   * `page.issuedFrom` on (older ones have expired), of one declaration if `page.declarationId`;
   * `cursor` continues where the previous page ended (absent: no more). A filtered page may hold
   * fewer than `limit` — even none — and still have a cursor.
   */
  list(org: string, acknowledged: boolean, page: NotificationPage): Promise<{ items: StoredNotification[]; cursor?: string }>;
  /** Marks it acknowledged (once: a repeat keeps the first time); undefined when the organisation has no such notification. */
  acknowledge(org: string, id: string, at: string): Promise<StoredNotification | undefined>;
  recordPush(org: string, id: string, push: PushState): Promise<void>;
  putWebhook(webhook: Webhook): Promise<void>;
  getWebhook(org: string): Promise<Webhook | undefined>;
  deleteWebhook(org: string): Promise<void>;
}
