import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { QueueName, RuleModel } from '../../app-model.js';
import type { LocalEventBus } from './bus.js';
import { noResource } from './delivery.js';

/**
 * Named queues that rule targets deliver to — the local stand-in for the SQS exception queues
 * of the app model (officer holds, rejections, …). A queue is addressed by an SQS-shaped ARN
 * `arn:aws:sqs:<region>:<account>:<name>`; `infra/local/events/sqs-api.ts` serves them over the
 * SQS JSON protocol so ops tooling reads them as it would on AWS.
 *
 * With a journal file, every send and delete is appended to it and replayed on start, so the
 * exceptions waiting for ops survive a restart (like SQS, a message received but not deleted
 * before the restart is delivered again: at-least-once).
 */

export interface QueueMessage {
  /** Sequential per queue set, so receipt order is observable. */
  messageId: string;
  /** What the target received (the event, or its transformed input). */
  body: unknown;
  /** Epoch milliseconds, from the injected clock. */
  sentAt: number;
  /** String message attributes (EventBridge puts RULE_ARN, ERROR_CODE, … on dead letters). */
  attributes?: Record<string, string>;
}

/** A message handed out by {@link LocalQueues.receiveMessages}, invisible until its timeout. */
export interface ReceivedMessage extends QueueMessage {
  /** Names this receipt; {@link LocalQueues.deleteMessage} takes it. */
  receiptHandle: string;
  /** How many times the message was received, this one included. */
  receiveCount: number;
}

interface StoredMessage extends QueueMessage {
  /** Epoch ms before which a received message is not handed out again. */
  invisibleUntil: number;
  receiveCount: number;
}

type JournalEntry = { op: 'create'; queue: string } | { op: 'send'; queue: string; message: QueueMessage } | { op: 'delete'; queue: string; messageId: string };

/** SQS's default visibility timeout. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/** Messages sent, received and deleted since the queues were created (the benchmark prices them as SQS requests). */
export interface QueueMetrics {
  sent: number;
  /** Messages handed out (not calls: a consumer polling an empty queue is the consumer's cost). */
  received: number;
  deleted: number;
}

export class LocalQueues {
  private readonly queues = new Map<string, StoredMessage[]>();
  readonly metrics: QueueMetrics = { sent: 0, received: 0, deleted: 0 };
  private sequence = 0;
  private receipts = 0;

  /**
   * @param journal file that records sends and deletes (created if missing); without it the
   *   queues live in memory only (tests).
   */
  constructor(
    private readonly clock: { now(): number },
    readonly region = 'us-east-1',
    readonly account = '000000000000',
    private readonly journal?: string,
  ) {
    if (journal) this.replay(journal);
  }

  /** The ARN that addresses queue `name`. */
  arn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.account}:${name}`;
  }

  /** The queue names, in creation order. */
  names(): string[] {
    return [...this.queues.keys()];
  }

  /** Creates the queue if it does not exist yet; returns its ARN. */
  create(name: string): string {
    if (!this.queues.has(name)) {
      this.queues.set(name, []);
      this.record({ op: 'create', queue: name });
    }
    return this.arn(name);
  }

  /** The queue name an ARN of ours addresses, or `undefined` for any other ARN. */
  nameOf(arn: string): string | undefined {
    const prefix = `arn:aws:sqs:${this.region}:${this.account}:`;
    return arn.startsWith(prefix) && this.queues.has(arn.slice(prefix.length)) ? arn.slice(prefix.length) : undefined;
  }

  /**
   * Appends a message; rejects for an unknown queue, as SQS would (NonExistentQueue) — to
   * EventBridge a missing target, which it does not retry.
   */
  async send(arn: string, body: unknown, attributes?: Record<string, string>): Promise<void> {
    const name = this.nameOf(arn);
    if (name === undefined) throw noResource(`AWS.SimpleQueueService.NonExistentQueue: ${arn}`);
    const message: QueueMessage = { messageId: String(++this.sequence), body, sentAt: this.clock.now(), ...(attributes ? { attributes } : {}) };
    this.metrics.sent += 1;
    this.record({ op: 'send', queue: name, message });
    this.queues.get(name)!.push({ ...message, invisibleUntil: 0, receiveCount: 0 });
  }

  /** Removes and returns up to `max` visible messages (default 10, the SQS maximum), oldest first. */
  receive(name: string, max = 10): QueueMessage[] {
    return this.receiveMessages(name, { max }).map(({ receiptHandle, receiveCount: _, ...message }) => {
      this.deleteMessage(name, receiptHandle);
      return message;
    });
  }

  /**
   * SQS ReceiveMessage: up to `max` visible messages, oldest first, each hidden for
   * `visibilityTimeoutSeconds` (on the injected clock) unless deleted before that.
   */
  receiveMessages(name: string, options: { max?: number; visibilityTimeoutSeconds?: number } = {}): ReceivedMessage[] {
    const now = this.clock.now();
    const hiddenFor = (options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_SECONDS) * 1000;
    const visible = this.existing(name).filter((m) => m.invisibleUntil <= now).slice(0, options.max ?? 10);
    this.metrics.received += visible.length;
    return visible.map((m) => {
      m.invisibleUntil = now + hiddenFor;
      m.receiveCount += 1;
      const { invisibleUntil: _, ...message } = m;
      return { ...message, receiptHandle: `${m.messageId}:${++this.receipts}` };
    });
  }

  /** SQS DeleteMessage: removes the message a receipt names; an unknown receipt is ignored, as SQS does. */
  deleteMessage(name: string, receiptHandle: string): void {
    const messageId = receiptHandle.split(':')[0];
    const queue = this.existing(name);
    const index = queue.findIndex((m) => m.messageId === messageId);
    if (index < 0) return;
    queue.splice(index, 1);
    this.metrics.deleted += 1;
    this.record({ op: 'delete', queue: name, messageId });
  }

  /** The messages waiting (visible or in flight), oldest first, without receiving them. */
  peek(name: string): QueueMessage[] {
    return this.existing(name).map(({ invisibleUntil: _, receiveCount: __, ...message }) => message);
  }

  size(name: string): number {
    return this.existing(name).length;
  }

  private existing(name: string): StoredMessage[] {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} does not exist`);
    return queue;
  }

  private record(entry: JournalEntry): void {
    if (this.journal) appendFileSync(this.journal, `${JSON.stringify(entry)}\n`);
  }

  /** Rebuilds the queues from the journal; a torn last line (a crash mid-append) is skipped. */
  private replay(journal: string): void {
    mkdirSync(dirname(journal), { recursive: true });
    if (!existsSync(journal)) return;
    for (const line of readFileSync(journal, 'utf8').split('\n')) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue;
      }
      if (entry.op === 'create') {
        if (!this.queues.has(entry.queue)) this.queues.set(entry.queue, []);
      } else if (entry.op === 'send') {
        this.queues.get(entry.queue)?.push({ ...entry.message, invisibleUntil: 0, receiveCount: 0 });
        this.sequence = Math.max(this.sequence, Number(entry.message.messageId));
      } else {
        const queue = this.queues.get(entry.queue);
        const index = queue?.findIndex((m) => m.messageId === entry.messageId) ?? -1;
        if (index >= 0) queue!.splice(index, 1);
      }
    }
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
