import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues as queueModel } from '../../infra/app-model.js';
import { VirtualClock } from '../../infra/local/clock.js';
import { startRuntime, type Runtime } from '../../infra/local/runtime.js';
import { Api, exampleJson, finished } from '../support/platform.js';

/**
 * The exception queues, read by ops as on AWS: the SQS JSON API on the one local endpoint, and a
 * journal under the data directory so what waits in them survives a restart.
 */
describe('exception queues over the SQS API', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-queues-'));
  const clock = new VirtualClock({ start: Date.parse('2025-05-20T02:00:00Z'), autoAdvance: false });
  let runtime: Runtime;
  let sqs: SQSClient;

  // A restart comes back on the same endpoint, as `npm start` does on 4566: the handlers' SDK
  // clients are made once per process (per Lambda container) and keep the endpoint they saw.
  let endpointPort = 0;
  const boot = async () => {
    runtime = await startRuntime({ dataDir, apiPort: 0, endpointPort, clock });
    endpointPort = Number(new URL(runtime.endpointUrl).port);
    sqs = new SQSClient({ endpoint: runtime.endpointUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  };
  const shutdown = async () => {
    sqs.destroy();
    await runtime.stop();
  };
  const rejectionsUrl = async () => (await sqs.send(new GetQueueUrlCommand({ QueueName: 'rejections' }))).QueueUrl!;

  /** A declaration rejected at receipt (no tariff line for its code): one message in `rejections`. */
  const reject = async (lrn: string) => {
    const declaration = exampleJson('cn/CN-1.json');
    declaration.lrn = lrn;
    declaration.items[0].commodityCode = '8501100000';
    const api = new Api(runtime.apiUrl, runtime.token);
    const { id } = (await api.post('/declarations', declaration)).body;
    expect((await api.until(id, finished)).status).toBe('REJECTED');
    await expect.poll(() => runtime.queues.peek('rejections').some((m) => (m.body as any).detail.declarationId === id)).toBe(true);
    return id as string;
  };

  beforeAll(boot);
  afterAll(async () => {
    await shutdown();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists every queue of the app model with its URL and ARN', async () => {
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls).toEqual(Object.keys(queueModel).map((name) => `${runtime.endpointUrl}/000000000000/${name}`));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await rejectionsUrl(), AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:rejections', ApproximateNumberOfMessages: '0' });
  });

  it('hands out a routed event, hides it for its visibility timeout, and removes it when deleted', async () => {
    const id = await reject('QUEUE-READ-1');
    const QueueUrl = await rejectionsUrl();
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
    expect(first.Messages).toHaveLength(1);
    expect(JSON.parse(first.Messages![0].Body!)).toMatchObject({ 'detail-type': 'DeclarationRejected', detail: { declarationId: id } });

    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages ?? []).toEqual([]);
    clock.advance(31_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    expect(again.Messages?.map((m) => m.MessageId)).toEqual([first.Messages![0].MessageId]);
    expect(again.Messages![0].Attributes).toMatchObject({ ApproximateReceiveCount: '2' });

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.Messages![0].ReceiptHandle }));
    expect(runtime.queues.size('rejections')).toBe(0);
  });

  it('keeps what was not deleted across a restart, and not what was', async () => {
    const kept = await reject('QUEUE-KEEP-1');
    const gone = await reject('QUEUE-GONE-1');
    const QueueUrl = await rejectionsUrl();
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const goneMessage = Messages!.find((m) => JSON.parse(m.Body!).detail.declarationId === gone)!;
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: goneMessage.ReceiptHandle }));

    await shutdown();
    await boot();

    const after = await sqs.send(new ReceiveMessageCommand({ QueueUrl: await rejectionsUrl(), MaxNumberOfMessages: 10 }));
    expect(after.Messages?.map((m) => JSON.parse(m.Body!).detail.declarationId)).toEqual([kept]);
  });

  it('answers QueueDoesNotExist for a queue the app model does not declare', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  });
});
