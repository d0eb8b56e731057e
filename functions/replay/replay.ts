import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROLES, workflows as workflowModels, scopeOf, substituteDefinition, type FunctionName, type Role } from '../../infra/app-model.js';
import { LocalStepFunctions, VirtualClock } from '../../infra/local/asl/index.js';
import type { ReferenceCatalog } from '../adapters/files/reference-catalog.js';
import { MemoryAuditCaseStore } from '../adapters/memory/audit-case-store.js';
import { MemoryDeclarationStore } from '../adapters/memory/declaration-store.js';
import { MemoryRiskStore } from '../adapters/memory/risk-store.js';
import { RecordedSecurityAccounts } from '../adapters/memory/security-accounts.js';
import { withoutAuditWork } from '../domain/audit/events.js';
import { compareHistories, type ReplayComparison } from '../domain/audit/replay-report.js';
import { entrySequenceName, entrySequenceOf } from '../domain/declaration/entry-number.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import type { Declaration } from '../domain/declaration/model.js';
import type { HistoryEvent } from '../domain/history/index.js';
import { awaitsBank, POST_CLEARANCE_PAYMENT } from '../domain/payment/index.js';
import type { ProfileVersion, ScreeningResult } from '../domain/risk/index.js';
import { amountDue, resolveBinding, type TaxBinding, type TaxCatalog } from '../domain/tax/index.js';
import { submittedView } from '../handlers/submit-declaration.js';
import { RECORDED_MESSAGE_TYPE } from '../shared/additional-message-input.js';
import { runInSandbox, type Dependencies } from '../shared/sandbox.js';
import { sandboxContext, sandboxHandlers } from './handlers.js';
import { sandboxCatalog, sandboxProfileVersions, type ReferenceOverrides } from './reference.js';
import { SandboxWorkflows } from './workflows.js';

/** What the live platform knows that a replay reads (never writes): the reference data and stored profile versions. */
export interface LiveReference {
  catalog: ReferenceCatalog;
  profileVersions: ProfileVersion[];
}

export interface ReplayOptions {
  /** What-if: other reference data than the declaration was bound to (see {@link ReferenceOverrides}). */
  overrides?: ReferenceOverrides;
}

/** An outside input the replay fed, assumed, or could not apply. */
export interface ReplayInput {
  type: string;
  occurredAt: string;
  actor: string;
  /** fed from the history, assumed by a what-if (no recorded input fits), or not applicable to where the replay stood. */
  how: 'RECORDED' | 'ASSUMED' | 'NOT_APPLICABLE' | 'REFUSED';
  answer?: unknown;
}

export interface ReplayResult {
  declarationId: string;
  /** The execution of the version current when the replay ended (an amendment starts the next version's). */
  execution: string;
  mode: 'REPLAY' | 'WHAT_IF';
  /** The sandboxed declaration's status when the replay ended. */
  status: string;
  /** What the sandboxed declaration still waited for when the history recorded nothing further. */
  waitingFor?: 'officer' | 'documents' | 'payment';
  comparison: ReplayComparison;
  inputs: ReplayInput[];
  /** Events the sandbox would have put on the bus (none was). */
  eventsNotPublished: number;
  /** The events the sandboxed workflow wrote (for what-if analysis). */
  replayed: HistoryEvent[];
}

type Awaited = 'officer' | 'documents' | 'payment';

/** An outside input as a history records it, and the API request that made it. */
interface RecordedInput {
  /** The API handler that took it. */
  fn: FunctionName;
  path: string;
  /** Who sends it (when the recorded actor does not say). */
  role: Role;
  /** The request body, from the recorded event's data and the caller its actor names. */
  body: (data: any, caller: Caller) => unknown;
  /** The wait it answers; none for what the declarant sends when it chooses (an amendment, a cancellation). */
  awaits?: Awaited;
  contentType?: string;
}

/**
 * The declarant's amendment, applied at once (`DeclarationAmended`) or asked of an officer
 * (`AmendmentRequested`): one request, which the handler routes by where the declaration stands.
 * It goes in with its recorded format, as {@link RECORDED_MESSAGE_TYPE} explains.
 */
const AMENDMENT: RecordedInput = {
  fn: 'amendDeclaration',
  path: 'amendments',
  role: 'declarant',
  contentType: RECORDED_MESSAGE_TYPE,
  body: ({ reasonCode, reason, changes, format }) => ({ reasonCode, reason, changes, format }),
};

/** The declarant's cancellation, applied at once (`DeclarationCancelled`) or asked of an officer (`CancellationRequested`). */
const CANCELLATION: RecordedInput = {
  fn: 'cancelDeclaration',
  path: 'cancellation',
  role: 'declarant',
  contentType: RECORDED_MESSAGE_TYPE,
  body: ({ reasonCode, reason, format }) => ({ reasonCode, reason, format }),
};

/** The bank's payment (or the cashier's): what it answers, the tax notice or the balance owed after release, the handler decides. */
const BANK_PAYMENT: RecordedInput = {
  fn: 'recordPayment',
  path: 'payments',
  body: ({ amount, currency, reference }) => ({ amount, currency, reference }),
  awaits: 'payment',
  role: 'bank',
};

/**
 * The outside inputs of a lifecycle as the history records them, and the API handler that took
 * each: a replay feeds them to the same handler, with the recorded body, request id and time.
 */
const RECORDED_INPUTS: Record<string, RecordedInput> = {
  OfficerDecisionRecorded: { fn: 'recordDecision', path: 'decisions', body: (data) => data, awaits: 'officer', role: 'officer' },
  // The decision on a request made after settlement keeps no name from the body: the officer is
  // the token's subject (the event's actor), and the body's name writes nothing.
  AdditionalMessageDecided: {
    fn: 'recordDecision',
    path: 'decisions',
    body: ({ decision, reason, cause }, caller) => ({ decision, officer: caller.subject, reason, cause }),
    role: 'officer',
  },
  DocumentsSubmitted: { fn: 'submitDocuments', path: 'documents', body: (data) => data, awaits: 'documents', role: 'declarant' },
  PaymentReceived: BANK_PAYMENT,
  // After release: the balance post-clearance work left, paid to the same handler once the workflow ended.
  [POST_CLEARANCE_PAYMENT]: BANK_PAYMENT,
  DeclarationAmended: AMENDMENT,
  AmendmentRequested: AMENDMENT,
  DeclarationCancelled: CANCELLATION,
  CancellationRequested: CANCELLATION,
};

/**
 * What a what-if assumes an officer does with a declaration the recorded run never held: controls
 * it and finds nothing (a held declaration is released on a control's result, a RED one only so).
 */
const ASSUMED_RELEASE = { decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', officer: 'what-if', reason: 'assumed: held only in the what-if, nothing found' };

/** setImmediate turns without any activity after which the sandbox is idle (all its work is in memory). */
const IDLE_TURNS = 3;

let definitionText: string | undefined;

/** The lifecycle ASL with every Lambda ARN replaced by the handler's model name (the sandbox invokes in-process). */
function lifecycleDefinition(): string {
  const model = workflowModels.lifecycle;
  definitionText ??= substituteDefinition(
    readFileSync(join(resolve(process.env.CLEARWAY_WORKFLOWS_DIR ?? '.'), model.file), 'utf8'),
    model,
    (target) => ('functionArn' in target ? target.functionArn : 'eventBusName' in target ? target.eventBusName : target.tableName),
  );
  return definitionText;
}

/**
 * Replays a declaration's lifecycle in a sandbox (issue 7, DESIGN.md §6): the same
 * `workflows/declaration-lifecycle.asl.json` on the local ASL interpreter, the same handler
 * modules in-process, with in-memory adapters — nothing is published and nothing live is
 * written. Every outside input comes from the recorded history: the submission, the officers'
 * decisions, the documents, the bank's payments (fed to the same API handlers with their recorded
 * bodies and times), the clock readings (the virtual clock stands at each recorded step's time
 * when the step runs; deadlines fire as they did), the entry-number counter, the accounts' room;
 * the reference data is pinned to the versions bound at acceptance. Then the histories are
 * compared step by step.
 *
 * A what-if (`options.overrides`) runs the same with other reference data, up to the payment of
 * the version in force (channel, tax and hits are decided by then): it follows the recorded
 * amendments, paying a notice on the way with what its own notice asks; a hold the recorded run
 * never had is released by an assumed officer.
 */
export async function replayDeclaration(recordedHistory: readonly HistoryEvent[], live: LiveReference, options: ReplayOptions = {}): Promise<ReplayResult> {
  const whatIf = options.overrides !== undefined;
  const recorded = withoutAuditWork(recordedHistory);
  const [submitted] = recorded;
  if (submitted?.type !== 'DeclarationSubmitted') throw new Error('A replay needs the history from its DeclarationSubmitted event');
  const id = submitted.declarationId;
  const { declaration, version } = submitted.data as { declaration: Declaration; version: number };
  const accepted = recorded.find((e) => e.type === 'DeclarationAccepted');
  const acceptedData = accepted?.data as { entryNumber: string; completedOn: string; binding: TaxBinding } | undefined;
  const execution = accepted?.correlationId.split('/')[0] ?? `${id}-v${version}`;
  // Each version is bound anew when accepted (an amendment may declare other goods).
  const bindings = recorded
    .filter((e) => e.type === 'DeclarationAccepted' || e.type === 'AmendmentAccepted')
    .flatMap((e) => (e.data as { binding?: TaxBinding }).binding ?? []);

  const clock = new VirtualClock({ start: Date.parse(submitted.occurredAt), autoAdvance: false });
  const produced: HistoryEvent[] = [submitted];
  let activity = 0;
  // The clock stands at the next recorded event's time, so each step runs at the time it ran.
  const advanceClock = () => {
    const next = recorded[produced.length];
    if (next) clock.set(Date.parse(next.occurredAt));
  };
  const store = new MemoryDeclarationStore({
    onAppend: (events) => {
      produced.push(...events);
      activity++;
      advanceClock();
    },
    sequenceReadings: acceptedData
      ? { [entrySequenceName(declaration, Number(acceptedData.completedOn.slice(0, 4)))]: [entrySequenceOf(acceptedData.entryNumber, declaration.jurisdiction)] }
      : {},
  });
  store.seed({ ...submittedView(id, declaration, submitted.occurredAt), version, headSeq: submitted.seq, headHash: submitted.hash }, [submitted]);
  const insufficient = recorded.find((e) => e.type === 'GuaranteeInsufficient')?.data as { available: string } | undefined;
  // A screening sees the profile versions approved by the time it runs — the clock stands at its recorded time.
  const riskStore = new MemoryRiskStore(
    () => sandboxProfileVersions(live.profileVersions, new Date(clock.now()).toISOString(), options.overrides),
    counterReadings(recorded),
  );

  let published = 0;
  const stepFunctions: LocalStepFunctions = new LocalStepFunctions({
    clock,
    random: () => 0,
    integrations: {
      invokeLambda: async (name, payload) => {
        const handler = sandboxHandlers[name as FunctionName];
        if (!handler) throw Object.assign(new Error(`Function not found in the sandbox: ${name}`), { name: 'ResourceNotFoundException' });
        activity++;
        try {
          const result = await handler(structuredClone(payload), sandboxContext(name, `${execution}-${activity}`));
          return result === undefined ? null : JSON.parse(JSON.stringify(result));
        } finally {
          activity++;
        }
      },
      callService: async (service, action, params: any) => {
        activity++;
        if ((service === 'events' || service === 'eventbridge') && action === 'putEvents') {
          published += params.Entries.length;
          return { FailedEntryCount: 0, Entries: params.Entries.map((_: unknown, i: number) => ({ EventId: `sandbox-${published}-${i}` })) };
        }
        throw Object.assign(new Error(`${service}:${action} is not available in a replay sandbox`), { name: 'States.TaskFailed' });
      },
    },
  });
  const { stateMachineArn } = stepFunctions.createStateMachine({ name: 'clearway-lifecycle-replay', definition: lifecycleDefinition() });
  const workflows = new SandboxWorkflows(stepFunctions, stateMachineArn);

  const dependencies: Dependencies = {
    declarationStore: store,
    riskStore,
    securityAccounts: new RecordedSecurityAccounts({ insufficient }),
    eventPublisher: { publish: async () => void published++ },
    lifecycleWorkflows: workflows,
    chainAnchors: {
      anchor: async () => undefined,
      latest: async () => undefined,
    },
    auditCases: new MemoryAuditCaseStore(),
    referenceCatalog: sandboxCatalog(live.catalog, whatIf ? [] : bindings, options.overrides),
  };

  const inputs: ReplayInput[] = [];
  const pending = recordedInputs(recorded);
  // The inputs that make a later version: an amendment applied at once, or an officer's grant of
  // one asked after settlement (the amendment is recorded under the decision's request).
  const grantedAmendments = new Set(recorded.filter((e) => e.type === 'DeclarationAmended').map((e) => e.correlationId));
  const makesVersion = (e: HistoryEvent) =>
    e.type === 'DeclarationAmended' || (e.type === 'AdditionalMessageDecided' && grantedAmendments.has(e.correlationId));
  let status = '';
  let waiting: Awaited | undefined;
  await runInSandbox(dependencies, async () => {
    advanceClock();
    await workflows.start(execution, { declarationId: id, version });
    // The current version's execution, or the last one, has ended: none runs any more.
    const ended = () => !workflows.running();

    const feed = async (input: RecordedInput, data: unknown, requestId: string, at: string, actor?: string) => {
      clock.set(Date.parse(at));
      // The input comes in as its recorded party made it — `<role>:<subject>`, the caller the token
      // authenticated — for the declaring organisation.
      const caller = callerOf(actor, input.role, declaration.declarant.id);
      const event = apiEvent(id, input.path, input.body(data, caller), requestId, at, caller, input.contentType);
      const response = (await sandboxHandlers[input.fn]!(event, sandboxContext(input.fn, requestId))) as APIGatewayProxyStructuredResultV2;
      activity++;
      return { ok: (response.statusCode ?? 500) < 300, answer: JSON.parse(String(response.body ?? 'null')) };
    };

    for (;;) {
      await idle(() => activity, ended);
      // Once the workflow ended, the declaration waits for the bank if a payment would be taken:
      // goods released on a guarantee or deferment account, or a balance owed after release.
      const awaits = ended() ? ((await owedAfterWorkflow(store, id)) ? 'payment' : undefined) : await sandboxAwaits(store, riskStore, id);
      // A what-if has what it measures (channel, tax, hits) once the tax notice of the version in
      // force waits for payment: until then it follows the recorded amendments, as the comparison
      // measures the version the history ends at (a payment on the way is made, see below).
      const following = whatIf && pending.some(makesVersion);
      if (whatIf && !following && awaits !== 'officer' && awaits !== 'documents') break;
      const next = pending[0];
      // What the declarant sends when it chooses, and an officer's decision on it, come at their
      // recorded time wherever the replay stands; an answer comes to the wait it answered.
      if (next && (RECORDED_INPUTS[next.type].awaits === undefined || RECORDED_INPUTS[next.type].awaits === awaits)) {
        // The clock reaches the input's time first, so what fell due before it (an escalation,
        // an overdue payment) happens as it did, and the input answers the wait it answered.
        if (clock.now() < Date.parse(next.occurredAt)) {
          clock.set(Date.parse(next.occurredAt));
          continue;
        }
        pending.shift();
        // A what-if pays the recorded payment with what its own notice asks then (its tax differs).
        const data = whatIf && next.type === 'PaymentReceived' ? await paymentAsAsked(store, dependencies.referenceCatalog.tax, id, next) : next.data;
        const { ok, answer } = await feed(RECORDED_INPUTS[next.type], data, next.correlationId, next.occurredAt, next.actor);
        const how = !ok ? 'REFUSED' : data === next.data ? 'RECORDED' : 'ASSUMED';
        inputs.push({ type: next.type, occurredAt: next.occurredAt, actor: next.actor, how, ...(how === 'RECORDED' ? {} : { answer }) });
        continue;
      }
      // A hold only the what-if made is released first, so the recorded inputs after it (a payment,
      // an amendment) still come to the waits they answered.
      if (whatIf && awaits === 'officer') {
        const at = new Date(clock.now()).toISOString();
        const { ok, answer } = await feed(RECORDED_INPUTS.OfficerDecisionRecorded, ASSUMED_RELEASE, `${execution}-what-if-officer`, at);
        inputs.push({ type: 'OfficerDecisionRecorded', occurredAt: at, actor: `officer:${ASSUMED_RELEASE.officer}`, how: ok ? 'ASSUMED' : 'REFUSED', answer });
        if (ok) continue;
        // Refused (the hold takes no release): asking again would be refused again; it stays held.
        waiting = awaits;
        break;
      }
      if (next && (awaits === undefined || whatIf)) {
        // The replay stands where this input does not apply: it diverged from the recorded run.
        pending.shift();
        inputs.push({ type: next.type, occurredAt: next.occurredAt, actor: next.actor, how: 'NOT_APPLICABLE' });
        continue;
      }
      waiting = awaits;
      break;
    }
    await workflows.stopAll('Replay.Stopped', 'Nothing further is recorded for the step the replay waits at');
    status = (await store.getView(id))!.status;
  });

  return {
    declarationId: id,
    execution: workflows.current ?? execution,
    mode: whatIf ? 'WHAT_IF' : 'REPLAY',
    status,
    ...(waiting ? { waitingFor: waiting } : {}),
    comparison: compareHistories(recorded, produced),
    inputs,
    eventsNotPublished: published,
    replayed: produced,
  };
}

/**
 * The outside inputs in the order they came. An amendment or cancellation an officer's grant
 * applied is not one: it is recorded under the decision's request, and the decision applies it.
 */
function recordedInputs(recorded: readonly HistoryEvent[]): HistoryEvent[] {
  const decisions = new Set(recorded.filter((e) => e.type === 'AdditionalMessageDecided').map((e) => e.correlationId));
  return recorded.filter((e) => RECORDED_INPUTS[e.type] && (e.type === 'AdditionalMessageDecided' || !decisions.has(e.correlationId)));
}

/**
 * What each recorded screening read of its lane's unselected-hit counters (per lane
 * `id@version`, in order): the live counters have moved on since, and each version of an amended
 * declaration is screened anew.
 */
function counterReadings(recorded: readonly HistoryEvent[]): Record<string, Record<string, number>[]> {
  const readings: Record<string, Record<string, number>[]> = {};
  for (const event of recorded.filter((e) => e.type === 'RiskScreened')) {
    const { lane, sampleOutcomes = [] } = event.data as Partial<ScreeningResult>;
    if (!lane) continue;
    (readings[`${lane.id}@${lane.version}`] ??= []).push(Object.fromEntries(sampleOutcomes.map((o) => [o.profile, o.unselectedBefore])));
  }
  return readings;
}

/** Resolves once the sandbox has been idle for a few event-loop turns, or its execution ended. */
async function idle(activity: () => number, ended: () => boolean): Promise<void> {
  let last = activity();
  for (let still = 0; still < IDLE_TURNS; ) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = activity();
    still = now === last ? still + 1 : 0;
    last = now;
    if (ended() && still > 0) return;
  }
}

/** What the sandboxed declaration waits for, if anything. */
async function sandboxAwaits(store: MemoryDeclarationStore, risk: MemoryRiskStore, id: string): Promise<Awaited | undefined> {
  if ((await risk.getWorkItem(id))?.status === 'AWAITING_DOCUMENTS') return 'documents';
  if (await store.getCallback(id, 'officer')) return 'officer';
  if (await store.getCallback(id, 'payment')) return 'payment';
  return undefined;
}

/**
 * A recorded payment as a what-if makes it: the same bank, reference and time, for what the
 * sandbox's notice asks then (its tax plus any late fee by that day), which the what-if's other
 * reference data may have changed.
 */
async function paymentAsAsked(store: MemoryDeclarationStore, tax: TaxCatalog, id: string, recorded: HistoryEvent): Promise<unknown> {
  const view = await store.getView(id);
  if (!view?.taxTotal || !view.paymentDeadline) return recorded.data;
  const paidOn = legalDate(recorded.occurredAt, view.declaration.jurisdiction);
  const { due } = amountDue(view.taxTotal.amount, view.paymentDeadline, paidOn, resolveBinding(view.taxBinding as TaxBinding, tax).rules['late-fee']);
  const data = recorded.data as { amount: string; currency: string };
  return data.amount === due && data.currency === view.taxTotal.currency ? data : { ...data, amount: due, currency: view.taxTotal.currency };
}

/** Whether the bank's payment would be taken with no workflow waiting (the rule the payment handler applies). */
async function owedAfterWorkflow(store: MemoryDeclarationStore, id: string): Promise<boolean> {
  const view = await store.getView(id);
  return view !== undefined && awaitsBank({ ...view, workflowWaits: false });
}

/** The API Gateway (HTTP API, payload v2) event an outside party's recorded request made. */
interface Caller {
  role: Role;
  subject: string;
  org: string;
}

/** The caller a recorded actor (`officer:alice`, `bank:bank-1`) names; `fallback` for an older or assumed one. */
function callerOf(actor: string | undefined, fallback: Role, org: string): Caller {
  const at = actor?.indexOf(':') ?? -1;
  const role = at > 0 ? actor!.slice(0, at) : '';
  return (ROLES as readonly string[]).includes(role)
    ? { role: role as Role, subject: actor!.slice(at + 1), org }
    : { role: fallback, subject: `replay:${fallback}`, org };
}

function apiEvent(id: string, path: string, body: unknown, requestId: string, at: string, caller: Caller, contentType = 'application/json'): APIGatewayProxyEventV2 {
  const rawPath = `/declarations/${id}/${path}`;
  return {
    version: '2.0',
    routeKey: `POST /declarations/{id}/${path}`,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
    isBase64Encoded: false,
    pathParameters: { id },
    requestContext: {
      accountId: 'sandbox',
      apiId: 'sandbox',
      domainName: 'sandbox',
      domainPrefix: 'sandbox',
      http: { method: 'POST', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'clearway-replay' },
      requestId,
      routeKey: `POST /declarations/{id}/${path}`,
      stage: '$default',
      time: at,
      timeEpoch: Date.parse(at),
      // What the JWT authorizer puts there for the recorded caller.
      authorizer: { jwt: { claims: { sub: caller.subject, scope: scopeOf(caller.role), org: caller.org }, scopes: [scopeOf(caller.role)] } },
    } as APIGatewayProxyEventV2['requestContext'],
  };
}
