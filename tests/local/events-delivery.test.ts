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

  it('InputTransformer renders the InputTransformer reference example (variables in quotes and out, escaped quotes)', async () => {
    const { body } = await deliverThrough({
      InputTransformer: {
        InputPathsMap: { instance: '$.detail.instance-id', status: '$.detail.state' },
        InputTemplate: '{"myInstance": <instance>,"myStatus": "<instance> is in state \\"<status>\\""}',
      },
    });
    expect(body).toEqual({ myInstance: 'i-0123456789', myStatus: 'i-0123456789 is in state "RUNNING"' });
  });

  // Expected values recorded from AWS in localstack's AWS-validated test_events_inputs snapshot,
  // unless the test names the user guide.
  it('InputTransformer gives an empty string for a path that selects nothing, in a value position too', async () => {
    const { body } = await deliverThrough({
      InputTransformer: { InputPathsMap: { state: '$.detail.state', missing: '$.detail.nothing' }, InputTemplate: '{"state": <state>, "missing": <missing>}' },
    });
    expect(body).toEqual({ state: 'RUNNING', missing: '' });
  });

  it('InputTransformer treats a template that is a JSON string literal as JSON', async () => {
    const { body } = await deliverThrough({
      InputTransformer: { InputPathsMap: { state: '$.detail.state', missing: '$.detail.nothing' }, InputTemplate: '"{[/State <state>, missing <missing>"' },
    });
    expect(body).toBe('{[/State RUNNING, missing ');
  });

  it('InputTransformer removes the quotes of an object referenced inside a string (user guide: common issues with transforming input)', async () => {
    const { body } = await deliverThrough({ InputTransformer: { InputPathsMap: { detail: '$.detail' }, InputTemplate: '{"text": "Detail is <detail>"}' } });
    expect(body).toEqual({ text: 'Detail is {instance-id:i-0123456789,state:RUNNING}' });
  });

  it('<aws.events.event> names the event type detailType and leaves the detail out', async () => {
    const { body } = await deliverThrough({ InputTransformer: { InputTemplate: '{"originalEvent": <aws.events.event>}' } });
    const original = (body as { originalEvent: Record<string, unknown> }).originalEvent;
    expect(original).toMatchObject({ detailType: 'EC2 Instance State-change Notification', source: 'aws.ec2', version: '0', resources: ec2Entry.Resources });
    expect(original).not.toHaveProperty('detail');
    expect(original).not.toHaveProperty('detail-type');
  });

  it('PutTargets names the target when it refuses a placeholder no variable defines, or two kinds of input', () => {
    const { bus } = busWithQueues();
    bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:q';
    const transformer = { InputPathsMap: { type: '$.detail-type' }, InputTemplate: '"Event of <type> type, with not defined key <notdefinedkey>"' };
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 't1', Arn: arn, InputTransformer: transformer }] })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'InputTemplate for target t1 contains invalid placeholder notdefinedkey.' }),
    );
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 't2', Arn: arn, Input: '{}', InputPath: '$.detail' }] })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Only one of Input, InputPath, or InputTransformer must be provided for target t2.' }),
    );
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
    await env.bus.settled(); // retries wait on the clock in the background
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

  const dlqArn = 'arn:aws:sqs:eu-west-1:123456789012:dlq';
  const deadLetters = (queues: ReturnType<typeof busWithQueues>['queues']) =>
    queues.receive('dlq').map((m) => ({ body: m.body as Record<string, unknown>, attributes: m.attributes }));

  it('dead-letters the event itself (not the target input) with the documented message attributes', async () => {
    const { queues } = await setUp(Infinity, { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlqArn }, InputPath: '$.detail' });
    const [letter] = deadLetters(queues);
    expect(letter.body).toMatchObject({ source: 's', 'detail-type': 'd', detail: { k: 1 } });
    expect(letter.attributes).toEqual({
      RULE_ARN: 'arn:aws:events:eu-west-1:123456789012:rule/r',
      TARGET_ARN: failing,
      ERROR_CODE: 'ERROR_FROM_TARGET',
      ERROR_MESSAGE: `target ${failing} unavailable`,
      RETRY_ATTEMPTS: '2',
      EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts',
    });
  });

  it('waits with exponential back-off on the clock between retries', async () => {
    const { clock } = await setUp(Infinity, { RetryPolicy: { MaximumRetryAttempts: 3 } });
    expect(clock.now() - Date.UTC(2026, 0, 15, 9, 30, 0)).toBe((1 + 2 + 4) * 1000);
  });

  it('stops retrying once the next retry would come after MaximumEventAgeInSeconds', async () => {
    // Waits of 1, 2, 4, 8 and 16 s reach 31 s; the next one (32 s) would end at 63 s > 60 s.
    const { calls, queues } = await setUp(Infinity, { RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlqArn } });
    expect(calls.filter((c) => c.arn === failing)).toHaveLength(6);
    expect(deadLetters(queues)[0].attributes).toMatchObject({ RETRY_ATTEMPTS: '5', EXHAUSTED_RETRY_CONDITION: 'MaximumEventAgeInSeconds' });
  });

  it('does not retry a target that does not exist, and dead-letters it without a retry condition', async () => {
    const env = busWithQueues();
    env.queues.create('dlq');
    env.bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    const missing = 'arn:aws:sqs:eu-west-1:123456789012:missing';
    env.bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: missing, DeadLetterConfig: { Arn: dlqArn } }] });
    await env.bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });
    await env.bus.settled();
    expect(env.calls.filter((c) => c.arn === missing)).toHaveLength(1);
    const [letter] = deadLetters(env.queues);
    expect(letter.attributes).toMatchObject({ ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: '0', TARGET_ARN: missing });
    expect(letter.attributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
  });

  it('answers PutEvents after the first attempt and goes on retrying in the background', async () => {
    const env = busWithQueues({ failingArns: new Map([[failing, 1]]) });
    let wakeUp = () => {};
    env.clock.sleep = (ms: number) => new Promise<void>((resolve) => (wakeUp = () => resolve(void (env.clock.ms += ms))));
    env.queues.create('flaky');
    env.bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    env.bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: failing }] });
    await env.bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });
    expect(env.queues.size('flaky')).toBe(0);
    wakeUp();
    await env.bus.settled();
    expect(env.queues.size('flaky')).toBe(1);
  });

  it.each([
    ['MaximumRetryAttempts above 185', { RetryPolicy: { MaximumRetryAttempts: 186 } }],
    ['MaximumEventAgeInSeconds below 60', { RetryPolicy: { MaximumEventAgeInSeconds: 59 } }],
    ['MaximumEventAgeInSeconds above 86400', { RetryPolicy: { MaximumEventAgeInSeconds: 86_401 } }],
    ['a dead-letter queue that is not an SQS queue', { DeadLetterConfig: { Arn: 'arn:aws:sns:eu-west-1:123456789012:topic' } }],
  ])('PutTargets refuses %s (RetryPolicy and DeadLetterConfig reference)', (_what, target) => {
    const { bus } = busWithQueues();
    bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    expect(() => bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: failing, ...target }] })).toThrow(expect.objectContaining({ __type: 'ValidationException' }));
  });
});
