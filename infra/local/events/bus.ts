import { randomUUID } from 'node:crypto';
import type { Clock as RuntimeClock } from '../clock.js';
import { dispatchEventBridgeCall } from './api.js';
import { deliverWithRetry, type DeadLetterConfig, type Deliver, type DeliveryOutcome, type RetryPolicy } from './delivery.js';
import { EventBridgeError } from './errors.js';
import { compilePattern, type CompiledPattern } from './pattern.js';
import { renderTargetInput, validateTargetInput, type InputTransformer } from './target-input.js';

/**
 * The local EventBridge: event buses, rules, targets, archives and replays, with the request and
 * response shapes of the EventBridge JSON API (so {@link LocalEventBus.handle} can serve
 * `@aws-sdk/client-eventbridge` unchanged). Timestamps are epoch seconds, as on the wire.
 *
 * Locally, `putEvents` resolves once every matched target has been delivered to (or retried
 * and dead-lettered): deterministic for tests, where AWS would deliver asynchronously.
 */

/** The bus only reads the time (epoch ms); any runtime clock, virtual or system, will do. */
export type Clock = Pick<RuntimeClock, 'now'>;

export interface LocalEventBusOptions {
  clock: Clock;
  deliver: Deliver;
  region?: string;
  account?: string;
  /** Event id generator (default: random UUIDs). */
  newId?: () => string;
  /** Called after each target delivery ends (delivered, dead-lettered or dropped). */
  onDelivery?: (report: { ruleArn: string; targetId: string; payload: unknown; outcome: DeliveryOutcome }) => void;
}

/** Epoch seconds (the JSON protocol's timestamp form) or a Date. */
export type Timestamp = number | Date;

export interface PutEventsRequestEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  Resources?: string[];
  EventBusName?: string;
  Time?: Timestamp;
  TraceHeader?: string;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface Target {
  Id: string;
  Arn: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
  RetryPolicy?: RetryPolicy;
  DeadLetterConfig?: DeadLetterConfig;
}

export interface RuleDescription {
  Name: string;
  Arn: string;
  EventPattern: string;
  State: 'ENABLED' | 'DISABLED';
  Description?: string;
  EventBusName: string;
}

export interface ReplayDestination {
  Arn: string;
  FilterArns?: string[];
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'COMPLETED' | 'FAILED';

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

/** A full event as EventBridge delivers it. */
export type EventEnvelope = Record<string, unknown> & {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
};

interface Rule extends RuleDescription {
  matches: CompiledPattern;
  targets: Map<string, Target>;
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

const DEFAULT_BUS = 'default';
const MAX_ENTRIES = 10;
const MAX_TARGETS_PER_RULE = 5;

const toSeconds = (ms: number): number => ms / 1000;
const toMillis = (t: Timestamp): number => (t instanceof Date ? t.getTime() : t * 1000);
/** EventBridge event times have second precision: `2017-10-02T16:24:49Z`. */
const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/**
 * What the bus did since it started, in the units AWS bills: custom events are billed per
 * 64 KB chunk of each entry put (replays and deliveries to targets in the same account are not).
 */
export interface EventBusMetrics {
  putEventsRequests: number;
  eventsPublished: number;
  billedEventChunks: number;
  /** Target deliveries of matched events (each SQS target then bills a SendMessage). */
  deliveries: number;
}

const CHUNK_BYTES = 64 * 1024;

/** An in-process EventBridge (DESIGN.md §3): same pattern semantics and API shapes as AWS. */
export class LocalEventBus {
  readonly region: string;
  readonly account: string;
  private readonly clock: Clock;
  private readonly deliver: Deliver;
  private readonly newId: () => string;
  private readonly onDelivery?: LocalEventBusOptions['onDelivery'];
  private readonly buses = new Set<string>([DEFAULT_BUS]);
  private readonly rules = new Map<string, Rule>();
  private readonly archives = new Map<string, Archive>();
  private readonly replays = new Map<string, ReplayDescription>();
  private readonly pendingReplays = new Set<Promise<void>>();
  readonly metrics: EventBusMetrics = { putEventsRequests: 0, eventsPublished: 0, billedEventChunks: 0, deliveries: 0 };

  constructor(options: LocalEventBusOptions) {
    this.clock = options.clock;
    this.deliver = options.deliver;
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '000000000000';
    this.newId = options.newId ?? randomUUID;
    this.onDelivery = options.onDelivery;
  }

  /** Serves one `X-Amz-Target` call (e.g. `AWSEvents.PutEvents`) with a JSON API body. */
  handle(target: string, body: any): Promise<any> {
    return dispatchEventBridgeCall(this, target, body ?? {});
  }

  busArn(name: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${name}`;
  }

  ruleArn(busName: string, ruleName: string): string {
    return `arn:aws:events:${this.region}:${this.account}:rule/${busName === DEFAULT_BUS ? '' : `${busName}/`}${ruleName}`;
  }

  hasEventBus(name: string): boolean {
    return this.buses.has(name);
  }

  createEventBus({ Name }: { Name: string }): { EventBusArn: string } {
    if (!Name || Name.includes('/')) throw validation(`invalid event bus name ${JSON.stringify(Name)}`);
    if (this.buses.has(Name)) throw new EventBridgeError('ResourceAlreadyExistsException', `Event bus ${Name} already exists.`);
    this.buses.add(Name);
    return { EventBusArn: this.busArn(Name) };
  }

  putRule(request: { Name: string; EventBusName?: string; EventPattern?: string; State?: 'ENABLED' | 'DISABLED'; Description?: string; ScheduleExpression?: string }): { RuleArn: string } {
    const busName = this.existingBus(request.EventBusName);
    if (!request.Name || !/^[.\-_A-Za-z0-9]{1,64}$/.test(request.Name)) throw validation(`invalid rule name ${JSON.stringify(request.Name)}`);
    if (request.ScheduleExpression !== undefined) throw validation('ScheduleExpression is not supported by the local event bus');
    if (request.EventPattern === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const matches = compilePattern(request.EventPattern);
    const key = ruleKey(busName, request.Name);
    const existing = this.rules.get(key);
    const rule: Rule = {
      Name: request.Name,
      Arn: this.ruleArn(busName, request.Name),
      EventPattern: request.EventPattern,
      State: request.State ?? 'ENABLED',
      Description: request.Description,
      EventBusName: busName,
      matches,
      targets: existing?.targets ?? new Map(),
    };
    this.rules.set(key, rule);
    return { RuleArn: rule.Arn };
  }

  describeRule(request: { Name: string; EventBusName?: string }): RuleDescription {
    return describe(this.existingRule(request.Name, request.EventBusName));
  }

  listRules(request: { EventBusName?: string; NamePrefix?: string } = {}): { Rules: RuleDescription[] } {
    const busName = this.existingBus(request.EventBusName);
    const rules = [...this.rules.values()]
      .filter((r) => r.EventBusName === busName && r.Name.startsWith(request.NamePrefix ?? ''))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    return { Rules: rules.map(describe) };
  }

  putTargets(request: { Rule: string; EventBusName?: string; Targets: Target[] }): { FailedEntryCount: number; FailedEntries: unknown[] } {
    const rule = this.existingRule(request.Rule, request.EventBusName);
    if (!Array.isArray(request.Targets) || request.Targets.length === 0) throw validation('Targets must contain at least one target');
    for (const target of request.Targets) {
      if (!target.Id || !target.Arn) throw validation('each target needs an Id and an Arn');
      validateTargetInput(target, target.Id);
    }
    const newIds = new Set([...rule.targets.keys(), ...request.Targets.map((t) => t.Id)]);
    if (newIds.size > MAX_TARGETS_PER_RULE) throw new EventBridgeError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    for (const target of request.Targets) rule.targets.set(target.Id, structuredClone(target));
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(request: { Rule: string; EventBusName?: string }): { Targets: Target[] } {
    return { Targets: [...this.existingRule(request.Rule, request.EventBusName).targets.values()].map((t) => structuredClone(t)) };
  }

  /** Checks an event against a pattern, as TestEventPattern does (both given as JSON text). */
  testEventPattern(request: { EventPattern: string; Event: string }): { Result: boolean } {
    const matches = compilePattern(request.EventPattern);
    let event: unknown;
    try {
      event = JSON.parse(request.Event);
    } catch {
      throw validation('Parameter Event is not valid: it is not JSON.');
    }
    // TestEventPattern reference: these fields are mandatory in the test event.
    const required = ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type'];
    const missing = required.filter((f) => typeof event !== 'object' || event === null || !(f in event));
    if (missing.length > 0) throw validation(`Parameter Event is not valid: missing ${missing.join(', ')}.`);
    return { Result: matches(event) };
  }

  /** Accepts up to 10 entries; each is archived, then delivered to the targets of every matching rule. */
  async putEvents(request: { Entries: PutEventsRequestEntry[] }): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }> {
    const entries = request.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw validation(`Entries must hold between 1 and ${MAX_ENTRIES} entries.`);
    }
    const results: PutEventsResultEntry[] = [];
    const deliveries: Promise<void>[] = [];
    this.metrics.putEventsRequests += 1;
    for (const entry of entries) {
      const built = this.buildEvent(entry);
      if ('ErrorCode' in built) {
        results.push(built);
        continue;
      }
      this.metrics.eventsPublished += 1;
      this.metrics.billedEventChunks += Math.max(1, Math.ceil(entrySize(entry) / CHUNK_BYTES));
      const ingestedAtMs = this.clock.now();
      this.archive(built.busName, built.event, ingestedAtMs);
      deliveries.push(this.route(built.busName, built.event, ingestedAtMs));
      results.push({ EventId: built.event.id });
    }
    await Promise.all(deliveries);
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  createArchive(request: { ArchiveName: string; EventSourceArn: string; Description?: string; EventPattern?: string; RetentionDays?: number }): { ArchiveArn: string; State: 'ENABLED'; CreationTime: number } {
    if (!request.ArchiveName || !/^[.\-_A-Za-z0-9]{1,48}$/.test(request.ArchiveName)) throw validation(`invalid archive name ${JSON.stringify(request.ArchiveName)}`);
    if (this.archives.has(request.ArchiveName)) throw new EventBridgeError('ResourceAlreadyExistsException', `Archive ${request.ArchiveName} already exists.`);
    const busName = this.busNameFromArn(request.EventSourceArn);
    const archive: Archive = {
      ArchiveName: request.ArchiveName,
      ArchiveArn: `arn:aws:events:${this.region}:${this.account}:archive/${request.ArchiveName}`,
      EventSourceArn: request.EventSourceArn,
      busName,
      Description: request.Description,
      EventPattern: request.EventPattern,
      matches: request.EventPattern === undefined ? undefined : compilePattern(request.EventPattern),
      RetentionDays: request.RetentionDays ?? 0,
      CreationTime: toSeconds(this.clock.now()),
      events: [],
    };
    this.archives.set(archive.ArchiveName, archive);
    return { ArchiveArn: archive.ArchiveArn, State: 'ENABLED', CreationTime: archive.CreationTime };
  }

  describeArchive(request: { ArchiveName: string }): { ArchiveName: string; ArchiveArn: string; EventSourceArn: string; EventPattern?: string; State: 'ENABLED'; RetentionDays: number; EventCount: number; CreationTime: number } {
    const a = this.existingArchive(request.ArchiveName);
    return { ArchiveName: a.ArchiveName, ArchiveArn: a.ArchiveArn, EventSourceArn: a.EventSourceArn, EventPattern: a.EventPattern, State: 'ENABLED', RetentionDays: a.RetentionDays, EventCount: a.events.length, CreationTime: a.CreationTime };
  }

  /**
   * Re-delivers the archived events whose time lies in [EventStartTime, EventEndTime) to the rules
   * of the destination bus (optionally only `FilterArns`). Replayed events carry `replay-name`
   * and are never archived again (AWS "Archiving and replaying events"). Runs in the background,
   * like on AWS: poll {@link describeReplay} or await {@link settled}.
   */
  startReplay(request: { ReplayName: string; Description?: string; EventSourceArn: string; EventStartTime: Timestamp; EventEndTime: Timestamp; Destination: ReplayDestination }): { ReplayArn: string; State: ReplayState; ReplayStartTime: number } {
    if (!request.ReplayName || !/^[.\-_A-Za-z0-9]{1,64}$/.test(request.ReplayName)) throw validation(`invalid replay name ${JSON.stringify(request.ReplayName)}`);
    if (this.replays.has(request.ReplayName)) throw new EventBridgeError('ResourceAlreadyExistsException', `Replay ${request.ReplayName} already exists.`);
    const archive = [...this.archives.values()].find((a) => a.ArchiveArn === request.EventSourceArn);
    if (!archive) throw new EventBridgeError('ResourceNotFoundException', `Archive ${request.EventSourceArn} does not exist.`);
    const startMs = toMillis(request.EventStartTime);
    const endMs = toMillis(request.EventEndTime);
    if (!(startMs < endMs)) throw validation('EventStartTime must be before EventEndTime.');
    const destinationBus = this.busNameFromArn(request.Destination?.Arn);
    if (destinationBus !== archive.busName) throw validation('Destination must be the event bus the archive was created on.');
    const replay: ReplayDescription = {
      ReplayName: request.ReplayName,
      ReplayArn: `arn:aws:events:${this.region}:${this.account}:replay/${request.ReplayName}`,
      Description: request.Description,
      State: 'STARTING',
      EventSourceArn: request.EventSourceArn,
      Destination: structuredClone(request.Destination),
      EventStartTime: toSeconds(startMs),
      EventEndTime: toSeconds(endMs),
      ReplayStartTime: toSeconds(this.clock.now()),
    };
    this.replays.set(replay.ReplayName, replay);
    const window = archive.events.filter(({ event }) => {
      const t = Date.parse(event.time);
      return t >= startMs && t < endMs;
    });
    const run = this.runReplay(replay, window, destinationBus).finally(() => this.pendingReplays.delete(run));
    this.pendingReplays.add(run);
    return { ReplayArn: replay.ReplayArn, State: replay.State, ReplayStartTime: replay.ReplayStartTime };
  }

  describeReplay(request: { ReplayName: string }): ReplayDescription {
    const replay = this.replays.get(request.ReplayName);
    if (!replay) throw new EventBridgeError('ResourceNotFoundException', `Replay ${request.ReplayName} does not exist.`);
    return structuredClone(replay);
  }

  /** Resolves when every replay started so far has finished. */
  async settled(): Promise<void> {
    while (this.pendingReplays.size > 0) await Promise.all([...this.pendingReplays]);
  }

  private async runReplay(replay: ReplayDescription, window: Archive['events'], busName: string): Promise<void> {
    await Promise.resolve(); // start after StartReplay has answered, as on AWS
    replay.State = 'RUNNING';
    const onlyRules = replay.Destination.FilterArns?.length ? new Set(replay.Destination.FilterArns) : undefined;
    try {
      for (const { event, ingestedAtMs } of window) {
        await this.route(busName, { ...event, 'replay-name': replay.ReplayName }, ingestedAtMs, onlyRules);
        replay.EventLastReplayedTime = toSeconds(Date.parse(event.time));
      }
      replay.State = 'COMPLETED';
    } catch (error) {
      replay.State = 'FAILED';
      replay.StateReason = error instanceof Error ? error.message : String(error);
    }
    replay.ReplayEndTime = toSeconds(this.clock.now());
  }

  private buildEvent(entry: PutEventsRequestEntry): { busName: string; event: EventEnvelope } | { ErrorCode: string; ErrorMessage: string } {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      if (typeof entry[field] !== 'string' || entry[field] === '') {
        return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail!);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const busName = entry.EventBusName === undefined ? DEFAULT_BUS : this.busNameOf(entry.EventBusName);
    if (!this.buses.has(busName)) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    const event: EventEnvelope = {
      version: '0',
      id: this.newId(),
      'detail-type': entry.DetailType!,
      source: entry.Source!,
      account: this.account,
      time: isoSeconds(entry.Time === undefined ? this.clock.now() : toMillis(entry.Time)),
      region: this.region,
      resources: [...(entry.Resources ?? [])],
      detail,
    };
    return { busName, event };
  }

  private archive(busName: string, event: EventEnvelope, ingestedAtMs: number): void {
    for (const archive of this.archives.values()) {
      if (archive.busName === busName && (archive.matches?.(event) ?? true)) archive.events.push({ event, ingestedAtMs });
    }
  }

  private async route(busName: string, event: EventEnvelope, ingestedAtMs: number, onlyRules?: Set<string>): Promise<void> {
    const deliveries: Promise<void>[] = [];
    for (const rule of this.rules.values()) {
      if (rule.EventBusName !== busName || rule.State !== 'ENABLED' || (onlyRules && !onlyRules.has(rule.Arn))) continue;
      if (!rule.matches(event)) continue;
      const context = { ruleArn: rule.Arn, ruleName: rule.Name, ingestionTime: new Date(ingestedAtMs).toISOString() };
      for (const target of rule.targets.values()) {
        this.metrics.deliveries += 1;
        const payload = renderTargetInput(target, event, context);
        deliveries.push(
          deliverWithRetry(this.deliver, target, payload).then((outcome) =>
            this.onDelivery?.({ ruleArn: rule.Arn, targetId: target.Id, payload, outcome }),
          ),
        );
      }
    }
    await Promise.all(deliveries);
  }

  private busNameOf(nameOrArn: string): string {
    const marker = ':event-bus/';
    const at = nameOrArn.indexOf(marker);
    return at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
  }

  private busNameFromArn(arn: string | undefined): string {
    const name = arn?.startsWith('arn:') ? this.busNameOf(arn) : undefined;
    if (!name || !this.buses.has(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${arn} does not exist.`);
    return name;
  }

  private existingBus(nameOrArn: string | undefined): string {
    const name = nameOrArn === undefined ? DEFAULT_BUS : this.busNameOf(nameOrArn);
    if (!this.buses.has(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return name;
  }

  private existingRule(name: string, busNameOrArn: string | undefined): Rule {
    const busName = this.existingBus(busNameOrArn);
    const rule = this.rules.get(ruleKey(busName, name));
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }

  private existingArchive(name: string): Archive {
    const archive = this.archives.get(name);
    if (!archive) throw new EventBridgeError('ResourceNotFoundException', `Archive ${name} does not exist.`);
    return archive;
  }
}

/** The size EventBridge bills a PutEvents entry by: its Source, DetailType, Detail and Resources (UTF-8). */
const entrySize = (entry: PutEventsRequestEntry): number =>
  Buffer.byteLength(entry.Source ?? '') + Buffer.byteLength(entry.DetailType ?? '') + Buffer.byteLength(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, r) => sum + Buffer.byteLength(r), 0);

const ruleKey = (busName: string, ruleName: string): string => `${busName}\u0000${ruleName}`;

const describe = (rule: Rule): RuleDescription => ({
  Name: rule.Name,
  Arn: rule.Arn,
  EventPattern: rule.EventPattern,
  State: rule.State,
  ...(rule.Description === undefined ? {} : { Description: rule.Description }),
  EventBusName: rule.EventBusName,
});

const validation = (message: string) => new EventBridgeError('ValidationException', message);
