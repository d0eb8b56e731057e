import { randomUUID } from 'node:crypto';
import type { Clock as RuntimeClock } from '../clock.js';
import { dispatchEventBridgeCall } from './api.js';
import { Archives, type ReplayDescription, type ReplayDestination, type ReplayState } from './archive.js';
import { deliverWithRetry, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, type DeadLetterConfig, type Deliver, type DeliveryOutcome, type RetryPolicy } from './delivery.js';
import { EventBridgeError } from './errors.js';
import { page } from './paging.js';
import { compilePattern, type CompiledPattern } from './pattern.js';
import { renderTargetInput, validateTargetInput, type InputTransformer } from './target-input.js';
import { isoSeconds, toMillis, type Timestamp } from './timestamps.js';

/**
 * The local EventBridge: event buses, rules, targets, archives and replays, with the request and
 * response shapes of the EventBridge JSON API (so {@link LocalEventBus.handle} can serve
 * `@aws-sdk/client-eventbridge` unchanged). Timestamps are epoch seconds, as on the wire.
 *
 * Locally, `putEvents` resolves once every matched target has had its first delivery attempt:
 * deterministic for tests, where AWS would deliver asynchronously. Retries of failed deliveries
 * wait on the clock in the background; {@link LocalEventBus.settled} awaits them.
 */

/** The bus reads the time and waits for retries on the runtime clock (virtual or system). */
export type Clock = Pick<RuntimeClock, 'now' | 'sleep'>;

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

export type { ReplayDescription, ReplayDestination, ReplayState, Timestamp };

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

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleDescription {
  Name: string;
  Arn: string;
  EventPattern: string;
  State: RuleState;
  Description?: string;
  EventBusName: string;
}

/** A full event as EventBridge delivers it (`replay-name` is added when it is replayed). */
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

const DEFAULT_BUS = 'default';
const MAX_ENTRIES = 10;
/** PutEvents accepts up to 1 MiB of entries (the limit was 256 KB before 2025). */
const MAX_REQUEST_BYTES = 1_048_576;
const MAX_TARGETS_PER_RULE = 5;
const MAX_TARGETS_PER_CALL = 10;
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
/** TestEventPattern needs these envelope fields (the API reference also lists `resources`, which AWS does not enforce). */
const TEST_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

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
  private readonly archives: Archives;
  /** Deliveries still retrying in the background. */
  private readonly retrying = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();
  readonly metrics: EventBusMetrics = { putEventsRequests: 0, eventsPublished: 0, billedEventChunks: 0, deliveries: 0 };

  constructor(options: LocalEventBusOptions) {
    this.clock = options.clock;
    this.deliver = options.deliver;
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '000000000000';
    this.newId = options.newId ?? randomUUID;
    this.onDelivery = options.onDelivery;
    this.archives = new Archives({
      region: this.region,
      account: this.account,
      clock: this.clock,
      busNameFromArn: (arn) => this.busNameFromArn(arn),
      route: (busName, event, ingestedAtMs, onlyRules) => this.route(busName, event, ingestedAtMs, onlyRules),
    });
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

  // ---- event buses

  createEventBus({ Name }: { Name: string }): { EventBusArn: string } {
    if (!Name || Name.includes('/') || Name === DEFAULT_BUS) throw validation(`Parameter Name is not valid. Reason: ${JSON.stringify(Name)} is not a valid event bus name.`);
    if (this.buses.has(Name)) throw new EventBridgeError('ResourceAlreadyExistsException', `Event bus ${Name} already exists.`);
    this.buses.add(Name);
    return { EventBusArn: this.busArn(Name) };
  }

  describeEventBus(request: { Name?: string } = {}): { Name: string; Arn: string } {
    const name = this.existingBus(request.Name);
    return { Name: name, Arn: this.busArn(name) };
  }

  listEventBuses(request: { NamePrefix?: string; Limit?: number; NextToken?: string } = {}) {
    const buses = [...this.buses].filter((n) => n.startsWith(request.NamePrefix ?? '')).sort().map((n) => ({ Name: n, Arn: this.busArn(n) }));
    const { items, NextToken } = page(buses, request);
    return { EventBuses: items, ...(NextToken ? { NextToken } : {}) };
  }

  // ---- rules

  putRule(request: { Name: string; EventBusName?: string; EventPattern?: string; State?: RuleState; Description?: string; ScheduleExpression?: string }): { RuleArn: string } {
    const busName = this.existingBus(request.EventBusName);
    if (!request.Name || !NAME.test(request.Name)) throw validation(`Parameter Name is not valid. Reason: ${JSON.stringify(request.Name)} must match ${NAME.source}.`);
    if (request.ScheduleExpression !== undefined) throw validation('ScheduleExpression is not supported by the local event bus');
    if (request.EventPattern === undefined) throw validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    if (request.State !== undefined && request.State !== 'ENABLED' && request.State !== 'DISABLED') throw validation(`Parameter State is not valid. Reason: ${JSON.stringify(request.State)} is not ENABLED or DISABLED.`);
    const matches = compilePattern(request.EventPattern);
    const key = ruleKey(busName, request.Name);
    // PutRule replaces the rule: arguments left out do not keep their old values (PutRule reference).
    const rule: Rule = {
      Name: request.Name,
      Arn: this.ruleArn(busName, request.Name),
      EventPattern: request.EventPattern,
      State: request.State ?? 'ENABLED',
      Description: request.Description,
      EventBusName: busName,
      matches,
      targets: this.rules.get(key)?.targets ?? new Map(),
    };
    this.rules.set(key, rule);
    return { RuleArn: rule.Arn };
  }

  describeRule(request: { Name: string; EventBusName?: string }): RuleDescription {
    return describe(this.existingRule(request.Name, request.EventBusName));
  }

  listRules(request: { EventBusName?: string; NamePrefix?: string; Limit?: number; NextToken?: string } = {}) {
    const busName = this.existingBus(request.EventBusName);
    const rules = [...this.rules.values()]
      .filter((r) => r.EventBusName === busName && r.Name.startsWith(request.NamePrefix ?? ''))
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map(describe);
    const { items, NextToken } = page(rules, request);
    return { Rules: items, ...(NextToken ? { NextToken } : {}) };
  }

  enableRule(request: { Name: string; EventBusName?: string }): Record<string, never> {
    this.existingRule(request.Name, request.EventBusName).State = 'ENABLED';
    return {};
  }

  disableRule(request: { Name: string; EventBusName?: string }): Record<string, never> {
    this.existingRule(request.Name, request.EventBusName).State = 'DISABLED';
    return {};
  }

  /** Deleting a rule that does not exist succeeds; one with targets needs RemoveTargets first (or Force). */
  deleteRule(request: { Name: string; EventBusName?: string; Force?: boolean }): Record<string, never> {
    const key = ruleKey(this.existingBus(request.EventBusName), request.Name);
    const rule = this.rules.get(key);
    if (rule && rule.targets.size > 0 && !request.Force) throw validation("Rule can't be deleted since it has targets.");
    this.rules.delete(key);
    return {};
  }

  listRuleNamesByTarget(request: { TargetArn: string; EventBusName?: string; Limit?: number; NextToken?: string }) {
    const busName = this.existingBus(request.EventBusName);
    const names = [...this.rules.values()]
      .filter((r) => r.EventBusName === busName && [...r.targets.values()].some((t) => t.Arn === request.TargetArn))
      .map((r) => r.Name)
      .sort();
    const { items, NextToken } = page(names, request);
    return { RuleNames: items, ...(NextToken ? { NextToken } : {}) };
  }

  // ---- targets

  putTargets(request: { Rule: string; EventBusName?: string; Targets: Target[] }): { FailedEntryCount: number; FailedEntries: unknown[] } {
    const rule = this.existingRule(request.Rule, request.EventBusName);
    if (!Array.isArray(request.Targets) || request.Targets.length < 1 || request.Targets.length > MAX_TARGETS_PER_CALL) {
      throw validation(`Parameter Targets is not valid. Reason: it must hold 1 to ${MAX_TARGETS_PER_CALL} targets.`);
    }
    for (const target of request.Targets) validateTarget(target);
    const newIds = new Set([...rule.targets.keys(), ...request.Targets.map((t) => t.Id)]);
    if (newIds.size > MAX_TARGETS_PER_RULE) throw new EventBridgeError('LimitExceededException', `The requested resource exceeds the maximum number allowed (${MAX_TARGETS_PER_RULE} targets per rule).`);
    for (const target of request.Targets) rule.targets.set(target.Id, structuredClone(target));
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  removeTargets(request: { Rule: string; EventBusName?: string; Ids: string[] }): { FailedEntryCount: number; FailedEntries: unknown[] } {
    const rule = this.existingRule(request.Rule, request.EventBusName);
    if (!Array.isArray(request.Ids) || request.Ids.length === 0) throw validation('Parameter Ids is not valid. Reason: it must hold at least one target id.');
    for (const id of request.Ids) rule.targets.delete(id);
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(request: { Rule: string; EventBusName?: string; Limit?: number; NextToken?: string }) {
    const targets = [...this.existingRule(request.Rule, request.EventBusName).targets.values()].map((t) => structuredClone(t));
    const { items, NextToken } = page(targets, request);
    return { Targets: items, ...(NextToken ? { NextToken } : {}) };
  }

  // ---- events

  /** Checks an event against a pattern, as TestEventPattern does (both given as JSON text). */
  testEventPattern(request: { EventPattern: string; Event: string }): { Result: boolean } {
    const matches = compilePattern(request.EventPattern);
    let event: unknown;
    try {
      event = JSON.parse(request.Event);
    } catch {
      throw validation('Parameter Event is not valid.');
    }
    const isObject = typeof event === 'object' && event !== null && !Array.isArray(event);
    if (!isObject || TEST_EVENT_FIELDS.some((f) => !(f in (event as object)))) throw validation('Parameter Event is not valid.');
    return { Result: matches(event) };
  }

  /** Accepts up to 10 entries; each is archived, then delivered to the targets of every matching rule. */
  async putEvents(request: { Entries: PutEventsRequestEntry[] }): Promise<{ FailedEntryCount: number; Entries: PutEventsResultEntry[] }> {
    const entries = request.Entries;
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw validation(`Entries must hold between 1 and ${MAX_ENTRIES} entries.`);
    }
    if (entries.reduce((sum, entry) => sum + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
      throw validation('Total size of the entries in the request is over the limit.');
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
      this.archives.record(built.busName, built.event, ingestedAtMs);
      deliveries.push(this.route(built.busName, built.event, ingestedAtMs));
      results.push({ EventId: built.event.id });
    }
    await Promise.all(deliveries);
    return { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results };
  }

  // ---- archives and replays (archive.ts)

  createArchive(request: Parameters<Archives['createArchive']>[0]) {
    return this.archives.createArchive(request);
  }

  describeArchive(request: { ArchiveName: string }) {
    return this.archives.describeArchive(request);
  }

  listArchives(request: Parameters<Archives['listArchives']>[0] = {}) {
    return this.archives.listArchives(request);
  }

  updateArchive(request: Parameters<Archives['updateArchive']>[0]) {
    return this.archives.updateArchive(request);
  }

  deleteArchive(request: { ArchiveName: string }) {
    return this.archives.deleteArchive(request);
  }

  startReplay(request: Parameters<Archives['startReplay']>[0]) {
    return this.archives.startReplay(request);
  }

  describeReplay(request: { ReplayName: string }): ReplayDescription {
    return this.archives.describeReplay(request);
  }

  listReplays(request: Parameters<Archives['listReplays']>[0] = {}) {
    return this.archives.listReplays(request);
  }

  cancelReplay(request: { ReplayName: string }) {
    return this.archives.cancelReplay(request);
  }

  /** Resolves when every replay started so far and every delivery still retrying has ended. */
  async settled(): Promise<void> {
    while (this.retrying.size > 0) await Promise.all([...this.retrying]);
    await this.archives.settled();
    while (this.retrying.size > 0) await Promise.all([...this.retrying]);
  }

  /** Stops waiting retries (their events are dropped): call when the runtime stops. */
  close(): void {
    this.closing.abort(new Error('event bus closed'));
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
    const busName = entry.EventBusName === undefined ? DEFAULT_BUS : busNameOf(entry.EventBusName);
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

  /** Delivers an event to the targets of the matching enabled rules; resolves after each first attempt. */
  private async route(busName: string, event: EventEnvelope, ingestedAtMs: number, onlyRules?: Set<string>): Promise<void> {
    const firstAttempts: Promise<void>[] = [];
    for (const rule of this.rules.values()) {
      if (rule.EventBusName !== busName || rule.State !== 'ENABLED' || (onlyRules && !onlyRules.has(rule.Arn))) continue;
      if (!rule.matches(event)) continue;
      const context = { ruleArn: rule.Arn, ruleName: rule.Name, ingestionTime: new Date(ingestedAtMs).toISOString() };
      for (const target of rule.targets.values()) {
        this.metrics.deliveries += 1;
        const payload = renderTargetInput(target, event, context);
        const delivery = deliverWithRetry(this.deliver, this.clock, { ruleArn: rule.Arn, target, payload, event, ingestedAtMs }, this.closing.signal);
        firstAttempts.push(delivery.firstAttempt);
        const reported = delivery.outcome.then((outcome) => this.onDelivery?.({ ruleArn: rule.Arn, targetId: target.Id, payload, outcome }));
        this.retrying.add(reported);
        void reported.finally(() => this.retrying.delete(reported));
      }
    }
    await Promise.all(firstAttempts);
  }

  private busNameFromArn(arn: string | undefined): string {
    const name = arn?.startsWith('arn:') ? busNameOf(arn) : undefined;
    if (!name || !this.buses.has(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name ?? arn} does not exist.`);
    return name;
  }

  private existingBus(nameOrArn: string | undefined): string {
    const name = nameOrArn === undefined ? DEFAULT_BUS : busNameOf(nameOrArn);
    if (!this.buses.has(name)) throw new EventBridgeError('ResourceNotFoundException', `Event bus ${name} does not exist.`);
    return name;
  }

  private existingRule(name: string, busNameOrArn: string | undefined): Rule {
    const busName = this.existingBus(busNameOrArn);
    const rule = this.rules.get(ruleKey(busName, name));
    if (!rule) throw new EventBridgeError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${busName}.`);
    return rule;
  }
}

/**
 * Checks one target of PutTargets: its id, its input settings, its retry policy (RetryPolicy
 * reference: 0–185 retries, 60–86,400 seconds) and that its dead-letter queue is an SQS queue.
 */
function validateTarget(target: Target): void {
  if (!target.Id || !NAME.test(target.Id) || !target.Arn) throw validation('Parameter Targets is not valid. Reason: each target needs an Id matching [.-_A-Za-z0-9]{1,64} and an Arn.');
  validateTargetInput(target, target.Id);
  const retry = target.RetryPolicy;
  if (retry?.MaximumRetryAttempts !== undefined && !isIntegerIn(retry.MaximumRetryAttempts, 0, 185)) {
    throw validation(`Parameter RetryPolicy.MaximumRetryAttempts of target ${target.Id} is not valid. Reason: it must be an integer from 0 to 185.`);
  }
  if (retry?.MaximumEventAgeInSeconds !== undefined && !isIntegerIn(retry.MaximumEventAgeInSeconds, 60, DEFAULT_MAXIMUM_EVENT_AGE_SECONDS)) {
    throw validation(`Parameter RetryPolicy.MaximumEventAgeInSeconds of target ${target.Id} is not valid. Reason: it must be an integer from 60 to 86400.`);
  }
  const dlq = target.DeadLetterConfig?.Arn;
  if (dlq !== undefined && !/^arn:aws[a-z-]*:sqs:[^:]*:\d*:[^:]+$/.test(dlq)) {
    throw validation(`Parameter DeadLetterConfig.Arn of target ${target.Id} is not valid. Reason: it must be the ARN of an SQS queue.`);
  }
}

/** AWS user guide "Calculating PutEvents event entry size" (the request limit and the 64 KB billing chunks): 14 bytes for a Time, plus the UTF-8 text. */
function entrySize(entry: PutEventsRequestEntry): number {
  const bytes = (text: unknown) => (typeof text === 'string' ? Buffer.byteLength(text) : 0);
  return (entry.Time === undefined ? 0 : 14) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail) + (entry.Resources ?? []).reduce((sum, r) => sum + bytes(r), 0);
}

const isIntegerIn = (n: number, min: number, max: number): boolean => Number.isInteger(n) && n >= min && n <= max;

function busNameOf(nameOrArn: string): string {
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

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
