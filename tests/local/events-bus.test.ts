import { describe, expect, it } from 'vitest';
import { appModel, SOURCE } from '../../infra/app-model.js';
import { installAppRules } from '../../infra/local/events/index.js';
import { busWithQueues } from './events-fixture.js';

/**
 * Routing behaviour of the local bus. Envelope fields and error codes come from the
 * EventBridge API reference (PutEvents, PutRule, PutTargets, TestEventPattern) and the user
 * guide page "Amazon EventBridge events" (event structure).
 */
describe('LocalEventBus routing', () => {
  it('builds the full event envelope from a PutEvents entry (version "0", id, detail-type, source, account, time, region, resources, detail)', async () => {
    const { bus, queues } = busWithQueues({ startMs: Date.UTC(2026, 0, 15, 9, 30, 0, 750) });
    queues.create('all');
    bus.putRule({ Name: 'all', EventPattern: JSON.stringify({ source: [{ prefix: '' }] }) });
    bus.putTargets({ Rule: 'all', Targets: [{ Id: 'q', Arn: queues.arn('all') }] });

    const result = await bus.putEvents({
      Entries: [{ Source: 'clearway.test', DetailType: 'Thing Happened', Detail: '{"n": 1}', Resources: ['arn:x'] }],
    });

    expect(result).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: 'evt-1' }] });
    expect(queues.receive('all').map((m) => m.body)).toEqual([
      {
        version: '0',
        id: 'evt-1',
        'detail-type': 'Thing Happened',
        source: 'clearway.test',
        account: '123456789012',
        time: '2026-01-15T09:30:00Z', // event times have second precision (AWS event structure)
        region: 'eu-west-1',
        resources: ['arn:x'],
        detail: { n: 1 },
      },
    ]);
  });

  it('uses the entry Time (epoch seconds on the wire) when given', async () => {
    const { bus, queues } = busWithQueues();
    queues.create('all');
    bus.putRule({ Name: 'all', EventPattern: '{"source":["s"]}' });
    bus.putTargets({ Rule: 'all', Targets: [{ Id: 'q', Arn: queues.arn('all') }] });
    await bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}', Time: Date.UTC(2020, 1, 29, 12, 0, 0) / 1000 }] });
    expect((queues.receive('all')[0].body as { time: string }).time).toBe('2020-02-29T12:00:00Z');
  });

  it('delivers only to enabled rules on the event bus the entry names', async () => {
    const { bus, queues } = busWithQueues();
    bus.createEventBus({ Name: 'clearway' });
    for (const q of ['onDefault', 'onClearway', 'disabled']) queues.create(q);
    const pattern = JSON.stringify({ source: ['s'] });
    bus.putRule({ Name: 'r1', EventPattern: pattern });
    bus.putRule({ Name: 'r2', EventBusName: 'clearway', EventPattern: pattern });
    bus.putRule({ Name: 'r3', EventBusName: 'clearway', EventPattern: pattern, State: 'DISABLED' });
    bus.putTargets({ Rule: 'r1', Targets: [{ Id: 't', Arn: queues.arn('onDefault') }] });
    bus.putTargets({ Rule: 'r2', EventBusName: 'clearway', Targets: [{ Id: 't', Arn: queues.arn('onClearway') }] });
    bus.putTargets({ Rule: 'r3', EventBusName: 'clearway', Targets: [{ Id: 't', Arn: queues.arn('disabled') }] });

    await bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}', EventBusName: bus.busArn('clearway') }] });

    expect([queues.size('onDefault'), queues.size('onClearway'), queues.size('disabled')]).toEqual([0, 1, 0]);
  });

  it('reports malformed entries per entry without failing the others (ErrorCode InvalidArgument / MalformedDetail)', async () => {
    const { bus } = busWithQueues();
    const result = await bus.putEvents({
      Entries: [
        { Source: 's', DetailType: 'd', Detail: '{}' },
        { DetailType: 'd', Detail: '{}' },
        { Source: 's', DetailType: 'd', Detail: '{not json' },
      ],
    });
    expect(result.FailedEntryCount).toBe(2);
    expect(result.Entries[0]).toEqual({ EventId: 'evt-1' });
    expect(result.Entries[1]).toMatchObject({ ErrorCode: 'InvalidArgument' });
    expect(result.Entries[2]).toMatchObject({ ErrorCode: 'MalformedDetail' });
  });

  it('rejects more than 10 entries in one PutEvents call (ValidationException)', async () => {
    const { bus } = busWithQueues();
    const entries = Array.from({ length: 11 }, () => ({ Source: 's', DetailType: 'd', Detail: '{}' }));
    await expect(bus.putEvents({ Entries: entries })).rejects.toMatchObject({ __type: 'ValidationException' });
  });

  // User guide "Calculating PutEvents event entry size"; message as AWS answers a request over 1 MiB.
  it('rejects a request whose entries add up to more than 1 MiB', async () => {
    const { bus } = busWithQueues();
    const detail = JSON.stringify({ pad: 'x'.repeat(1_048_576 - 'ab'.length - '{"pad":""}'.length) });
    await expect(bus.putEvents({ Entries: [{ Source: 'a', DetailType: 'b', Detail: detail }] })).resolves.toMatchObject({ FailedEntryCount: 0 });
    await expect(bus.putEvents({ Entries: [{ Source: 'a', DetailType: 'b', Detail: detail, Time: 0 }] })).rejects.toMatchObject({
      __type: 'ValidationException',
      message: 'Total size of the entries in the request is over the limit.',
    });
  });

  it('rejects an invalid pattern at PutRule with InvalidEventPatternException', () => {
    const { bus } = busWithQueues();
    expect(() => bus.putRule({ Name: 'bad', EventPattern: '{"source": "not-an-array"}' })).toThrow(
      expect.objectContaining({ name: 'InvalidEventPatternException', __type: 'InvalidEventPatternException' }),
    );
  });

  it('refuses targets for a rule that does not exist (ResourceNotFoundException)', () => {
    const { bus } = busWithQueues();
    expect(() => bus.putTargets({ Rule: 'nope', Targets: [{ Id: 't', Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' }] })).toThrow(
      expect.objectContaining({ __type: 'ResourceNotFoundException' }),
    );
  });

  it('lists the rules of a bus with their patterns and ARNs', () => {
    const { bus } = busWithQueues();
    bus.createEventBus({ Name: 'clearway' });
    bus.putRule({ Name: 'b', EventBusName: 'clearway', EventPattern: '{"source":["x"]}' });
    bus.putRule({ Name: 'a', EventBusName: 'clearway', EventPattern: '{"source":["y"]}', State: 'DISABLED' });
    expect(bus.listRules({ EventBusName: 'clearway' }).Rules).toEqual([
      { Name: 'a', Arn: 'arn:aws:events:eu-west-1:123456789012:rule/clearway/a', EventPattern: '{"source":["y"]}', State: 'DISABLED', EventBusName: 'clearway' },
      { Name: 'b', Arn: 'arn:aws:events:eu-west-1:123456789012:rule/clearway/b', EventPattern: '{"source":["x"]}', State: 'ENABLED', EventBusName: 'clearway' },
    ]);
    expect(bus.listRules().Rules).toEqual([]);
  });

  // "Parameter Event is not valid." as recorded from AWS (localstack's test_events_patterns snapshot).
  it('answers TestEventPattern and insists on the mandatory event fields', () => {
    const { bus } = busWithQueues();
    const event = { id: '1', account: '1', source: 'aws.ec2', time: '2017-10-02T16:24:49Z', region: 'us-east-1', resources: [], 'detail-type': 'x', detail: { state: 'running' } };
    expect(bus.testEventPattern({ EventPattern: '{"detail":{"state":["running"]}}', Event: JSON.stringify(event) })).toEqual({ Result: true });
    expect(bus.testEventPattern({ EventPattern: '{"detail":{"state":["stopped"]}}', Event: JSON.stringify(event) })).toEqual({ Result: false });
    expect(() => bus.testEventPattern({ EventPattern: '{"source":["aws.ec2"]}', Event: '{"source":"aws.ec2"}' })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Parameter Event is not valid.' }),
    );
    expect(() => bus.testEventPattern({ EventPattern: '{"source":["aws.ec2"]}', Event: 'plain string' })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Parameter Event is not valid.' }),
    );
  });
});

/**
 * Rule and target management. DeleteRule's answers (an unknown rule is a silent success; a rule
 * with targets is refused with "Rule can't be deleted since it has targets.") are AWS's as
 * verified by moto's and localstack's AWS-recorded tests; the rest from the API reference.
 */
describe('LocalEventBus rule and target management', () => {
  function withRule() {
    const env = busWithQueues();
    env.queues.create('q');
    env.bus.putRule({ Name: 'r', EventPattern: '{"source":["s"]}' });
    env.bus.putTargets({ Rule: 'r', Targets: [{ Id: 't', Arn: env.queues.arn('q') }] });
    return env;
  }
  const put = (bus: ReturnType<typeof busWithQueues>['bus']) => bus.putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });

  it('deletes a rule only once its targets are removed; deleting an unknown rule succeeds', () => {
    const { bus, queues } = withRule();
    expect(() => bus.deleteRule({ Name: 'r' })).toThrow(expect.objectContaining({ __type: 'ValidationException', message: "Rule can't be deleted since it has targets." }));
    expect(bus.removeTargets({ Rule: 'r', Ids: ['t'] })).toEqual({ FailedEntryCount: 0, FailedEntries: [] });
    expect(bus.listTargetsByRule({ Rule: 'r' }).Targets).toEqual([]);
    bus.deleteRule({ Name: 'r' });
    expect(() => bus.describeRule({ Name: 'r' })).toThrow(expect.objectContaining({ __type: 'ResourceNotFoundException' }));
    expect(bus.deleteRule({ Name: 'never-was' })).toEqual({});
    expect(queues.size('q')).toBe(0);
  });

  it('stops and resumes delivery with DisableRule and EnableRule', async () => {
    const { bus, queues } = withRule();
    bus.disableRule({ Name: 'r' });
    await put(bus);
    expect(bus.describeRule({ Name: 'r' }).State).toBe('DISABLED');
    expect(queues.size('q')).toBe(0);
    bus.enableRule({ Name: 'r' });
    await put(bus);
    expect(queues.size('q')).toBe(1);
  });

  it('finds the rules that target an ARN', () => {
    const { bus, queues } = withRule();
    expect(bus.listRuleNamesByTarget({ TargetArn: queues.arn('q') }).RuleNames).toEqual(['r']);
  });

  it('pages ListRules with Limit and NextToken', () => {
    const { bus } = busWithQueues();
    for (const name of ['a', 'b', 'c']) bus.putRule({ Name: name, EventPattern: '{"source":["s"]}' });
    const first = bus.listRules({ Limit: 2 });
    expect(first.Rules.map((r) => r.Name)).toEqual(['a', 'b']);
    expect(bus.listRules({ Limit: 2, NextToken: first.NextToken }).Rules.map((r) => r.Name)).toEqual(['c']);
  });

  it('refuses more than 10 targets in one PutTargets call and more than 5 targets on a rule', () => {
    const { bus } = withRule();
    const target = (i: number) => ({ Id: `t${i}`, Arn: 'arn:aws:sqs:eu-west-1:123456789012:q' });
    expect(() => bus.putTargets({ Rule: 'r', Targets: Array.from({ length: 11 }, (_, i) => target(i)) })).toThrow(expect.objectContaining({ __type: 'ValidationException' }));
    expect(() => bus.putTargets({ Rule: 'r', Targets: Array.from({ length: 5 }, (_, i) => target(i)) })).toThrow(expect.objectContaining({ __type: 'LimitExceededException' }));
  });

  it('describes and lists event buses', () => {
    const { bus } = busWithQueues();
    bus.createEventBus({ Name: 'clearway' });
    expect(bus.describeEventBus({ Name: 'clearway' })).toEqual({ Name: 'clearway', Arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/clearway' });
    expect(bus.listEventBuses().EventBuses.map((b) => b.Name)).toEqual(['clearway', 'default']);
  });
});

describe('installAppRules', () => {
  it('routes each app-model rule to its exception queue on the app bus', async () => {
    const { bus, queues } = busWithQueues();
    installAppRules(bus, queues, appModel);

    await bus.putEvents({
      Entries: [
        { EventBusName: appModel.eventBus.name, Source: SOURCE, DetailType: 'DeclarationHeld', Detail: '{"declarationId":"D1"}' },
        { EventBusName: appModel.eventBus.name, Source: SOURCE, DetailType: 'DeclarationReleased', Detail: '{"declarationId":"D2"}' },
        { EventBusName: appModel.eventBus.name, Source: 'someone.else', DetailType: 'DeclarationHeld', Detail: '{}' },
      ],
    });

    expect(queues.receive('officerHolds').map((m) => (m.body as { detail: unknown }).detail)).toEqual([{ declarationId: 'D1' }]);
    expect(queues.receive('releases').map((m) => (m.body as { detail: unknown }).detail)).toEqual([{ declarationId: 'D2' }]);
    for (const name of Object.keys(appModel.queues)) expect(queues.size(name)).toBe(0);
    expect(bus.listRules({ EventBusName: appModel.eventBus.name }).Rules.map((r) => r.Name).sort()).toEqual(Object.keys(appModel.rules).sort());
  });
});
