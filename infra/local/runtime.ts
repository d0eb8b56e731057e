import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { ENV, appModel, type TableModel, type WorkflowModel } from '../app-model.js';
import { createApiServer } from './api/server.js';
import { systemClock, type Clock } from './clock.js';
import { createTables, startDynalite } from './dynamo/dynalite.js';
import { dynamoMeterCounts, type DynamoMeterCounts } from './dynamo/meter.js';
import { createAwsEndpoint } from './endpoint.js';
import { LocalEventBus, LocalQueues, LocalSqsApi, installAppRules, type EventBusMetrics, type QueueMetrics } from './events/index.js';
import { LocalStepFunctions, type StepFunctionsMetrics } from './asl/index.js';
import { LocalLambda, physical, type InvocationStats } from './lambda/invoker.js';

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
    deliver: async (targetArn, payload) => {
      if (queues.nameOf(targetArn)) return queues.send(targetArn, payload);
      await lambda.invoke(targetArn, payload);
    },
  });
  installAppRules(bus, queues, appModel);

  // Step Functions' optimized integrations call the same local services the SDK reaches.
  let dynamoClient: DynamoDB;
  const stepFunctions: LocalStepFunctions = new LocalStepFunctions({
    clock,
    region: REGION,
    accountId: ACCOUNT,
    integrations: {
      invokeLambda: (functionName, payload) => lambda.invoke(functionName, payload),
      callService: async (service, action, params): Promise<unknown> => {
        if (service === 'eventbridge' || service === 'events') {
          return bus.handle(`AWSEvents.${capitalise(action)}`, withJsonDetail(params));
        }
        if (service === 'dynamodb') return callDynamo(dynamoClient, action, params);
        if (service === 'sfn' || service === 'states') return stepFunctions.handle(`AWSStepFunctions.${capitalise(action)}`, params);
        throw Object.assign(new Error(`Service ${service} is not available locally`), { name: 'States.TaskFailed' });
      },
    },
  });

  let endpointUrl = '';
  const endpoint = createAwsEndpoint({ dynamo, stepFunctions, events: bus, queues: new LocalSqsApi(queues, () => endpointUrl) });
  endpoint.listen(options.endpointPort ?? 4566, host);
  await once(endpoint, 'listening');
  endpointUrl = `http://${host}:${(endpoint.address() as AddressInfo).port}`;

  const stateMachineArns = Object.fromEntries(Object.keys(appModel.workflows).map((name) => [name, stateMachineArn(name)]));
  configureSdkEnvironment(endpointUrl, stateMachineArns, rootDir);
  dynamoClient = new DynamoDB({});
  await createTables(dynamoClient, appModel.tables, tableName);

  for (const [name, workflow] of Object.entries(appModel.workflows) as [string, WorkflowModel][]) {
    stepFunctions.createStateMachine({
      name: `clearway-${name}`,
      definition: substitute(readFileSync(join(rootDir, workflow.file), 'utf8'), workflow),
      type: workflow.type,
    });
  }

  const apiRequests: Record<string, number> = {};
  const api = createApiServer({
    routes: appModel.routes,
    invoke: (fn, event) => {
      apiRequests[event.routeKey] = (apiRequests[event.routeKey] ?? 0) + 1;
      return lambda.invoke(fn, event);
    },
    now: () => clock.now(),
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
    metrics: () => structuredClone({
      api: apiRequests,
      stepFunctions: stepFunctions.metrics,
      lambda: Object.fromEntries(lambda.stats),
      dynamodb: dynamoMeterCounts(),
      events: bus.metrics,
      queues: queues.metrics,
    }),
    async stop() {
      api.closeAllConnections();
      endpoint.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => endpoint.close(r))]);
      dynamoClient.destroy();
      await dynamo.close();
    },
  };
}

/**
 * What CDK does with `definitionSubstitutions`, done the same way locally: every `${Name}`
 * in the ASL text becomes the resource it stands for.
 */
export function substitute(definition: string, workflow: WorkflowModel): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => {
    const target = workflow.substitutions[name];
    if (!target) throw new Error(`${workflow.file}: no substitution for \${${name}}`);
    if ('functionArn' in target) return functionArn(target.functionArn);
    if ('tableName' in target) return tableName(appModel.tables[target.tableName as keyof typeof appModel.tables]);
    return target.eventBusName;
  });
}

/** The standard SDK environment, so handlers' default clients reach the local endpoint. */
function configureSdkEnvironment(endpointUrl: string, stateMachineArns: Record<string, string>, rootDir: string) {
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
  });
}

const capitalise = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/** Step Functions serialises an object `Detail` of an optimized putEvents call to JSON text. */
function withJsonDetail(params: any) {
  if (!params?.Entries) return params;
  return {
    ...params,
    Entries: params.Entries.map((e: any) => (e.Detail !== undefined && typeof e.Detail !== 'string' ? { ...e, Detail: JSON.stringify(e.Detail) } : e)),
  };
}

/** The DynamoDB actions Step Functions integrates with (optimized, or through `aws-sdk:`). */
const DYNAMO_ACTIONS = new Set(['putItem', 'getItem', 'updateItem', 'deleteItem', 'query']);

function callDynamo(client: DynamoDB, action: string, params: any): Promise<unknown> {
  if (!DYNAMO_ACTIONS.has(action)) {
    throw Object.assign(new Error(`DynamoDB action ${action} is not available locally`), { name: 'States.TaskFailed' });
  }
  return (client as unknown as Record<string, (p: unknown) => Promise<unknown>>)[action](params);
}
