import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeReplayCommand,
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeError } from '../../infra/local/events/index.js';
import { busWithQueues } from './events-fixture.js';

/**
 * `@aws-sdk/client-eventbridge`, unchanged, against a minimal awsJson1_1 HTTP front that forwards
 * `X-Amz-Target` and the body to `LocalEventBus.handle` (the shape DESIGN.md §3 asks of the
 * local endpoint). Only 127.0.0.1; dummy credentials.
 */
describe('LocalEventBus.handle behind the AWS JSON protocol', () => {
  const env = busWithQueues();
  let server: Server;
  let client: EventBridgeClient;

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      try {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
        reply(200, await env.bus.handle(String(req.headers['x-amz-target']), body));
      } catch (error) {
        if (error instanceof EventBridgeError) reply(400, error.toJSON());
        else reply(500, { __type: 'InternalException', message: String(error) });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new EventBridgeClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });

  afterAll(async () => {
    client?.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('creates a bus, a rule and a queue target, and routes PutEvents to it', async () => {
    env.queues.create('holds');
    await client.send(new CreateEventBusCommand({ Name: 'clearway' }));
    const rule = await client.send(new PutRuleCommand({ Name: 'holds', EventBusName: 'clearway', EventPattern: JSON.stringify({ 'detail-type': ['DeclarationHeld'] }) }));
    expect(rule.RuleArn).toBe('arn:aws:events:eu-west-1:123456789012:rule/clearway/holds');
    await client.send(new PutTargetsCommand({ Rule: 'holds', EventBusName: 'clearway', Targets: [{ Id: 'q', Arn: env.queues.arn('holds') }] }));

    const put = await client.send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'clearway', Source: 'clearway.declarations', DetailType: 'DeclarationHeld', Detail: '{"id":"D1"}', Time: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) }] }),
    );
    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.[0].EventId).toBeTruthy();
    expect(env.queues.receive('holds').map((m) => m.body)).toMatchObject([{ time: '2026-01-02T03:04:05Z', detail: { id: 'D1' } }]);

    const listed = await client.send(new ListRulesCommand({ EventBusName: 'clearway' }));
    expect(listed.Rules?.map((r) => [r.Name, r.State])).toEqual([['holds', 'ENABLED']]);
  });

  it('answers TestEventPattern', async () => {
    const event = { id: '1', account: '1', source: 'aws.ec2', time: '2017-10-02T16:24:49Z', region: 'us-east-1', resources: [], 'detail-type': 'x', detail: { 'c-count': 5 } };
    const result = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}', Event: JSON.stringify(event) }));
    expect(result.Result).toBe(true);
  });

  it('surfaces an invalid pattern as the SDK InvalidEventPatternException', async () => {
    await expect(client.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":[{"wildcard":"a**"}]}' }))).rejects.toMatchObject({
      name: 'InvalidEventPatternException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('starts a replay with Date timestamps and describes it with Dates back', async () => {
    const { ArchiveArn } = await client.send(new CreateArchiveCommand({ ArchiveName: 'sdk-archive', EventSourceArn: env.bus.busArn('clearway') }));
    const start = new Date(Date.UTC(2026, 0, 1));
    const end = new Date(Date.UTC(2026, 0, 31));
    await client.send(new StartReplayCommand({ ReplayName: 'sdk-replay', EventSourceArn: ArchiveArn, EventStartTime: start, EventEndTime: end, Destination: { Arn: env.bus.busArn('clearway') } }));
    await env.bus.settled();
    const described = await client.send(new DescribeReplayCommand({ ReplayName: 'sdk-replay' }));
    expect(described.State).toBe('COMPLETED');
    expect(described.EventStartTime).toEqual(start);
    expect(described.EventEndTime).toEqual(end);
  });
});
