import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListReplaysCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../infra/local/clock.js';
import { startRuntime, type Runtime } from '../../infra/local/runtime.js';

/**
 * `@aws-sdk/client-eventbridge` and `@aws-sdk/client-sqs`, unchanged, against the one local AWS
 * endpoint of the runtime (infra/local/endpoint.ts): every EventBridge operation a user of the
 * bus needs, with AWS's request and response shapes (Dates for timestamps) and its named errors.
 * Only 127.0.0.1; dummy credentials.
 */
describe('EventBridge through the local AWS endpoint', () => {
  const clock = new VirtualClock({ start: Date.parse('2026-01-02T03:00:00Z'), autoAdvance: false });
  let runtime: Runtime;
  let events: EventBridgeClient;
  let sqs: SQSClient;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const BUS = 'sdk';
  // Queues of the app model serve as targets (the runtime creates them; nothing else uses them here).
  const TARGET_QUEUE = 'failures';
  const DEAD_LETTER_QUEUE = 'enforcement';

  beforeAll(async () => {
    runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
    events = new EventBridgeClient({ endpoint: runtime.endpointUrl, region: 'us-east-1', credentials });
    sqs = new SQSClient({ endpoint: runtime.endpointUrl, region: 'us-east-1', credentials });
    await events.send(new CreateEventBusCommand({ Name: BUS }));
  });

  afterAll(async () => {
    events?.destroy();
    sqs?.destroy();
    await runtime?.stop();
  });

  const queueArn = (name: string) => runtime.queues.arn(name);
  const receive = async (name: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    return Messages;
  };
  const putEvent = (detailType: string, detail: unknown, time?: Date) =>
    events.send(new PutEventsCommand({ Entries: [{ EventBusName: BUS, Source: 'sdk.test', DetailType: detailType, Detail: JSON.stringify(detail), Time: time }] }));

  it('creates a rule and a queue target, routes PutEvents to it, and lists and describes both', async () => {
    const rule = await events.send(new PutRuleCommand({ Name: 'holds', EventBusName: BUS, EventPattern: JSON.stringify({ 'detail-type': ['DeclarationHeld'] }) }));
    expect(rule.RuleArn).toBe(`arn:aws:events:us-east-1:000000000000:rule/${BUS}/holds`);
    await events.send(new PutTargetsCommand({ Rule: 'holds', EventBusName: BUS, Targets: [{ Id: 'q', Arn: queueArn(TARGET_QUEUE) }] }));

    const put = await putEvent('DeclarationHeld', { id: 'D1' }, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.[0].EventId).toBeTruthy();
    const [message] = await receive(TARGET_QUEUE);
    expect(JSON.parse(message.Body!)).toMatchObject({ 'detail-type': 'DeclarationHeld', time: '2026-01-02T03:04:05Z', detail: { id: 'D1' } });

    expect((await events.send(new ListRulesCommand({ EventBusName: BUS }))).Rules?.map((r) => [r.Name, r.State])).toEqual([['holds', 'ENABLED']]);
    expect((await events.send(new DescribeRuleCommand({ Name: 'holds', EventBusName: BUS }))).EventPattern).toBe('{"detail-type":["DeclarationHeld"]}');
    expect((await events.send(new ListTargetsByRuleCommand({ Rule: 'holds', EventBusName: BUS }))).Targets).toEqual([{ Id: 'q', Arn: queueArn(TARGET_QUEUE) }]);
  });

  it('answers TestEventPattern', async () => {
    const event = { id: '1', account: '1', source: 'aws.ec2', time: '2017-10-02T16:24:49Z', region: 'us-east-1', resources: [], 'detail-type': 'x', detail: { 'c-count': 5 } };
    const result = await events.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}', Event: JSON.stringify(event) }));
    expect(result.Result).toBe(true);
  });

  it("surfaces an invalid pattern as the SDK's InvalidEventPatternException with AWS's message", async () => {
    await expect(events.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[{"wildcard":"a**"}]}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      message: 'Event pattern is not valid. Reason: Consecutive wildcard characters at pos 2',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('dead-letters an event its target cannot take, readable with its attributes through SQS', async () => {
    await events.send(new PutRuleCommand({ Name: 'to-nowhere', EventBusName: BUS, EventPattern: '{"detail-type":["Lost"]}' }));
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    await events.send(new PutTargetsCommand({ Rule: 'to-nowhere', EventBusName: BUS, Targets: [{ Id: 'gone', Arn: missing, DeadLetterConfig: { Arn: queueArn(DEAD_LETTER_QUEUE) } }] }));
    await putEvent('Lost', { id: 'D2' });
    const [letter] = await receive(DEAD_LETTER_QUEUE);
    expect(JSON.parse(letter.Body!)).toMatchObject({ 'detail-type': 'Lost', detail: { id: 'D2' } });
    const attributes = Object.fromEntries(Object.entries(letter.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]));
    expect(attributes).toMatchObject({ RULE_ARN: `arn:aws:events:us-east-1:000000000000:rule/${BUS}/to-nowhere`, TARGET_ARN: missing, ERROR_CODE: 'NO_RESOURCE', RETRY_ATTEMPTS: '0' });
    expect(letter.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('archives, lists and describes the archive, replays a window with Date timestamps, and describes and lists the replay', async () => {
    const { ArchiveArn } = await events.send(new CreateArchiveCommand({ ArchiveName: 'sdk-archive', EventSourceArn: runtime.bus.busArn(BUS) }));
    await putEvent('DeclarationHeld', { id: 'D3' }, new Date(Date.UTC(2026, 0, 2, 3, 30)));
    await receive(TARGET_QUEUE); // the live delivery
    expect((await events.send(new DescribeArchiveCommand({ ArchiveName: 'sdk-archive' }))).EventCount).toBe(1);
    expect((await events.send(new ListArchivesCommand({ EventSourceArn: runtime.bus.busArn(BUS) }))).Archives?.map((a) => a.ArchiveName)).toEqual(['sdk-archive']);

    const start = new Date(Date.UTC(2026, 0, 2));
    const end = new Date(Date.UTC(2026, 0, 3));
    const started = await events.send(new StartReplayCommand({ ReplayName: 'sdk-replay', EventSourceArn: ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: { Arn: runtime.bus.busArn(BUS) } }));
    expect(started.State).toBe('STARTING');
    await runtime.bus.settled();
    const described = await events.send(new DescribeReplayCommand({ ReplayName: 'sdk-replay' }));
    expect(described).toMatchObject({ State: 'COMPLETED', EventStartTime: start, EventEndTime: end, EventLastReplayedTime: new Date(Date.UTC(2026, 0, 2, 3, 30)) });
    const [replayed] = await receive(TARGET_QUEUE);
    expect(JSON.parse(replayed.Body!)).toMatchObject({ 'replay-name': 'sdk-replay', detail: { id: 'D3' } });
    expect((await events.send(new ListReplaysCommand({ NamePrefix: 'sdk-' }))).Replays?.map((r) => [r.ReplayName, r.State])).toEqual([['sdk-replay', 'COMPLETED']]);
    await expect(events.send(new CancelReplayCommand({ ReplayName: 'sdk-replay' }))).rejects.toMatchObject({ name: 'IllegalStatusException' });
  });

  it('disables, empties and deletes a rule', async () => {
    await events.send(new DisableRuleCommand({ Name: 'holds', EventBusName: BUS }));
    await expect(events.send(new DeleteRuleCommand({ Name: 'holds', EventBusName: BUS }))).rejects.toMatchObject({ name: 'ValidationException' });
    await events.send(new RemoveTargetsCommand({ Rule: 'holds', EventBusName: BUS, Ids: ['q'] }));
    await events.send(new DeleteRuleCommand({ Name: 'holds', EventBusName: BUS }));
    await expect(events.send(new DescribeRuleCommand({ Name: 'holds', EventBusName: BUS }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
