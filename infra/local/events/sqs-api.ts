import { createHash } from 'node:crypto';
import type { LocalQueues } from './queues.js';

/**
 * The SQS JSON API (protocol awsJson1_0, `X-Amz-Target: AmazonSQS.<Operation>`) over
 * {@link LocalQueues}: what ops tooling needs to read the exception queues — list them, count
 * them, receive and delete messages — so `@aws-sdk/client-sqs` or `aws sqs … --endpoint-url`
 * works against the local endpoint as against AWS. Queues are created from the app model only,
 * so there is no CreateQueue.
 */

const TARGET_PREFIX = 'AmazonSQS.';

/** An SQS API error as the JSON protocol returns it. */
export class SqsError extends Error {
  constructor(
    readonly __type: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalSqsApi {
  /**
   * @param queues the queues served
   * @param baseUrl the endpoint's URL (queue URLs are `<baseUrl>/<account>/<name>`, as on AWS)
   */
  constructor(
    private readonly queues: LocalQueues,
    private readonly baseUrl: () => string,
  ) {}

  /** Runs one API call; rejects with an {@link SqsError} for API errors. */
  async handle(target: string, body: any): Promise<unknown> {
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    switch (operation) {
      case 'ListQueues': {
        const prefix = String(body.QueueNamePrefix ?? '');
        return { QueueUrls: this.queues.names().filter((n) => n.startsWith(prefix)).map((n) => this.urlOf(n)) };
      }
      case 'GetQueueUrl':
        return { QueueUrl: this.urlOf(this.existing(String(body.QueueName))) };
      case 'GetQueueAttributes': {
        const name = this.nameIn(body.QueueUrl);
        return {
          Attributes: {
            QueueArn: this.queues.arn(name),
            ApproximateNumberOfMessages: String(this.queues.size(name)),
          },
        };
      }
      case 'ReceiveMessage': {
        const name = this.nameIn(body.QueueUrl);
        const max = Number(body.MaxNumberOfMessages ?? 1);
        if (!Number.isInteger(max) || max < 1 || max > 10) {
          throw new SqsError('InvalidParameterValue', 'MaxNumberOfMessages must be between 1 and 10.');
        }
        const received = this.queues.receiveMessages(name, { max, visibilityTimeoutSeconds: body.VisibilityTimeout });
        const wanted = attributeSelector(body.MessageAttributeNames);
        return {
          Messages: received.map((m) => {
            const text = JSON.stringify(m.body);
            const attributes = Object.entries(m.attributes ?? {}).filter(([attribute]) => wanted(attribute));
            return {
              MessageId: m.messageId,
              ReceiptHandle: m.receiptHandle,
              // The SDK checks every body against its MD5 (middleware-sdk-sqs).
              MD5OfBody: md5(text),
              Body: text,
              Attributes: { ApproximateReceiveCount: String(m.receiveCount), SentTimestamp: String(m.sentAt) },
              ...(attributes.length === 0
                ? {}
                : {
                    MessageAttributes: Object.fromEntries(attributes.map(([attribute, value]) => [attribute, { DataType: 'String', StringValue: value }])),
                    MD5OfMessageAttributes: md5OfMessageAttributes(attributes),
                  }),
            };
          }),
        };
      }
      case 'DeleteMessage':
        this.queues.deleteMessage(this.nameIn(body.QueueUrl), String(body.ReceiptHandle));
        return {};
      default:
        throw new SqsError('UnsupportedOperation', `Operation ${target} is not supported by the local queues.`);
    }
  }

  private urlOf(name: string): string {
    return `${this.baseUrl()}/${this.queues.account}/${name}`;
  }

  /** The queue a QueueUrl names (its last path segment). */
  private nameIn(queueUrl: unknown): string {
    return this.existing(String(queueUrl ?? '').split('/').pop() ?? '');
  }

  private existing(name: string): string {
    if (!this.queues.names().includes(name)) throw new SqsError('QueueDoesNotExist', `The specified queue ${name} does not exist.`);
    return name;
  }
}

const md5 = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

/**
 * Which message attributes ReceiveMessage returns: none unless asked for, by name, `All` / `.*`,
 * or a `prefix.*` (SQS ReceiveMessage reference, MessageAttributeNames).
 */
function attributeSelector(names: unknown): (attribute: string) => boolean {
  const list = Array.isArray(names) ? names.map(String) : [];
  return (attribute) => list.some((n) => n === 'All' || n === '.*' || n === attribute || (n.endsWith('.*') && attribute.startsWith(n.slice(0, -1))));
}

/**
 * SQS's MD5 of message attributes: for each attribute in name order, the 4-byte big-endian length
 * and UTF-8 bytes of its name, of its data type, the transport byte 1 (string), then the length
 * and bytes of its value (SQS developer guide, "Calculating the MD5 message digest for message
 * attributes").
 */
function md5OfMessageAttributes(attributes: [string, string][]): string {
  const parts: Buffer[] = [];
  const field = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  };
  for (const [name, value] of [...attributes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    field(name);
    field('String');
    parts.push(Buffer.from([1]));
    field(value);
  }
  return md5(Buffer.concat(parts));
}
