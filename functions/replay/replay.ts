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
import { isAuditEvent } from '../domain/audit/events.js';
import { compareHistories, type ReplayComparison } from '../domain/audit/replay-report.js';
import { entrySequenceName, entrySequenceOf } from '../domain/declaration/entry-number.js';
import type { Declaration } from '../domain/declaration/model.js';
import type { HistoryEvent } from '../domain/history/index.js';
import type { ProfileVersion, SampleOutcome } from '../domain/risk/index.js';
import type { TaxBinding } from '../domain/tax/index.js';
import { submittedView } from '../handlers/submit-declaration.js';
import { runInSandbox, type Dependencies } from '../shared/sandbox.js';
import { sandboxContext, sandboxHandlers } from './handlers.js';
import { sandboxCatalog, sandboxProfileVersions, type ReferenceOverrides } from './reference.js';

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

/**
 * The outside inputs of a lifecycle as the history records them, and the API handler that took
 * each: a replay feeds them to the same handler, with the recorded body, request id and time.
 */
const RECORDED_INPUTS: Record<string, { fn: FunctionName; path: string; body: (data: any) => unknown; awaits: Awaited; role: Role }> = {
  OfficerDecisionRecorded: { fn: 'recordDecision', path: 'decisions', body: (data) => data, awaits: 'officer', role: 'officer' },
  DocumentsSubmitted: { fn: 'submitDocuments', path: 'documents', body: (data) => data, awaits: 'documents', role: 'declarant' },
  PaymentReceived: {
    fn: 'recordPayment',
    path: 'payments',
    body: ({ amount, currency, reference }) => ({ amount, currency, reference }),
    awaits: 'payment',
    role: 'bank',
  },
};
type Awaited = 'officer' | 'documents' | 'payment';

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
 * A what-if (`options.overrides`) runs the same with other reference data, up to the payment
 * (channel, tax and hits are decided by then): a hold the recorded run never had is released by
 * an assumed officer.
 */
export async function replayDeclaration(recordedHistory: readonly HistoryEvent[], live: LiveReference, options: ReplayOptions = {}): Promise<ReplayResult> {
  const whatIf = options.overrides !== undefined;
  const recorded = recordedHistory.filter((e) => !isAuditEvent(e.type));
  const [submitted] = recorded;
  if (submitted?.type !== 'DeclarationSubmitted') throw new Error('A replay needs the history from its DeclarationSubmitted event');
  const id = submitted.declarationId;
  const { declaration, version } = submitted.data as { declaration: Declaration; version: number };
  const accepted = recorded.find((e) => e.type === 'DeclarationAccepted');
  const acceptedData = accepted?.data as { entryNumber: string; completedOn: string; binding: TaxBinding } | undefined;
  const execution = accepted?.correlationId.split('/')[0] ?? `${id}-v${version}`;

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
  const screenedAt = recorded.find((e) => e.type === 'RiskScreened')?.occurredAt;
  const screening = recorded.find((e) => e.type === 'RiskScreened')?.data as { sampleOutcomes?: SampleOutcome[] } | undefined;
  const counters = Object.fromEntries((screening?.sampleOutcomes ?? []).map((o) => [o.profile, o.unselectedBefore]));
  const riskStore = new MemoryRiskStore(sandboxProfileVersions(live.profileVersions, screenedAt, options.overrides), counters);

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

  const dependencies: Dependencies = {
    declarationStore: store,
    riskStore,
    securityAccounts: new RecordedSecurityAccounts({ insufficient }),
    eventPublisher: { publish: async () => void published++ },
    lifecycleWorkflows: {
      start: async () => {
        throw new Error('A replay sandbox starts no other workflow');
      },
      stop: async () => {
        throw new Error('A replay sandbox stops no other workflow');
      },
      resume: async (taskToken, output) => {
        stepFunctions.sendTaskSuccess({ taskToken, output: JSON.stringify(output) });
      },
    },
    chainAnchors: {
      anchor: async () => undefined,
      latest: async () => undefined,
    },
    auditCases: new MemoryAuditCaseStore(),
    referenceCatalog: sandboxCatalog(live.catalog, whatIf ? undefined : acceptedData?.binding, options.overrides),
  };

  const inputs: ReplayInput[] = [];
  const pending = recorded.filter((e) => RECORDED_INPUTS[e.type]);
  let status = '';
  let waiting: Awaited | undefined;
  await runInSandbox(dependencies, async () => {
    advanceClock();
    const { executionArn } = stepFunctions.startExecution({ stateMachineArn, name: execution, input: JSON.stringify({ declarationId: id, version }) });
    let ended = false;
    const done = stepFunctions.awaitExecution(executionArn).then(() => void (ended = true));

    const feed = async (type: string, body: unknown, requestId: string, at: string, actor?: string) => {
      const input = RECORDED_INPUTS[type];
      clock.set(Date.parse(at));
      // The input comes in as its recorded party made it — `<role>:<subject>`, the caller the token
      // authenticated — for the declaring organisation.
      const caller = callerOf(actor, input.role, declaration.declarant.id);
      const response = (await sandboxHandlers[input.fn]!(apiEvent(id, input.path, body, requestId, at, caller), sandboxContext(input.fn, requestId))) as APIGatewayProxyStructuredResultV2;
      activity++;
      return { ok: (response.statusCode ?? 500) < 300, answer: JSON.parse(String(response.body ?? 'null')) };
    };

    for (;;) {
      await idle(() => activity, () => ended);
      // Goods released on a guarantee or deferment account wait for the bank after the workflow ended.
      const awaits = ended ? ((await securedUnpaid(store, id)) ? 'payment' : undefined) : await sandboxAwaits(store, riskStore, id);
      // A what-if has what it measures (channel, tax, hits) once the tax notice waits for payment.
      if (whatIf && awaits !== 'officer' && awaits !== 'documents') break;
      const next = pending[0];
      if (next && RECORDED_INPUTS[next.type].awaits === awaits) {
        // The clock reaches the input's time first, so what fell due before it (an escalation,
        // an overdue payment) happens as it did, and the input answers the wait it answered.
        if (clock.now() < Date.parse(next.occurredAt)) {
          clock.set(Date.parse(next.occurredAt));
          continue;
        }
        pending.shift();
        const { ok, answer } = await feed(next.type, RECORDED_INPUTS[next.type].body(next.data), next.correlationId, next.occurredAt, next.actor);
        inputs.push({ type: next.type, occurredAt: next.occurredAt, actor: next.actor, how: ok ? 'RECORDED' : 'REFUSED', ...(ok ? {} : { answer }) });
        continue;
      }
      if (next && (awaits === undefined || whatIf)) {
        // The replay stands where this input does not apply: it diverged from the recorded run.
        pending.shift();
        inputs.push({ type: next.type, occurredAt: next.occurredAt, actor: next.actor, how: 'NOT_APPLICABLE' });
        continue;
      }
      if (whatIf && awaits === 'officer') {
        const at = new Date(clock.now()).toISOString();
        const { answer } = await feed('OfficerDecisionRecorded', ASSUMED_RELEASE, `${execution}-what-if-officer`, at);
        inputs.push({ type: 'OfficerDecisionRecorded', occurredAt: at, actor: `officer:${ASSUMED_RELEASE.officer}`, how: 'ASSUMED', answer });
        continue;
      }
      waiting = awaits;
      break;
    }
    if (!ended) {
      await stepFunctions.stopExecution({ executionArn, error: 'Replay.Stopped', cause: 'Nothing further is recorded for the step the replay waits at' });
    }
    await done;
    status = (await store.getView(id))!.status;
  });

  return {
    declarationId: id,
    execution,
    mode: whatIf ? 'WHAT_IF' : 'REPLAY',
    status,
    ...(waiting ? { waitingFor: waiting } : {}),
    comparison: compareHistories(recorded, produced),
    inputs,
    eventsNotPublished: published,
    replayed: produced,
  };
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

/** Goods released against a guarantee or deferment account wait for the bank after the workflow ended. */
async function securedUnpaid(store: MemoryDeclarationStore, id: string): Promise<boolean> {
  const view = await store.getView(id);
  return Boolean(view?.security && !view.payment);
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

function apiEvent(id: string, path: string, body: unknown, requestId: string, at: string, caller: Caller): APIGatewayProxyEventV2 {
  const rawPath = `/declarations/${id}/${path}`;
  return {
    version: '2.0',
    routeKey: `POST /declarations/{id}/${path}`,
    rawPath,
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
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
