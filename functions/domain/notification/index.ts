/** Notifications of every change of a declaration (CDS DMS set): pull queue and webhook push. */
export {
  NOTIFICATION_CODES,
  NOTIFICATION_LIFETIME_DAYS,
  isExpired,
  notificationFor,
  type DeclarationState,
  type Notification,
  type NotificationCode,
  type RecordedChange,
} from './notifications.js';
export { WebhookRegistration, classifyAnswer, nextPush, type PushDecision, type PushResult } from './push.js';
