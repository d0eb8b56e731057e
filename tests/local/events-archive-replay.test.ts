import { describe, expect, it } from 'vitest';
import { busWithQueues } from './events-fixture.js';

/**
 * Archive and replay, per the AWS user guide "Archiving and replaying events in Amazon
 * EventBridge" and the StartReplay / DescribeReplay API reference: a replay re-sends the archived
 * events of a time window to the archive's bus, each carrying a `replay-name` field, and replayed
 * events are not archived again.
 */

const T0 = Date.UTC(2026, 2, 1, 8, 0, 0);
const seconds = (ms: number) => ms / 1000;

async function archivedBus() {
  const env = busWithQueues({ startMs: T0 });
  const { bus, queues, clock } = env;
  bus.createEventBus({ Name: 'clearway' });
  queues.create('holds');
  bus.putRule({ Name: 'holds', EventBusName: 'clearway', EventPattern: '{"detail-type":["DeclarationHeld"]}' });
  bus.putTargets({ Rule: 'holds', EventBusName: 'clearway', Targets: [{ Id: 'q', Arn: queues.arn('holds') }] });
  const { ArchiveArn } = bus.createArchive({ ArchiveName: 'all-clearway', EventSourceArn: bus.busArn('clearway') });

  for (const [minute, id] of [[0, 'D1'], [10, 'D2'], [20, 'D3']] as const) {
    clock.ms = T0 + minute * 60_000;
    await bus.putEvents({ Entries: [{ EventBusName: 'clearway', Source: 'clearway.declarations', DetailType: 'DeclarationHeld', Detail: JSON.stringify({ id }) }] });
  }
  queues.receive('holds'); // drain the live deliveries
  return { ...env, ArchiveArn };
}

describe('archive and replay', () => {
  it('archives every event put on the bus', async () => {
    const { bus } = await archivedBus();
    expect(bus.describeArchive({ ArchiveName: 'all-clearway' }).EventCount).toBe(3);
  });

  it('re-delivers the events of the window with replay-name, and does not re-archive them', async () => {
    const { bus, queues, clock, ArchiveArn } = await archivedBus();
    clock.ms = T0 + 60 * 60_000;

    const started = bus.startReplay({
      ReplayName: 'first-two',
      EventSourceArn: ArchiveArn,
      EventStartTime: seconds(T0),
      EventEndTime: seconds(T0 + 15 * 60_000),
      Destination: { Arn: bus.busArn('clearway') },
    });
    expect(started.State).toBe('STARTING');
    await bus.settled();

    const replayed = queues.receive('holds').map((m) => m.body as Record<string, unknown>);
    expect(replayed.map((e) => e.detail)).toEqual([{ id: 'D1' }, { id: 'D2' }]);
    expect(replayed.every((e) => e['replay-name'] === 'first-two')).toBe(true);
    expect(bus.describeArchive({ ArchiveName: 'all-clearway' }).EventCount).toBe(3);
    expect(bus.describeReplay({ ReplayName: 'first-two' })).toMatchObject({
      State: 'COMPLETED',
      EventSourceArn: ArchiveArn,
      EventStartTime: seconds(T0),
      EventEndTime: seconds(T0 + 15 * 60_000),
      EventLastReplayedTime: seconds(T0 + 10 * 60_000),
      ReplayStartTime: seconds(T0 + 60 * 60_000),
    });
  });

  it('lets a rule exclude replayed events with {"replay-name": [{"exists": false}]}', async () => {
    const { bus, queues, ArchiveArn } = await archivedBus();
    queues.create('live-only');
    bus.putRule({ Name: 'live', EventBusName: 'clearway', EventPattern: '{"source":["clearway.declarations"],"replay-name":[{"exists":false}]}' });
    bus.putTargets({ Rule: 'live', EventBusName: 'clearway', Targets: [{ Id: 'q', Arn: queues.arn('live-only') }] });

    bus.startReplay({ ReplayName: 'all', EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 3_600_000), Destination: { Arn: bus.busArn('clearway') } });
    await bus.settled();

    expect(queues.size('holds')).toBe(3);
    expect(queues.size('live-only')).toBe(0);
  });

  it('limits a replay to the rules listed in Destination.FilterArns', async () => {
    const { bus, queues, ArchiveArn } = await archivedBus();
    queues.create('other');
    const { RuleArn } = bus.putRule({ Name: 'other', EventBusName: 'clearway', EventPattern: '{"source":["clearway.declarations"]}' });
    bus.putTargets({ Rule: 'other', EventBusName: 'clearway', Targets: [{ Id: 'q', Arn: queues.arn('other') }] });

    bus.startReplay({ ReplayName: 'only-other', EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 3_600_000), Destination: { Arn: bus.busArn('clearway'), FilterArns: [RuleArn] } });
    await bus.settled();

    expect([queues.size('other'), queues.size('holds')]).toEqual([3, 0]);
  });

  // Error types and messages as recorded from AWS (localstack's AWS-validated test_archive_and_replay snapshot).
  it('refuses an unknown archive, a reused replay name, an empty window and another bus as destination', async () => {
    const { bus, ArchiveArn } = await archivedBus();
    const base = { EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 1000), Destination: { Arn: bus.busArn('clearway') } };
    expect(() => bus.startReplay({ ...base, ReplayName: 'x', EventSourceArn: ArchiveArn + '-nope' })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Parameter EventSourceArn is not valid. Reason: Archive all-clearway-nope does not exist.' }),
    );
    bus.startReplay({ ...base, ReplayName: 'once' });
    expect(() => bus.startReplay({ ...base, ReplayName: 'once' })).toThrow(expect.objectContaining({ __type: 'ResourceAlreadyExistsException', message: 'Replay once already exists.' }));
    expect(() => bus.startReplay({ ...base, ReplayName: 'y', EventEndTime: seconds(T0) })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.' }),
    );
    expect(() => bus.startReplay({ ...base, ReplayName: 'z', Destination: { Arn: bus.busArn('default') } })).toThrow(
      expect.objectContaining({ __type: 'ValidationException', message: 'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.' }),
    );
    expect(() => bus.startReplay({ ...base, ReplayName: 'w', Destination: { Arn: bus.busArn('nope') } })).toThrow(
      expect.objectContaining({ __type: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' }),
    );
    await bus.settled();
  });
});

/**
 * The archive and replay API around the replay itself. Response shapes and messages as recorded
 * from AWS in localstack's AWS-validated test_archive_and_replay snapshot; retention and the
 * replay states from the CreateArchive / Replay API reference.
 */
describe('archives and replays: describe, list, update, cancel', () => {
  it('describes and lists archives with their event count and size, filtered by name prefix and source bus', async () => {
    const { bus } = await archivedBus();
    bus.createArchive({ ArchiveName: 'other', EventSourceArn: bus.busArn('default') });
    const described = bus.describeArchive({ ArchiveName: 'all-clearway' });
    expect(described).toMatchObject({ ArchiveName: 'all-clearway', State: 'ENABLED', RetentionDays: 0, EventCount: 3 });
    expect(described.SizeBytes).toBeGreaterThan(0);
    expect(bus.listArchives({ NamePrefix: 'all' }).Archives.map((a) => a.ArchiveName)).toEqual(['all-clearway']);
    expect(bus.listArchives({ EventSourceArn: bus.busArn('default') }).Archives.map((a) => a.ArchiveName)).toEqual(['other']);
    expect(() => bus.listArchives({ EventSourceArn: bus.busArn('nope') })).toThrow(expect.objectContaining({ __type: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' }));
  });

  it('archives only the events its pattern matches, and forgets events older than RetentionDays', async () => {
    const env = busWithQueues({ startMs: T0 });
    env.bus.createArchive({ ArchiveName: 'held', EventSourceArn: env.bus.busArn('default'), EventPattern: '{"detail-type":["DeclarationHeld"]}', RetentionDays: 1 });
    await env.bus.putEvents({ Entries: [{ Source: 's', DetailType: 'DeclarationHeld', Detail: '{}' }, { Source: 's', DetailType: 'Other', Detail: '{}' }] });
    expect(env.bus.describeArchive({ ArchiveName: 'held' }).EventCount).toBe(1);
    env.clock.ms = T0 + 2 * 86_400_000;
    expect(env.bus.describeArchive({ ArchiveName: 'held' }).EventCount).toBe(0);
  });

  it('updates and deletes an archive; an unknown one is not found', async () => {
    const { bus } = await archivedBus();
    bus.updateArchive({ ArchiveName: 'all-clearway', Description: 'everything', RetentionDays: 30 });
    expect(bus.describeArchive({ ArchiveName: 'all-clearway' })).toMatchObject({ Description: 'everything', RetentionDays: 30 });
    bus.deleteArchive({ ArchiveName: 'all-clearway' });
    expect(() => bus.describeArchive({ ArchiveName: 'all-clearway' })).toThrow(expect.objectContaining({ __type: 'ResourceNotFoundException', message: 'Archive all-clearway does not exist.' }));
    expect(() => bus.createArchive({ ArchiveName: 'x', EventSourceArn: bus.busArn('nope') })).toThrow(expect.objectContaining({ __type: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' }));
  });

  it('lists replays with the summary fields only, page by page', async () => {
    const { bus, ArchiveArn } = await archivedBus();
    for (const name of ['r-1', 'r-2', 'r-3']) {
      bus.startReplay({ ReplayName: name, EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 3_600_000), Destination: { Arn: bus.busArn('clearway') } });
    }
    await bus.settled();
    const first = bus.listReplays({ NamePrefix: 'r-', Limit: 2 });
    expect(first.Replays.map((r) => r.ReplayName)).toEqual(['r-1', 'r-2']);
    expect(Object.keys(first.Replays[0]).sort()).toEqual(['EventEndTime', 'EventLastReplayedTime', 'EventSourceArn', 'EventStartTime', 'ReplayEndTime', 'ReplayName', 'ReplayStartTime', 'State']);
    const second = bus.listReplays({ NamePrefix: 'r-', Limit: 2, NextToken: first.NextToken });
    expect(second.Replays.map((r) => r.ReplayName)).toEqual(['r-3']);
    expect(second.NextToken).toBeUndefined();
  });

  it('cancels a replay that has not finished: CANCELLING, then CANCELLED without delivering', async () => {
    const { bus, queues, ArchiveArn } = await archivedBus();
    bus.startReplay({ ReplayName: 'stop-me', EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 3_600_000), Destination: { Arn: bus.busArn('clearway') } });
    expect(bus.cancelReplay({ ReplayName: 'stop-me' })).toEqual({ ReplayArn: 'arn:aws:events:eu-west-1:123456789012:replay/stop-me', State: 'CANCELLING' });
    expect(bus.describeReplay({ ReplayName: 'stop-me' }).State).toBe('CANCELLING');
    await bus.settled();
    expect(bus.describeReplay({ ReplayName: 'stop-me' }).State).toBe('CANCELLED');
    expect(queues.size('holds')).toBe(0);
    expect(() => bus.cancelReplay({ ReplayName: 'stop-me' })).toThrow(expect.objectContaining({ __type: 'IllegalStatusException' }));
  });
});
