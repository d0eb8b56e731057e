import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { EventBus, Rule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  eventBus as busModel,
  handlerRules as handlerRuleModels,
  queues as queueModels,
  rules as ruleModels,
  type FunctionName,
  type QueueName,
} from '../../app-model.js';
import { deadLetterQueuePhysicalName, eventBusPhysicalName, queuePhysicalName } from '../naming.js';
import type { StageConfig } from '../stage-config.js';

/** How often a consumer may fail on a message before it moves to the queue's DLQ. */
const MAX_RECEIVE_COUNT = 5;
/** SQS maximum retention, so an exception is never lost before someone reads it. */
const RETENTION = Duration.days(14);

/**
 * The EventBridge custom bus with its archive, and one rule per model rule delivering to the
 * model's exception queue (SQS, KMS-encrypted, TLS only, with a dead-letter queue).
 */
export class EventRouting extends Construct {
  readonly bus: EventBus;
  readonly queues: Record<QueueName, Queue>;
  readonly deadLetterQueues: Record<QueueName, Queue>;

  constructor(scope: Construct, id: string, config: StageConfig) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', { eventBusName: eventBusPhysicalName(config.stage) });
    this.bus.archive('Archive', {
      description: 'Every event on the Clearway bus, for replay',
      // The documented way to match every event on a bus: events always carry the account.
      eventPattern: { account: [Stack.of(this).account] },
      retention: Duration.days(busModel.archiveRetentionDays),
    });

    // A key of our own, not alias/aws/sqs: EventBridge may only send to an encrypted queue whose
    // key policy lets events.amazonaws.com use the key (EventBridge user guide, "Amazon SQS
    // permissions"); the target grant below adds that statement.
    const key = new Key(this, 'QueueKey', {
      description: `Clearway ${config.stage}: exception queues at rest`,
      enableKeyRotation: true,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const encrypted = { encryption: QueueEncryption.KMS, encryptionMasterKey: key, enforceSSL: true, retentionPeriod: RETENTION };

    const names = Object.keys(queueModels) as QueueName[];
    this.deadLetterQueues = {} as Record<QueueName, Queue>;
    this.queues = {} as Record<QueueName, Queue>;
    for (const name of names) {
      const deadLetterQueue = new Queue(this, `${name}Dlq`, {
        ...encrypted,
        queueName: deadLetterQueuePhysicalName(config.stage, name),
      });
      this.deadLetterQueues[name] = deadLetterQueue;
      this.queues[name] = new Queue(this, `${name}Queue`, {
        ...encrypted,
        queueName: queuePhysicalName(config.stage, name),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      });
    }

    for (const [name, model] of Object.entries(ruleModels)) {
      new Rule(this, `${name}Rule`, {
        eventBus: this.bus,
        description: model.description,
        eventPattern: toCdkEventPattern(model.pattern),
        targets: [new SqsQueue(this.queues[model.queue])],
      });
    }
  }
}

/** A function target's retries and the age after which EventBridge stops trying (its defaults are 185 and 24 h). */
const FUNCTION_TARGET = { retryAttempts: 2, maxEventAge: Duration.hours(24) };

/**
 * The model's rules whose target is a function (e.g. notifications → the notify function),
 * added once the functions exist.
 */
export function routeToFunctions(routing: EventRouting, functions: Record<FunctionName, IFunction>): void {
  for (const [name, model] of Object.entries(handlerRuleModels)) {
    new Rule(routing, `${name}Rule`, {
      eventBus: routing.bus,
      description: model.description,
      eventPattern: toCdkEventPattern(model.pattern),
      targets: [new LambdaFunction(functions[model.function], FUNCTION_TARGET)],
    });
  }
}

/**
 * The model writes patterns as EventBridge JSON (`detail-type`); CDK's `EventPattern` names the
 * same fields in camelCase and renders them back to the JSON names.
 */
export function toCdkEventPattern(pattern: Record<string, unknown>): EventPattern {
  return Object.fromEntries(
    Object.entries(pattern).map(([field, value]) => [field.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), value]),
  ) as EventPattern;
}
