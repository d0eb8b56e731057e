import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { ENV, EXECUTION_STATUS_CHANGE, appModel, executionEndPattern, scopeOf, substituteDefinition, type Role, type TableModel, type WorkflowModel } from '../app-model.js';
import { createApiServer } from './api/server.js';
import { LocalTokenIssuer } from './auth/jwt.js';
import { systemClock, type Clock } from './clock.js';
import { createTables, startDynalite } from './dynamo/dynalite.js';
import { dynamoMeterCounts, type DynamoMeterCounts } from './dynamo/meter.js';
import { createAwsEndpoint } from './endpoint.js';
import { LocalEventBus, LocalQueues, LocalSqsApi, installAppRules, targetDeliverer, type EventBusMetrics, type QueueMetrics } from './events/index.js';
import { JournalExecutionStore, LocalStepFunctions, type DescribeExecutionOutput, type StepFunctionsMetrics } from './asl/index.js';
import { LocalLambda, physical, type InvocationStats } from './lambda/invoker.js';
import { LocalObjectStore } from './objects.js';
import { localTaskIntegrations } from './step-integrations.js';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

export interface RuntimeOptions {
  /** Where state lives; `null` keeps everything in memory (tests). Default `.clearway/`. */
  dataDir?: string | null;
  /** API port; 0 picks a free one. Default 3000. */
  apiPort?: number;
  /** Local AWS endpoint port; 0 picks a free one. Default 4566. */
  endpointPort?: number;
  host?: string;
  /** Time source of workflows, API request times and the bus; a VirtualClock skips waits. */
  clock?: Clock;
  /** Repository root (where `workflows/`, `reference-data/` and handler modules are). */
  rootDir?: string;
}

/** A running local platform. */
export interface Runtime {
  apiUrl: string;
  endpointUrl: string;
  dataDir: string | null;
  clock: Clock;
  stepFunctions: LocalStepFunctions;
  bus: LocalEventBus;
  queues: LocalQueues;
  lambda: LocalLambda;
  stateMachineArns: Record<string, string>;
  /** The local identity provider the API trusts (its key lives in the data directory). */
  tokens: LocalTokenIssuer;
  /** A bearer token for `principal`, valid from the runtime clock's now (tests, the demo). */
  token(principal: LocalPrincipal): string;
  /** What every service counted so far, in the units AWS bills (a snapshot; the benchmark diffs two). */
  metrics(): RuntimeMetrics;
  stop(): Promise<void>;
}

/** The runtime's counters, per service. */
export interface RuntimeMetrics {
  /** HTTP API requests by route key (`POST /declarations`, …). */
  api: Record<string, number>;
  stepFunctions: StepFunctionsMetrics;
  lambda: Record<string, InvocationStats>;
  /** Counted in dynalite, which is one per process (see `infra/local/dynamo/meter.ts`). */
  dynamodb: DynamoMeterCounts;
  events: EventBusMetrics;
  queues: QueueMetrics;
}

/** Who a local token speaks for. */
export interface LocalPrincipal {
  role: Role | Role[];
  /** A declarant's organisation: its EORI or unified social credit code. */
  org?: string;
  /** The subject (user); defaults to `<role>@<org or local>`. */
  sub?: string;
}

/** Signs a token for `principal` with `issuer` at `nowMs` (shared by the runtime and `clearway token`). */
export function issueLocalToken(issuer: LocalTokenIssuer, principal: LocalPrincipal, nowMs: number, ttlSeconds?: number): string {
  const roles = Array.isArray(principal.role) ? principal.role : [principal.role];
  return issuer.sign(
    {
      sub: principal.sub ?? `${roles[0]}@${principal.org ?? 'local'}`,
      scope: roles.map(scopeOf).join(' '),
      ...(principal.org ? { org: principal.org } : {}),
    },
    nowMs,
    ttlSeconds,
  );
}

/** Physical names, as the CDK stack would give them per stage (`clearway-local-…` here). */
const tableName = (table: TableModel) => `clearway-local-${table.name}`;
const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${physical(name)}`;
const stateMachineArn = (name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:clearway-${name}`;

/**
 * Boots Clearway in one Node process (DESIGN.md §3): dynalite behind one local AWS endpoint,
 * the Step Functions interpreter and the event bus serving their JSON APIs there, the handler
 * modules as in-process Lambdas, and the HTTP API — all built from `infra/app-model.ts`.
 * Handlers reach AWS only through the SDK, pointed here by `AWS_ENDPOINT_URL`.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? systemClock;
  const dataDir = options.dataDir === undefined ? resolve('.clearway') : options.dataDir === null ? null : resolve(options.dataDir);

  const dynamo = await startDynalite(dataDir ? join(dataDir, 'dynamodb') : undefined);
  const queues = new LocalQueues(clock, REGION, ACCOUNT, dataDir ? join(dataDir, 'queues.jsonl') : undefined);
  const lambda = new LocalLambda(appModel.functions, functionArn, rootDir);
  const bus = new LocalEventBus({
    clock,
    region: REGION,
    account: ACCOUNT,
    deliver: targetDeliverer({
      queues,
      lambda,
      startExecution: (stateMachineArn, input) => stepFunctions.startExecution({ stateMachineArn, input }),
    }),
  });
  installAppRules(bus, queues, appModel);
  installExecutionEndRules(bus);
  installHandlerRules(bus, appModel.handlerRules);

  // Status changes being delivered (their archiving function writes to the table): stop() waits for them.
  const archiving = new Set<Promise<unknown>>();
  // Task states call the same local services the SDK reaches; with a data directory every
  // execution, its position, task tokens and timers are journaled and survive a restart.
  let dynamoClient: DynamoDB;
  const objects = new LocalObjectStore(dataDir ? join(dataDir, 's3') : undefined, () => clock.now());
  const stepFunctions: LocalStepFunctions = new LocalStepFunctions({
    clock,
    region: REGION,
    accountId: ACCOUNT,
    store: dataDir ? new JournalExecutionStore(join(dataDir, 'stepfunctions.jsonl')) : undefined,
    onExecutionClosed: (execution) => {
      const published = publishStatusChange(bus, execution).catch(() => undefined);
      archiving.add(published);
      void published.finally(() => archiving.delete(published));
    },
    integrations: localTaskIntegrations({ lambda, bus, queues, objects, dynamo: () => dynamoClient, stepFunctions: () => stepFunctions }),
  });

  let endpointUrl = '';
  const endpoint = createAwsEndpoint({ dynamo, stepFunctions, events: bus, queues: new LocalSqsApi(queues, () => endpointUrl) });
  endpoint.listen(options.endpointPort ?? 4566, host);
  await once(endpoint, 'listening');
  endpointUrl = `http://${host}:${(endpoint.address() as AddressInfo).port}`;

  const stateMachineArns = Object.fromEntries(Object.keys(appModel.workflows).map((name) => [name, stateMachineArn(name)]));
  // Chain heads are anchored in an append-only file under the data directory (a scratch one in memory mode).
  const anchorDir = dataDir ?? mkdtempSync(join(tmpdir(), 'clearway-anchors-'));
  configureSdkEnvironment(endpointUrl, stateMachineArns, rootDir, join(anchorDir, 'chain-anchors.jsonl'));
  dynamoClient = new DynamoDB({});
  await createTables(dynamoClient, appModel.tables, tableName);

  for (const [name, workflow] of Object.entries(appModel.workflows) as [string, WorkflowModel][]) {
    const definition = substitute(readFileSync(join(rootDir, workflow.file), 'utf8'), workflow);
    // A kept state machine gets the current definition (as a CDK deploy would update it); its
    // running executions finish on the revision they started with.
    if (stepFunctions.listStateMachines().stateMachines.some((sm) => sm.stateMachineArn === stateMachineArns[name])) {
      stepFunctions.updateStateMachine({ stateMachineArn: stateMachineArns[name], definition });
    } else {
      stepFunctions.createStateMachine({ name: `clearway-${name}`, definition, type: workflow.type });
    }
  }
  stepFunctions.resumeExecutions();

  const tokens = dataDir ? LocalTokenIssuer.fromDataDir(dataDir) : LocalTokenIssuer.generate();
  const apiRequests: Record<string, number> = {};
  const api = createApiServer({
    routes: appModel.routes,
    invoke: (fn, event) => {
      apiRequests[event.routeKey] = (apiRequests[event.routeKey] ?? 0) + 1;
      return lambda.invoke(fn, event);
    },
    now: () => clock.now(),
    authorizer: tokens,
  });
  api.listen(options.apiPort ?? 3000, host);
  await once(api, 'listening');
  const apiUrl = `http://${host}:${(api.address() as AddressInfo).port}`;

  return {
    apiUrl,
    endpointUrl,
    dataDir,
    clock,
    stepFunctions,
    bus,
    queues,
    lambda,
    stateMachineArns,
    tokens,
    token: (principal) => issueLocalToken(tokens, principal, clock.now()),
    metrics: () => structuredClone({
      api: apiRequests,
      stepFunctions: stepFunctions.metrics,
      lambda: Object.fromEntries(lambda.stats),
      dynamodb: dynamoMeterCounts(),
      events: bus.metrics,
      queues: queues.metrics,
    }),
    async stop() {
      await stepFunctions.shutdown();
      await Promise.all(archiving);
      bus.close();
      api.closeAllConnections();
      // Work a request started (a notification the last step published) finishes before the data closes.
      await lambda.settle();
      endpoint.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => endpoint.close(r))]);
      dynamoClient.destroy();
      await dynamo.close();
      if (!dataDir) rmSync(anchorDir, { recursive: true, force: true });
    },
  };
}

/**
 * What CDK does with `definitionSubstitutions`, done the same way locally: every `${Name}`
 * in the ASL text becomes the resource it stands for.
 */
export function substitute(definition: string, workflow: WorkflowModel): string {
  return substituteDefinition(definition, workflow, (target) => {
    if ('functionArn' in target) return functionArn(target.functionArn);
    if ('tableName' in target) return tableName(appModel.tables[target.tableName as keyof typeof appModel.tables]);
    return target.eventBusName;
  });
}

/** The standard SDK environment, so handlers' default clients reach the local endpoint. */
function configureSdkEnvironment(endpointUrl: string, stateMachineArns: Record<string, string>, rootDir: string, anchorFile: string) {
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    CLEARWAY_REFERENCE_DATA_DIR: process.env.CLEARWAY_REFERENCE_DATA_DIR ?? join(rootDir, 'reference-data'),
    [ENV.tableName]: tableName(appModel.tables.main),
    [ENV.idempotencyTableName]: tableName(appModel.tables.idempotency),
    [ENV.eventBusName]: appModel.eventBus.name,
    [ENV.lifecycleStateMachineArn]: stateMachineArns.lifecycle,
    [ENV.auditReplayStateMachineArn]: stateMachineArns.auditReplay,
    [ENV.anchorFile]: anchorFile,
    [ENV.notificationPushStateMachineArn]: stateMachineArns.notificationPush,
  });
}

/**
 * The model's rules whose target is a function, as CDK deploys them: same name and pattern, the
 * function as target, retried twice on failure (a Lambda's asynchronous invocations are).
 */
function installHandlerRules(bus: LocalEventBus, handlerRules: typeof appModel.handlerRules) {
  for (const [ruleName, rule] of Object.entries(handlerRules)) {
    bus.putRule({ Name: ruleName, EventBusName: appModel.eventBus.name, EventPattern: JSON.stringify(rule.pattern), Description: rule.description });
    bus.putTargets({
      Rule: ruleName,
      EventBusName: appModel.eventBus.name,
      Targets: [{ Id: `function-${rule.function}`, Arn: functionArn(rule.function), RetryPolicy: { MaximumRetryAttempts: HANDLER_RULE_RETRIES } }],
    });
  }
}

/** Retries of a function target: Lambda retries an asynchronous invocation twice. */
const HANDLER_RULE_RETRIES = 2;

/** The rules of `executionEndRules` on the default bus, each invoking its function. */
function installExecutionEndRules(bus: LocalEventBus) {
  for (const [ruleName, rule] of Object.entries(appModel.executionEndRules)) {
    bus.putRule({ Name: ruleName, EventPattern: JSON.stringify(executionEndPattern(stateMachineArn(rule.workflow))), Description: rule.description });
    bus.putTargets({ Rule: ruleName, Targets: [{ Id: rule.function, Arn: functionArn(rule.function), RetryPolicy: { MaximumRetryAttempts: HANDLER_RULE_RETRIES } }] });
  }
}

/** What Step Functions puts on the default bus when an execution ends (dates in epoch ms, input and output as JSON text). */
async function publishStatusChange(bus: LocalEventBus, execution: DescribeExecutionOutput) {
  const detail = {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate.getTime(),
    stopDate: execution.stopDate?.getTime() ?? null,
    input: execution.input,
    output: execution.output ?? null,
    error: execution.error ?? null,
    cause: execution.cause ?? null,
  };
  await bus.putEvents({
    Entries: [{ Source: 'aws.states', DetailType: EXECUTION_STATUS_CHANGE, Detail: JSON.stringify(detail), Resources: [execution.executionArn] }],
  });
}

