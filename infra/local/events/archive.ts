import type { Clock } from '../clock.js';
import type { EventEnvelope } from './bus.js';
import { EventBridgeError } from './errors.js';
import { page } from './paging.js';
import { compilePattern, type CompiledPattern } from './pattern.js';
import { toMillis, toSeconds, type Timestamp } from './timestamps.js';

/**
 * Archives and replays of the local EventBridge (AWS user guide "Archiving and replaying events",
 * the CreateArchive … CancelReplay API reference; response shapes and error messages as recorded
 * from AWS in localstack's AWS-validated test_archive_and_replay snapshot):
 * - an archive keeps the events its bus receives (those matching its pattern, if it has one) for
 *   `RetentionDays` (0: for ever), but never a replayed event — on AWS a managed rule with
 *   `{"replay-name": [{"exists": false}]}` feeds the archive;
 * - a replay re-sends the archived events whose `time` lies in [EventStartTime, EventEndTime) to
 *   the rules of the archive's own bus (or only those in `Destination.FilterArns`), each carrying
 *   `replay-name`; it goes STARTING → RUNNING → COMPLETED (or FAILED), and a cancelled one
 *   CANCELLING → CANCELLED.
 */

/** What the archives need from the bus. */
export interface ArchiveHost {
  region: string;
  account: string;
  clock: Pick<Clock, 'now'>;
  /** The name of the bus an event-bus ARN names; ResourceNotFoundException when there is none. */
  busNameFromArn(arn: string | undefined): string;
  /** Routes an event to the enabled rules of a bus (only `onlyRules`, when given). */
  route(busName: string, event: EventEnvelope, ingestedAtMs: number, onlyRules?: Set<string>): Promise<void>;
}

export interface ReplayDestination {
  Arn: string;
  FilterArns?: string[];
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface ReplayDescription {
  ReplayName: string;
  ReplayArn: string;
  Description?: string;
  State: ReplayState;
  StateReason?: string;
  EventSourceArn: string;
  Destination: ReplayDestination;
  EventStartTime: number;
  EventEndTime: number;
  EventLastReplayedTime?: number;
  ReplayStartTime: number;
  ReplayEndTime?: number;
}

interface Archive {
  ArchiveName: string;
  ArchiveArn: string;
  EventSourceArn: string;
  busName: string;
  Description?: string;
  EventPattern?: string;
  matches?: CompiledPattern;
  RetentionDays: number;
  CreationTime: number;
  events: { event: EventEnvelope; ingestedAtMs: number }[];
}

const NAME = /^[.\-_A-Za-z0-9]{1,48}$/;
const REPLAY_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const DAY_MS = 86_400_000;
/** "You can have a maximum of 10 active concurrent replays per account per Region." */
const MAX_ACTIVE_REPLAYS = 10;
const ACTIVE: ReadonlySet<ReplayState> = new Set(['STARTING', 'RUNNING', 'CANCELLING']);

export class Archives {
  private readonly archives = new Map<string, Archive>();
  private readonly replays = new Map<string, ReplayDescription>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly host: ArchiveHost) {}

  /** Keeps an event the bus received in every archive of that bus that wants it. */
  record(busName: string, event: EventEnvelope, ingestedAtMs: number): void {
    for (const archive of this.archives.values()) {
      if (archive.busName === busName && (archive.matches?.(event) ?? true)) archive.events.push({ event, ingestedAtMs });
    }
  }

  createArchive(request: { ArchiveName: string; EventSourceArn: string; Description?: string; EventPattern?: string; RetentionDays?: number }) {
    if (!request.ArchiveName || !NAME.test(request.ArchiveName)) throw validation(`Parameter ArchiveName is not valid. Reason: ${JSON.stringify(request.ArchiveName)} must match ${NAME.source}.`);
    const busName = this.host.busNameFromArn(request.EventSourceArn);
    if (this.archives.has(request.ArchiveName)) throw new EventBridgeError('ResourceAlreadyExistsException', `Archive ${request.ArchiveName} already exists.`);
    const archive: Archive = {
      ArchiveName: request.ArchiveName,
      ArchiveArn: `arn:aws:events:${this.host.region}:${this.host.account}:archive/${request.ArchiveName}`,
      EventSourceArn: request.EventSourceArn,
      busName,
      Description: request.Description,
      EventPattern: request.EventPattern,
      matches: request.EventPattern === undefined ? undefined : compilePattern(request.EventPattern),
      RetentionDays: retentionDays(request.RetentionDays),
      CreationTime: toSeconds(this.host.clock.now()),
      events: [],
    };
    this.archives.set(archive.ArchiveName, archive);
    return { ArchiveArn: archive.ArchiveArn, State: 'ENABLED' as const, CreationTime: archive.CreationTime };
  }

  describeArchive(request: { ArchiveName: string }) {
    const a = this.existing(request.ArchiveName);
    return {
      ArchiveArn: a.ArchiveArn,
      ArchiveName: a.ArchiveName,
      EventSourceArn: a.EventSourceArn,
      ...(a.Description === undefined ? {} : { Description: a.Description }),
      ...(a.EventPattern === undefined ? {} : { EventPattern: a.EventPattern }),
      State: 'ENABLED' as const,
      RetentionDays: a.RetentionDays,
      ...this.counts(a),
      CreationTime: a.CreationTime,
    };
  }

  listArchives(request: { NamePrefix?: string; EventSourceArn?: string; State?: string; Limit?: number; NextToken?: string } = {}) {
    const busName = request.EventSourceArn === undefined ? undefined : this.host.busNameFromArn(request.EventSourceArn);
    const archives = [...this.archives.values()]
      .filter((a) => a.ArchiveName.startsWith(request.NamePrefix ?? '') && (busName === undefined || a.busName === busName) && (request.State ?? 'ENABLED') === 'ENABLED')
      .sort((a, b) => a.ArchiveName.localeCompare(b.ArchiveName))
      .map((a) => ({ ArchiveName: a.ArchiveName, EventSourceArn: a.EventSourceArn, State: 'ENABLED' as const, RetentionDays: a.RetentionDays, ...this.counts(a), CreationTime: a.CreationTime }));
    const { items, NextToken } = page(archives, request);
    return { Archives: items, ...(NextToken ? { NextToken } : {}) };
  }

  updateArchive(request: { ArchiveName: string; Description?: string; EventPattern?: string; RetentionDays?: number }) {
    const archive = this.existing(request.ArchiveName);
    const matches = request.EventPattern === undefined ? archive.matches : compilePattern(request.EventPattern);
    if (request.EventPattern !== undefined) Object.assign(archive, { EventPattern: request.EventPattern, matches });
    if (request.Description !== undefined) archive.Description = request.Description;
    if (request.RetentionDays !== undefined) archive.RetentionDays = retentionDays(request.RetentionDays);
    return { ArchiveArn: archive.ArchiveArn, State: 'ENABLED' as const, CreationTime: archive.CreationTime };
  }

  deleteArchive(request: { ArchiveName: string }): Record<string, never> {
    this.existing(request.ArchiveName);
    this.archives.delete(request.ArchiveName);
    return {};
  }

  /**
   * Starts re-sending the window's archived events in the background, as on AWS: poll
   * {@link describeReplay} or await {@link settled}.
   */
  startReplay(request: { ReplayName: string; Description?: string; EventSourceArn: string; EventStartTime: Timestamp; EventEndTime: Timestamp; Destination: ReplayDestination }) {
    if (!request.ReplayName || !REPLAY_NAME.test(request.ReplayName)) throw validation(`Parameter ReplayName is not valid. Reason: ${JSON.stringify(request.ReplayName)} must match ${REPLAY_NAME.source}.`);
    if (this.replays.has(request.ReplayName)) throw new EventBridgeError('ResourceAlreadyExistsException', `Replay ${request.ReplayName} already exists.`);
    const archive = [...this.archives.values()].find((a) => a.ArchiveArn === request.EventSourceArn);
    if (!archive) throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveNameIn(request.EventSourceArn)} does not exist.`);
    const destinationBus = this.host.busNameFromArn(request.Destination?.Arn);
    if (destinationBus !== archive.busName) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    const startMs = toMillis(request.EventStartTime);
    const endMs = toMillis(request.EventEndTime);
    if (!(startMs < endMs)) throw validation('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    const active = [...this.replays.values()].filter((r) => ACTIVE.has(r.State)).length;
    if (active >= MAX_ACTIVE_REPLAYS) throw new EventBridgeError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_ACTIVE_REPLAYS} active replays).`);

    const replay: ReplayDescription = {
      ReplayName: request.ReplayName,
      ReplayArn: `arn:aws:events:${this.host.region}:${this.host.account}:replay/${request.ReplayName}`,
      ...(request.Description === undefined ? {} : { Description: request.Description }),
      State: 'STARTING',
      EventSourceArn: request.EventSourceArn,
      Destination: structuredClone(request.Destination),
      EventStartTime: toSeconds(startMs),
      EventEndTime: toSeconds(endMs),
      ReplayStartTime: toSeconds(this.host.clock.now()),
    };
    this.replays.set(replay.ReplayName, replay);
    const window = this.retained(archive)
      .filter(({ event }) => {
        const t = Date.parse(event.time);
        return t >= startMs && t < endMs;
      })
      .sort((a, b) => Date.parse(a.event.time) - Date.parse(b.event.time));
    const run = this.run(replay, window, destinationBus).finally(() => this.running.delete(run));
    this.running.add(run);
    return { ReplayArn: replay.ReplayArn, State: replay.State, ReplayStartTime: replay.ReplayStartTime };
  }

  describeReplay(request: { ReplayName: string }): ReplayDescription {
    return structuredClone(this.existingReplay(request.ReplayName));
  }

  listReplays(request: { NamePrefix?: string; State?: ReplayState; EventSourceArn?: string; Limit?: number; NextToken?: string } = {}) {
    const replays = [...this.replays.values()]
      .filter((r) => r.ReplayName.startsWith(request.NamePrefix ?? '') && (request.State === undefined || r.State === request.State) && (request.EventSourceArn === undefined || r.EventSourceArn === request.EventSourceArn))
      .sort((a, b) => a.ReplayName.localeCompare(b.ReplayName))
      .map(({ ReplayArn: _arn, Description: _d, Destination: _dest, StateReason: _reason, ...summary }) => summary);
    const { items, NextToken } = page(replays, request);
    return { Replays: items, ...(NextToken ? { NextToken } : {}) };
  }

  cancelReplay(request: { ReplayName: string }): { ReplayArn: string; State: ReplayState } {
    const replay = this.existingReplay(request.ReplayName);
    if (replay.State !== 'STARTING' && replay.State !== 'RUNNING') {
      throw new EventBridgeError('IllegalStatusException', `Replay ${replay.ReplayName} is ${replay.State} and can't be cancelled.`);
    }
    replay.State = 'CANCELLING';
    return { ReplayArn: replay.ReplayArn, State: replay.State };
  }

  /** Resolves when every replay started so far has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async run(replay: ReplayDescription, window: Archive['events'], busName: string): Promise<void> {
    await Promise.resolve(); // start after StartReplay has answered, as on AWS
    const onlyRules = replay.Destination.FilterArns?.length ? new Set(replay.Destination.FilterArns) : undefined;
    try {
      for (const { event, ingestedAtMs } of window) {
        if (replay.State === 'CANCELLING') break;
        replay.State = 'RUNNING';
        await this.host.route(busName, { ...event, 'replay-name': replay.ReplayName }, ingestedAtMs, onlyRules);
        replay.EventLastReplayedTime = toSeconds(Date.parse(event.time));
      }
      replay.State = replay.State === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    } catch (error) {
      replay.State = 'FAILED';
      replay.StateReason = error instanceof Error ? error.message : String(error);
    }
    replay.ReplayEndTime = toSeconds(this.host.clock.now());
  }

  /** The archive's events still within its retention period. */
  private retained(archive: Archive): Archive['events'] {
    if (archive.RetentionDays === 0) return archive.events;
    const since = this.host.clock.now() - archive.RetentionDays * DAY_MS;
    return archive.events.filter((e) => e.ingestedAtMs >= since);
  }

  private counts(archive: Archive): { EventCount: number; SizeBytes: number } {
    const events = this.retained(archive);
    return { EventCount: events.length, SizeBytes: events.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.event)), 0) };
  }

  private existing(name: string): Archive {
    const archive = this.archives.get(name);
    if (!archive) throw new EventBridgeError('ResourceNotFoundException', `Archive ${name} does not exist.`);
    return archive;
  }

  private existingReplay(name: string): ReplayDescription {
    const replay = this.replays.get(name);
    if (!replay) throw new EventBridgeError('ResourceNotFoundException', `Replay ${name} does not exist.`);
    return replay;
  }
}

function retentionDays(days: number | undefined): number {
  if (days === undefined) return 0;
  if (!Number.isInteger(days) || days < 0) throw validation('Parameter RetentionDays is not valid. Reason: RetentionDays must be a non-negative integer.');
  return days;
}

const archiveNameIn = (arn: string | undefined): string => String(arn ?? '').split('/').pop() ?? '';

const validation = (message: string) => new EventBridgeError('ValidationException', message);
