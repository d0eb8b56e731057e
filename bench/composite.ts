/**
 * The bound (a child process of `bench/e2e.ts`): a composite of the same shape as the real
 * pipeline and no business logic. Per declaration it makes as many HTTP requests, state
 * transitions, in-process handler calls and SDK PutItems against dynalite (and, in the variant
 * with reads, as many consistent GetItems as the pipeline reads) as the real pipeline made per
 * declaration in the same benchmark — on the same parts: dynalite on disk behind the local AWS
 * endpoint, the ASL interpreter running a JSONata definition, the Lambda invoker and the local
 * API server. Whatever the real pipeline is slower by, is its business logic and its choices.
 *
 * Usage (by the parent): `node --import tsx --expose-gc bench/composite.ts '<spec JSON>'`.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { FunctionModel, RouteModel } from '../infra/app-model.js';
import { createApiServer } from '../infra/local/api/server.js';
import { LocalStepFunctions } from '../infra/local/asl/index.js';
import { LocalTokenIssuer } from '../infra/local/auth/jwt.js';
import { systemClock } from '../infra/local/clock.js';
import { createTables, startDynalite } from '../infra/local/dynamo/dynalite.js';
import { createAwsEndpoint, type JsonService } from '../infra/local/endpoint.js';
import { LocalLambda } from '../infra/local/lambda/invoker.js';
import type { CompositeWork } from './composite-handler.js';
import { MemorySampler, progressReporter, type ChildMessage } from './measure.js';

/** The shape of one declaration, rounded from the real pipeline's per-declaration counts. */
export interface CompositeShape {
  httpRequests: number;
  stateTransitions: number;
  handlerCalls: number;
  puts: number;
  reads: number;
  /** Average size of an item the pipeline wrote. */
  itemBytes: number;
}

export interface CompositeSpec {
  n: number;
  concurrency: number;
  warmup: number;
  shape: CompositeShape;
}

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const STATE_MACHINE = 'clearway-bench-composite';
const TABLE = 'clearway-bench-composite';
const handlerModel: FunctionModel = { entry: 'bench/composite-handler.ts', description: 'composite: calls only', memoryMb: 512, timeoutSeconds: 10, access: [] };
// Behind the same JWT authorizer as the e-port's routes: verifying a bearer token is part of every request's cost.
const routes: RouteModel[] = [
  { method: 'POST', path: '/composite', function: 'compositeApi' as never, roles: ['declarant'], summary: 'composite submission' },
  { method: 'GET', path: '/composite/{id}', function: 'compositeApi' as never, roles: ['declarant'], summary: 'composite read' },
];

/** `total` spread over `slots` as evenly as whole numbers allow (the first slots get one more). */
export function spread(total: number, slots: number): number[] {
  return Array.from({ length: slots }, (_, i) => Math.floor(total / slots) + (i < total % slots ? 1 : 0));
}

/**
 * The composite's workflow: the pipeline's handler calls as JSONata Lambda Tasks (with the same
 * Retry as the lifecycle's), the rest of its transitions as Pass states, then Succeed.
 */
export function compositeDefinition(shape: CompositeShape, functionArn: string, puts: number[], reads: number[]): object {
  const apiCalls = shape.httpRequests;
  const tasks = Math.max(0, shape.handlerCalls - apiCalls);
  const passes = Math.max(0, shape.stateTransitions - tasks - 1);
  const names = [...Array.from({ length: tasks }, (_, i) => `Task${i}`), ...Array.from({ length: passes }, (_, i) => `Pass${i}`)];
  // Interleave the Pass states among the Tasks, as Choice and event states sit between steps.
  names.sort((a, b) => order(a, tasks, passes) - order(b, tasks, passes));
  const states: Record<string, unknown> = {};
  names.forEach((name, i) => {
    const next = names[i + 1] ?? 'Done';
    if (name.startsWith('Pass')) {
      states[name] = { Type: 'Pass', Next: next };
      return;
    }
    const t = Number(name.slice(4));
    states[name] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: functionArn,
        Payload: { id: '{% $states.input.id %}', step: name, puts: puts[apiCalls + t], reads: reads[apiCalls + t], bytes: shape.itemBytes },
      },
      Output: '{% $states.input %}',
      Retry: [{ ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Next: next,
    };
  });
  states.Done = { Type: 'Succeed' };
  return { QueryLanguage: 'JSONata', StartAt: names[0] ?? 'Done', States: states };
}

const order = (name: string, tasks: number, passes: number) =>
  name.startsWith('Task') ? (Number(name.slice(4)) + 0.5) / Math.max(1, tasks) : (Number(name.slice(4)) + 1) / (passes + 1);

async function main() {
  const spec = JSON.parse(process.argv[2]) as CompositeSpec;
  const { shape } = spec;
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-composite-'));
  const dynamo = await startDynalite(join(dataDir, 'dynamodb'));
  const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;
  const lambda = new LocalLambda({ compositeApi: handlerModel, compositeStep: handlerModel }, functionArn, process.cwd());
  const stepFunctions = new LocalStepFunctions({
    clock: systemClock,
    region: REGION,
    accountId: ACCOUNT,
    integrations: {
      invokeLambda: (name, payload) => lambda.invoke(name, payload),
      callService: async (service) => {
        throw Object.assign(new Error(`${service} is not part of the composite`), { name: 'States.TaskFailed' });
      },
    },
  });
  const absent: JsonService = {
    handle: async (target) => {
      throw Object.assign(new Error(`${target} is not part of the composite`), { __type: 'UnknownOperationException' });
    },
  };
  const endpoint = createAwsEndpoint({ dynamo, stepFunctions, events: absent, queues: absent });
  endpoint.listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${STATE_MACHINE}`;
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    COMPOSITE_TABLE: TABLE,
    COMPOSITE_ARN: stateMachineArn,
  });
  const control = new DynamoDB({});
  await createTables(control, { composite: { name: 'composite', partitionKey: 'PK', sortKey: 'SK', globalIndexes: [] } }, () => TABLE);
  control.destroy();

  const puts = spread(shape.puts, shape.handlerCalls);
  const reads = spread(shape.reads, shape.handlerCalls);
  stepFunctions.createStateMachine({ name: STATE_MACHINE, definition: compositeDefinition(shape, functionArn('compositeStep'), puts, reads) });
  const issuer = LocalTokenIssuer.generate();
  // Signed once, sent with every request (as the real pipeline's clients do).
  const authorization = `Bearer ${issuer.sign({ sub: 'bench', scope: 'clearway/declarant', org: 'BENCH' }, Date.now())}`;
  const api = createApiServer({ routes, invoke: (name, event) => lambda.invoke(name, event), now: () => Date.now(), authorizer: issuer });
  api.listen(0, '127.0.0.1');
  await once(api, 'listening');
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  /** One declaration: the submission starts the workflow, the other requests follow it, then it ends. */
  async function declaration(id: string) {
    const first: CompositeWork = { id, step: 'api0', puts: puts[0], reads: reads[0], bytes: shape.itemBytes, start: true };

    const started = await fetch(`${apiUrl}/composite`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(first) });
    await started.json();
    for (let r = 1; r < shape.httpRequests; r++) {
      const query = `step=api${r}&puts=${puts[r]}&reads=${reads[r]}&bytes=${shape.itemBytes}`;
      await (await fetch(`${apiUrl}/composite/${id}?${query}`, { headers: { authorization } })).json();
    }
    const done = await stepFunctions.awaitExecution(`arn:aws:states:${REGION}:${ACCOUNT}:execution:${STATE_MACHINE}:${id}`);
    if (done.status !== 'SUCCEEDED') throw new Error(`composite ${id}: ${done.status} ${done.error ?? ''} ${done.cause ?? ''}`);
  }

  const runAll = async (n: number, prefix: string, report: (done: number) => void) => {
    let next = 0;
    let done = 0;
    const party = async () => {
      while (next < n) {
        await declaration(`${prefix}${next++}`);
        report(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(spec.concurrency, n) }, party));
  };

  await runAll(spec.warmup, 'w', () => undefined);
  const memory = new MemorySampler();
  memory.start();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await runAll(spec.n, 'm', progressReporter(spec.n));
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  memory.stop();
  api.closeAllConnections();
  endpoint.closeAllConnections();
  await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => endpoint.close(r))]);
  await dynamo.close();
  rmSync(dataDir, { recursive: true, force: true });
  const result = { kind: 'composite', spec, elapsedS, throughputPerS: spec.n / elapsedS, cpuMsPerDeclaration: (cpu.user + cpu.system) / 1000 / spec.n, memory: memory.summary() };
  process.send?.({ type: 'result', result } satisfies ChildMessage);
}

if (process.argv[1]?.endsWith('composite.ts')) {
  await main();
  process.exit(0);
}
