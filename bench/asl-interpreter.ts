/**
 * `npm run bench:asl` — throughput and memory of the local ASL interpreter (infra/local/asl).
 *
 * (a) executions/s and transitions/s of a 10-state JSONPath machine with no-op tasks, on our
 *     interpreter and, side by side in the same process, on aws-local-stepfunctions;
 * (b) the declaration lifecycle (workflows/declaration-lifecycle.asl.json, JSONata) with no-op
 *     handlers;
 * (c) both again in durable mode (journal under a temporary data directory);
 * (d) resident memory over 100,000 executions of a Map machine (must stay flat).
 *
 * Results go to bench/results/asl-interpreter.json (git-ignored) and are printed as a table.
 * Throughput is reported per wall-clock second and per CPU second of this process; the
 * comparison uses CPU seconds, which a shared machine disturbs far less.
 *
 * Options: --count N (timed executions per row and round, default 20000), --rounds N (default
 * 3, the median is kept), --concurrency N (default 64), --memory-executions N (default 100000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JournalExecutionStore, LocalStepFunctions, VirtualClock, type Integrations } from '../infra/local/asl/index.js';
import { measureThroughput, median, printTable, rssMb, runMany, writeResult, type RunOne, type Throughput } from './lib/asl-measure.js';
import {
  lifecycleDefinition, lifecycleIntegrations, mapInput, mapMachine, noOpIntegrations, noOpTask, ourEngine, statesEntered, tenStateInput, tenStateJsonPath,
} from './lib/asl-workloads.js';

// aws-local-stepfunctions 3.0.0 calls Promise.withResolvers, which Node 20 lacks (bench only).
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    'memory-executions': { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '3' },
  },
});
const rounds = Number(values.rounds);
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const memoryExecutions = Number(values['memory-executions']);
const benchDir = dirname(fileURLToPath(import.meta.url));

/** Our engine, in memory (or durable: journaled under `dataDir`), on a clock that never really waits. */
function engine(integrations: Integrations, dataDir?: string): LocalStepFunctions {
  return new LocalStepFunctions({ clock: new VirtualClock(), integrations, store: dataDir ? new JournalExecutionStore(join(dataDir, 'stepfunctions.jsonl')) : undefined });
}

/** aws-local-stepfunctions on the same definition, every Task overridden by the no-op task. */
function awsLocalStepFunctions(definition: typeof tenStateJsonPath): RunOne {
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const taskNames = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task').map(([name]) => name);
  const overrides = { taskResourceLocalHandlers: Object.fromEntries(taskNames.map((name) => [name, noOpTask])) };
  return async (i) => {
    await machine.run(tenStateInput(i), { overrides } as never).result;
  };
}

interface Row {
  workload: string;
  engine: string;
  mode: 'memory' | 'durable';
  statesPerExecution: number;
  throughput: Throughput;
}

const rows: Row[] = [];
interface Contender {
  workload: string;
  engine: string;
  mode: Row['mode'];
  statesPerExecution: number;
  run: RunOne;
}

/**
 * Measures the contenders in `rounds` rounds, taking turns within each round (so that neither
 * benefits from running second, or from a quiet moment of a shared machine), and keeps each
 * one's median round.
 */
async function measure(contenders: Contender[]) {
  const results = contenders.map(() => [] as Throughput[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of contenders.entries()) {
      const t = await measureThroughput(c.run, { count, concurrency, warmup: round === 0 ? undefined : 0 });
      results[i].push(t);
      console.error(`  round ${round + 1}: ${c.workload} / ${c.engine} / ${c.mode}: ${Math.round(t.executionsPerSecond)} executions/s, ${Math.round(t.executionsPerCpuSecond)} per CPU second`);
    }
  }
  contenders.forEach((c, i) => rows.push({ workload: c.workload, engine: c.engine, mode: c.mode, statesPerExecution: c.statesPerExecution, throughput: median(results[i]) }));
}

const tenStates = await statesEntered(engine(noOpIntegrations), tenStateJsonPath, tenStateInput(0));
const lifecycleStates = await statesEntered(engine(lifecycleIntegrations), lifecycleDefinition(), { declarationId: 'D-0', version: 1 });
const lifecycleInput = (i: number) => ({ declarationId: `D-${i}`, version: 1 });

// (d) first, in a fresh process: memory over many executions of a Map machine.
const memory: { executions: number; rssMb: number; heapMb: number }[] = [];
{
  const sample = (executions: number) => memory.push({ executions, rssMb: rssMb(), heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
  sample(0);
  const sfn = engine(noOpIntegrations);
  const run = ourEngine(sfn, mapMachine, mapInput, 'map');
  const step = memoryExecutions / 10;
  for (let done = 0; done < memoryExecutions; done += step) {
    await runMany(run, step, concurrency, done);
    sample(done + step);
  }
}

console.error(`ASL interpreter benchmark: ${count} timed executions per row and round, ${rounds} rounds, ${concurrency} in flight, Node ${process.version}`);
const durableDir = mkdtempSync(join(tmpdir(), 'clearway-bench-asl-'));
try {
  // (a) side by side on the same definition.
  await measure([
    { workload: '10-state JSONPath', engine: 'aws-local-stepfunctions 3.0.0', mode: 'memory', statesPerExecution: tenStates, run: awsLocalStepFunctions(tenStateJsonPath) },
    { workload: '10-state JSONPath', engine: 'clearway', mode: 'memory', statesPerExecution: tenStates, run: ourEngine(engine(noOpIntegrations), tenStateJsonPath, tenStateInput) },
  ]);
  // (b) the lifecycle, and (c) both in durable mode.
  await measure([
    { workload: 'lifecycle (JSONata)', engine: 'clearway', mode: 'memory', statesPerExecution: lifecycleStates, run: ourEngine(engine(lifecycleIntegrations), lifecycleDefinition(), lifecycleInput) },
    { workload: '10-state JSONPath', engine: 'clearway', mode: 'durable', statesPerExecution: tenStates, run: ourEngine(engine(noOpIntegrations, join(durableDir, 'a')), tenStateJsonPath, tenStateInput) },
    { workload: 'lifecycle (JSONata)', engine: 'clearway', mode: 'durable', statesPerExecution: lifecycleStates, run: ourEngine(engine(lifecycleIntegrations, join(durableDir, 'b')), lifecycleDefinition(), lifecycleInput) },
  ]);
} finally {
  rmSync(durableDir, { recursive: true, force: true });
}

const als = rows.find((r) => r.engine.startsWith('aws-local'))!;
const ours = rows.find((r) => r.engine === 'clearway' && r.workload === als.workload && r.mode === 'memory')!;
const speedup = ours.throughput.executionsPerCpuSecond / als.throughput.executionsPerCpuSecond;
const wallSpeedup = ours.throughput.executionsPerSecond / als.throughput.executionsPerSecond;
console.log();
printTable([
  ['workload', 'engine', 'mode', 'executions/s', 'transitions/s', 'executions/CPU-s', 'transitions/CPU-s'],
  ...rows.map((r) => [
    r.workload, r.engine, r.mode,
    r.throughput.executionsPerSecond, r.throughput.executionsPerSecond * r.statesPerExecution,
    r.throughput.executionsPerCpuSecond, r.throughput.executionsPerCpuSecond * r.statesPerExecution,
  ]),
]);
console.log(`\nclearway / aws-local-stepfunctions on the 10-state JSONPath machine: ${speedup.toFixed(2)}× per CPU second, ${wallSpeedup.toFixed(2)}× wall clock (target ≥ 1.5×)`);
console.log(`\nMemory over ${memoryExecutions.toLocaleString('en-US')} executions of a Map machine (8 items each), in memory mode; the store keeps`);
console.log('the 10,000 most recent finished executions with their history (GetExecutionHistory), so memory grows until then and stays flat after:');
printTable([['executions', 'RSS MB', 'heap used MB'], ...memory.map((m) => [m.executions.toLocaleString('en-US'), m.rssMb, m.heapMb])]);
const afterBound = memory.filter((m) => m.executions >= 20_000);
const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
console.log(`from ${afterBound[0]?.executions.toLocaleString('en-US')} executions on: RSS within ${spread(afterBound.map((m) => m.rssMb)).toFixed(1)} MB, heap within ${spread(afterBound.map((m) => m.heapMb)).toFixed(1)} MB`);

const file = writeResult(benchDir, 'asl-interpreter', {
  date: new Date().toISOString(),
  node: process.version,
  count,
  concurrency,
  rounds,
  rows: rows.map((r) => ({ ...r, transitionsPerSecond: r.throughput.executionsPerSecond * r.statesPerExecution, transitionsPerCpuSecond: r.throughput.executionsPerCpuSecond * r.statesPerExecution })),
  speedupOverAwsLocalStepFunctions: { perCpuSecond: speedup, wallClock: wallSpeedup },
  memory,
});
console.log(`\nwritten ${file}`);
