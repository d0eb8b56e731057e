import type { QueueName, RuleModel } from '../../app-model.js';
import type { LocalEventBus } from './bus.js';

/**
 * Named in-memory queues that rule targets deliver to — the local stand-in for the SQS
 * exception queues of the app model (officer holds, rejections, …). A queue is addressed by
 * an SQS-shaped ARN `arn:aws:sqs:<region>:<account>:<name>`.
 */

export interface QueueMessage {
  /** Sequential per queue set, so receipt order is observable. */
  messageId: string;
  /** What the target received (the event, or its transformed input). */
  body: unknown;
  /** Epoch milliseconds, from the injected clock. */
  sentAt: number;
}

export class LocalQueues {
  private readonly queues = new Map<string, QueueMessage[]>();
  private sequence = 0;

  constructor(
    private readonly clock: { now(): number },
    readonly region = 'us-east-1',
    readonly account = '000000000000',
  ) {}

  /** The ARN that addresses queue `name`. */
  arn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.account}:${name}`;
  }

  /** Creates the queue if it does not exist yet; returns its ARN. */
  create(name: string): string {
    if (!this.queues.has(name)) this.queues.set(name, []);
    return this.arn(name);
  }

  /** The queue name an ARN of ours addresses, or `undefined` for any other ARN. */
  nameOf(arn: string): string | undefined {
    const prefix = `arn:aws:sqs:${this.region}:${this.account}:`;
    return arn.startsWith(prefix) && this.queues.has(arn.slice(prefix.length)) ? arn.slice(prefix.length) : undefined;
  }

  /** Appends a message; rejects for an unknown queue, as SQS would (NonExistentQueue). */
  async send(arn: string, body: unknown): Promise<void> {
    const name = this.nameOf(arn);
    if (name === undefined) throw new Error(`AWS.SimpleQueueService.NonExistentQueue: ${arn}`);
    this.queues.get(name)!.push({ messageId: String(++this.sequence), body, sentAt: this.clock.now() });
  }

  /** Removes and returns up to `max` messages (default 10, the SQS maximum), oldest first. */
  receive(name: string, max = 10): QueueMessage[] {
    return this.existing(name).splice(0, max);
  }

  /** The messages waiting, oldest first, without removing them. */
  peek(name: string): QueueMessage[] {
    return [...this.existing(name)];
  }

  size(name: string): number {
    return this.existing(name).length;
  }

  private existing(name: string): QueueMessage[] {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} does not exist`);
    return queue;
  }
}

/** The part of `infra/app-model.ts` that declares event routing. */
export interface AppEventModel {
  eventBus: { name: string };
  queues: Record<string, string>;
  rules: Record<string, RuleModel>;
}

/**
 * Installs the app model's bus, queues and rules: one queue per model queue, one rule per model
 * rule (same name, same pattern) with that queue as its single target — the same resources
 * `infra/cdk` creates on AWS.
 */
export function installAppRules(bus: LocalEventBus, queues: LocalQueues, model: AppEventModel): void {
  const busName = model.eventBus.name;
  if (!bus.hasEventBus(busName)) bus.createEventBus({ Name: busName });
  for (const name of Object.keys(model.queues)) queues.create(name);
  for (const [ruleName, rule] of Object.entries(model.rules)) {
    bus.putRule({ Name: ruleName, EventBusName: busName, EventPattern: JSON.stringify(rule.pattern), Description: rule.description });
    bus.putTargets({ Rule: ruleName, EventBusName: busName, Targets: [{ Id: queueTargetId(rule.queue), Arn: queues.arn(rule.queue) }] });
  }
}

const queueTargetId = (queue: QueueName | string): string => `queue-${queue}`;
