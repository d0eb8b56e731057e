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

  it('refuses an unknown archive, a reused replay name and an empty window', async () => {
    const { bus, ArchiveArn } = await archivedBus();
    const base = { EventSourceArn: ArchiveArn, EventStartTime: seconds(T0), EventEndTime: seconds(T0 + 1000), Destination: { Arn: bus.busArn('clearway') } };
    expect(() => bus.startReplay({ ...base, ReplayName: 'x', EventSourceArn: ArchiveArn + '-nope' })).toThrow(expect.objectContaining({ __type: 'ResourceNotFoundException' }));
    bus.startReplay({ ...base, ReplayName: 'once' });
    expect(() => bus.startReplay({ ...base, ReplayName: 'once' })).toThrow(expect.objectContaining({ __type: 'ResourceAlreadyExistsException' }));
    expect(() => bus.startReplay({ ...base, ReplayName: 'y', EventEndTime: seconds(T0) })).toThrow(expect.objectContaining({ __type: 'ValidationException' }));
    await bus.settled();
  });
});
