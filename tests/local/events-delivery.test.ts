import { describe, expect, it } from 'vitest';
import { busWithQueues } from './events-fixture.js';

/**
 * Target input and failed-delivery handling. Expected values follow the AWS user guide pages
 * "Amazon EventBridge input transformation" (the EC2 example event and its templates) and
 * "Event retry policy and using dead-letter queues", and the PutTargets / InputTransformer API reference.
 */

/** The EC2 example event of the input-transformation page. */
const ec2Entry = {
  Source: 'aws.ec2',
  DetailType: 'EC2 Instance State-change Notification',
  Detail: JSON.stringify({ 'instance-id': 'i-0123456789', state: 'RUNNING' }),
  Resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
};

async function deliverThrough(target: Record<string, unknown>) {
  const { bus, queues } = busWithQueues();
  queues.create('out');
  bus.putRule({ Name: 'ec2', EventPattern: '{"source":["aws.ec2"]}' });
  bus.putTargets({ Rule: 'ec2', Targets: [{ Id: 't', Arn: queues.arn('out'), ...target }] });
  await bus.putEvents({ Entries: [ec2Entry] });
  return { body: queues.receive('out')[0]?.body, bus };
}

describe('target input', () => {
  it('InputTransformer substitutes variables as JSON values outside quotes', async () => {
    const { body } = await deliverThrough({
      InputTransformer: {
        InputPathsMap: { instance: '$.detail.instance-id', state: '$.detail.state' },
        InputTemplate: '{"instance": <instance>, "state": <state>}',
      },
    });
    expect(body).toEqual({ instance: 'i-0123456789', state: 'RUNNING' });
  });

  it('InputTransformer inserts variables as text inside a quoted string', async () => {
    const { body } = await deliverThrough({
      InputTransformer: {
        InputPathsMap: { instance: '$.detail.instance-id', state: '$.detail.state' },
        InputTemplate: '{"message": "instance <instance> is in <state>"}',
      },
    });
    expect(body).toEqual({ message: 'instance i-0123456789 is in RUNNING' });
  });

  it('InputTransformer with a plain-text template (PutTargets reference example "<instance> is in state <status>") inserts values as text', async () => {
    const { body } = await deliverThrough({
      InputTransformer: { InputPathsMap: { state: '$.detail.state' }, InputTemplate: 'State is <state>' },
    });
    expect(body).toBe('State is RUNNING');
  });

  it('predefined variables: rule name and ARN, ingestion time, the event with and without detail', async () => {
    const { body } = await deliverThrough({
      InputTransformer: {
        InputTemplate:
          '{"rule": "<aws.events.rule-name>", "arn": "<aws.events.rule-arn>", "at": "<aws.events.event.ingestion-time>", "bare": <aws.events.event>, "full": <aws.events.event.json>}',
      },
    });
    const b = body as Record<string, any>;
    expect(b.rule).toBe('ec2');
    expect(b.arn).toBe('arn:aws:events:eu-west-1:123456789012:rule/ec2');
    expect(b.at).toBe('2026-01-15T09:30:00.000Z');
    expect(b.bare).not.toHaveProperty('detail');
    expect(b.bare.source).toBe('aws.ec2');
    expect(b.full.detail).toEqual({ 'instance-id': 'i-0123456789', state: 'RUNNING' });
  });

  it('InputPath delivers the selected part of the event', async () => {
    const { body } = await deliverThrough({ InputPath: '$.detail' });
    expect(body).toEqual({ 'instance-id': 'i-0123456789', state: 'RUNNING' });
  });

  it('Input delivers the constant JSON instead of the event', async () => {
    const { body } = await deliverThrough({ Input: '{"fixed": true}' });
    expect(body).toEqual({ fixed: true });
  });

  it('PutTargets refuses more than one of Input, InputPath and InputTransformer, and reserved variable names', () => {
    const { bus } = busWithQueues();
    bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:q';
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: arn, Input: '{}', InputPath: '$.detail' }] })).toThrow(
      expect.objectContaining({ __type: 'ValidationException' }),
    );
    expect(() =>
      bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: arn, InputTransformer: { InputPathsMap: { 'aws.events.rule-name': '$.x' }, InputTemplate: '<x>' } }] }),
    ).toThrow(expect.objectContaining({ __type: 'ValidationException' }));
  });
});

describe('failed deliveries', () => {
  const failing = 'arn:aws:sqs:eu-west-1:123456789012:flaky';

  async function setUp(failures: number, target: Record<string, unknown>) {
    const env = busWithQueues({ failingArns: new Map([[failing, failures]]) });
    env.queues.create('flaky');
    env.queues.create('dlq');
    env.bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    env.bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: failing, ...target }] });
    await env.bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{"k":1}' }] });
    return env;
  }

  it('retries a failing target and delivers once it recovers', async () => {
    const { calls, queues } = await setUp(2, { RetryPolicy: { MaximumRetryAttempts: 3 } });
    expect(calls.filter((c) => c.arn === failing)).toHaveLength(3);
    expect(queues.size('flaky')).toBe(1);
  });

  it('after MaximumRetryAttempts retries sends the event to the dead-letter queue', async () => {
    const { calls, queues } = await setUp(Infinity, {
      RetryPolicy: { MaximumRetryAttempts: 2 },
      DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' },
    });
    expect(calls.filter((c) => c.arn === failing)).toHaveLength(3); // 1 attempt + 2 retries
    expect(queues.receive('dlq').map((m) => (m.body as { detail: unknown }).detail)).toEqual([{ k: 1 }]);
  });

  it('MaximumRetryAttempts 0 means a single attempt; without a dead-letter queue the event is dropped', async () => {
    const { calls, queues } = await setUp(Infinity, { RetryPolicy: { MaximumRetryAttempts: 0 } });
    expect(calls).toHaveLength(1);
    expect(queues.size('dlq')).toBe(0);
  });

  it('retries 185 times by default (the AWS default retry policy)', async () => {
    const { calls } = await setUp(Infinity, {});
    expect(calls).toHaveLength(186);
  });
});
