import { NOTIFICATION_DETAIL_TYPE } from '../../infra/app-model.js';
import { notificationFor, type Notification } from '../domain/notification/index.js';
import type { AppendOptions, DeclarationStore, DeclarationView, NewHistoryEvent, PendingCallback } from '../ports/declaration-store.js';
import type { Publisher } from '../ports/publisher.js';
import { logger } from './powertools.js';


/**
 * The declaration store that tells the declarant: after every change recorded in a history, the
 * notification it makes (domain/notification) is published to the event bus, where a rule hands
 * it to the pull queue and the webhook push. The history is written first and stays the record;
 * a notification that cannot be published is logged, not retried into a second history event.
 * (On AWS a DynamoDB stream through EventBridge Pipes could replace this; dynalite has no streams.)
 */
export class NotifyingDeclarationStore implements DeclarationStore {
  constructor(
    private readonly inner: DeclarationStore,
    private readonly publisher: () => Publisher,
  ) {}

  async create(view: Omit<DeclarationView, 'headSeq' | 'headHash'>, first: NewHistoryEvent) {
    const result = await this.inner.create(view, first);
    if (result.created) await this.announce([first], { ...view, headSeq: 1, headHash: '' });
    return result;
  }

  async append(id: string, events: NewHistoryEvent[], changes: Partial<DeclarationView>, options?: AppendOptions) {
    const next = await this.inner.append(id, events, changes, options);
    await this.announce(events, next);
    return next;
  }

  getView(id: string) {
    return this.inner.getView(id);
  }

  getHistory(id: string) {
    return this.inner.getHistory(id);
  }

  putCallback(callback: PendingCallback) {
    return this.inner.putCallback(callback);
  }

  takeCallback(declarationId: string, kind: PendingCallback['kind']) {
    return this.inner.takeCallback(declarationId, kind);
  }

  getCallback(declarationId: string, kind: PendingCallback['kind']) {
    return this.inner.getCallback(declarationId, kind);
  }

  nextSequence(name: string) {
    return this.inner.nextSequence(name);
  }

  /** `view` is the state after `events`, the last of which holds seq `view.headSeq`. */
  private async announce(events: NewHistoryEvent[], view: DeclarationView): Promise<void> {
    const firstSeq = view.headSeq - events.length + 1;
    const notifications = events
      .map((event, index) => notificationFor({ ...event, seq: firstSeq + index }, view))
      .filter((notification): notification is Notification => notification !== undefined);
    for (const notification of notifications) {
      try {
        await this.publisher().publish(NOTIFICATION_DETAIL_TYPE, { ...notification });
      } catch (error) {
        logger.error('Could not publish a notification', { notification: notification.id, error: error as Error });
      }
    }
  }
}
