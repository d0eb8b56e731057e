/** Publishes business events to the event bus (EventBridge on AWS, the local bus locally). */
export interface Publisher {
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
}
