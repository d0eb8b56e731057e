import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SOURCE } from '../../../infra/app-model.js';
import type { Publisher } from '../../ports/publisher.js';

/** Publisher on an EventBridge bus; a failed entry is an error, never silently dropped. */
export class EventBridgePublisher implements Publisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(detailType: string, detail: Record<string, unknown>): Promise<void> {
    const result = await this.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: this.eventBusName, Source: SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) }],
      }),
    );
    if (result.FailedEntryCount) {
      const entry = result.Entries?.[0];
      throw new Error(`PutEvents failed for ${detailType}: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
    }
  }
}
