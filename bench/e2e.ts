/**
 * `npm run bench` — how fast and how cheap Clearway is, measured the same way every time:
 *  1. the real pipeline at full speed: N declarations of the benchmark mix (bench/workload.ts),
 *     `--concurrency` in flight, over HTTP, on the local runtime with its data on disk;
 *  2. the bound: a composite of the same shape without business logic (bench/composite.ts) —
 *     as many HTTP requests, transitions, handler calls and PutItems per declaration as run 1
 *     made — once with writes only, once with the reads too; the ratio real / composite;
 *  3. the real pipeline at an offered rate (open loop; default half the full-speed throughput);
 *  4. per declaration, what the runtime counted, and the AWS cost of 1,000 declarations for the
 *     design as built and for Express sub-workflows (bench/cost-model.ts, bench/prices.json).
 * Every run is a child process of its own. Results go to bench/results/<time>.json and a table.
 *
 * Options: --quick (about a minute), --n <declarations at full speed, default 10,000>,
 * --concurrency <in flight, default 32>, --rate <declarations/s offered, default half the
 * full-speed throughput>, --rate-seconds <length of the offered-rate run, default 120>,
 * --composite-n <declarations per composite run, default n: both stores grow alike>, --no-composite,
 * --profile (a V8 CPU profile of each run into bench/results/profiles/).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appModel } from '../infra/app-model.js';
import type { RuntimeMetrics } from '../infra/local/runtime.js';
import { runChild } from './child.js';
import type { CompositeShape, CompositeSpec } from './composite.js';
import { asBuilt, expressAndLeanIndexes, expressSubWorkflows, POLL_ROUTE, prices, type DesignCost } from './cost-model.js';
import type { Percentiles } from './measure.js';
import { usagePerDeclaration, type Usage } from './metrics.js';
import type { PipelineSpec } from './pipeline.js';
import { progressBar, table, usd } from './report.js';

interface PipelineResult {
  kind: 'pipeline';
  spec: PipelineSpec;
  elapsedS: number;
  throughputPerS: number;
  cpuMsPerDeclaration: number;
  completed: number;
  failureCount: number;
  failures: unknown[];
  mix: { green: number; held: number; bankPaidBeforeRelease: number; insufficientGuarantee: number; partyRetries: number };
  latencyMs: Record<'green' | 'greenSettledAtOnce' | 'greenBankPaid' | 'held', Percentiles | undefined>;
  memory: { rssStartMb: number; rssPeakMb: number; rssEndMb: number; heapStartMb: number; heapEndMb: number };
  metrics: RuntimeMetrics;
}

interface CompositeResult {
  kind: 'composite';
  spec: CompositeSpec;
  elapsedS: number;
  throughputPerS: number;
  cpuMsPerDeclaration: number;
  memory: PipelineResult['memory'];
}

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    n: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    'rate-seconds': { type: 'string' },
    'composite-n': { type: 'string' },
    'no-composite': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

const quick = options.quick!;
const n = Number(options.n ?? (quick ? 200 : 10_000));
const concurrency = Number(options.concurrency ?? 32);
const warmup = quick ? 20 : 100;
// As many declarations as the pipeline ran: the composite writes as many bytes per declaration, so
// its store grows as large and LevelDB works as hard per call as the pipeline's did.
const compositeN = Number(options['composite-n'] ?? n);
const rateSeconds = Number(options['rate-seconds'] ?? (quick ? 15 : 120));
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = 'bench/results';
const profileDir = options.profile ? join(resultsDir, 'profiles', stamp) : undefined;
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);

async function run<T>(label: string, script: string, spec: unknown): Promise<T> {
  const bar = progressBar(label);
  try {
    return await runChild<T>(script, spec, { cpuProfileDir: profileDir && join(profileDir, label.replace(/\W+/g, '-')), onProgress: bar.update });
  } finally {
    bar.end();
  }
}

const loadBefore = load();
const full = await run<PipelineResult>('pipeline, full speed', 'bench/pipeline.ts', { mode: 'full', n, concurrency, warmup } satisfies PipelineSpec);
const fullUsage = usagePerDeclaration(full.metrics, n);
const shape = compositeShape(fullUsage);

let composite: CompositeResult | undefined;
let compositeWithReads: CompositeResult | undefined;
if (!options['no-composite']) {
  composite = await run<CompositeResult>('composite, writes', 'bench/composite.ts', { n: compositeN, concurrency, warmup, shape: { ...shape, reads: 0 } } satisfies CompositeSpec);
  compositeWithReads = await run<CompositeResult>('composite, writes + reads', 'bench/composite.ts', { n: compositeN, concurrency, warmup, shape } satisfies CompositeSpec);
}

const rate = Number(options.rate ?? Math.max(1, Math.round(full.throughputPerS * 5) / 10));
const rateN = Math.max(1, Math.round(rate * rateSeconds));
const offered = await run<PipelineResult>(`pipeline, ${rate}/s offered`, 'bench/pipeline.ts', { mode: 'rate', n: rateN, rate, concurrency, warmup } satisfies PipelineSpec);
const offeredUsage = usagePerDeclaration(offered.metrics, rateN);
const loadAfter = load();

// Lambda durations are the offered-rate run's: less queueing behind other work than at full speed.
const memoryMb = Object.fromEntries(Object.entries(appModel.functions).map(([name, f]) => [name, f.memoryMb]));
const designs: DesignCost[] = [asBuilt(offeredUsage, memoryMb), expressSubWorkflows(offeredUsage, memoryMb), expressAndLeanIndexes(offeredUsage, memoryMb)];

const results = {
  startedAt: stamp,
  machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
  options: { quick, n, concurrency, warmup, compositeN, rate, rateSeconds, rateN },
  prices: { checkedOn: prices.checkedOn, region: prices.region },
  runs: { full, composite, compositeWithReads, offered },
  compositeShape: shape,
  ratio: composite && {
    writes: full.throughputPerS / composite.throughputPerS,
    writesAndReads: compositeWithReads && full.throughputPerS / compositeWithReads.throughputPerS,
    cpuWrites: composite.cpuMsPerDeclaration / full.cpuMsPerDeclaration,
    cpuWritesAndReads: compositeWithReads && compositeWithReads.cpuMsPerDeclaration / full.cpuMsPerDeclaration,
  },
  perDeclaration: { full: fullUsage, offered: offeredUsage },
  costPer1000: designs,
};
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, `${stamp}${quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(render());
console.log(`\nresults: ${file}${profileDir ? `\nCPU profiles: ${profileDir} (npx tsx bench/cpu-profile.ts <file>)` : ''}`);

/** The composite's shape: the real run's counts per declaration, rounded to whole calls. */
function compositeShape(usage: Usage): CompositeShape {
  const apiRequests = Object.values(usage.apiRequests).reduce((a, b) => a + b, 0);
  const handlerCalls = Object.values(usage.lambda).reduce((a, f) => a + f.invocations, 0);
  return {
    httpRequests: Math.max(1, Math.round(apiRequests)),
    stateTransitions: Math.max(1, Math.round(usage.standardTransitions + usage.expressRequests)),
    handlerCalls: Math.max(1, Math.round(handlerCalls)),
    puts: Math.round(usage.dynamodb.writeRequests),
    reads: Math.round(usage.dynamodb.readRequests),
    itemBytes: Math.max(1, Math.round(usage.dynamodb.bytesWritten / Math.max(1, usage.dynamodb.writeRequests))),
  };
}

function render(): string {
  const out: string[] = [];
  const ms = (p: Percentiles | undefined, key: keyof Percentiles) => (p ? p[key] : '-');
  const pipelineRow = (label: string, r: PipelineResult, p: Percentiles | undefined) => [
    label, r.spec.n, r.spec.mode === 'full' ? `${r.spec.concurrency} in flight` : `${r.spec.rate}/s`, r.throughputPerS, r.cpuMsPerDeclaration,
    ms(p, 'p50'), ms(p, 'p90'), ms(p, 'p99'), ms(p, 'max'), r.memory.rssStartMb, r.memory.rssPeakMb, r.memory.rssEndMb,
  ];
  const compositeRow = (label: string, r: CompositeResult | undefined) =>
    r ? [label, r.spec.n, `${r.spec.concurrency} in flight`, r.throughputPerS, r.cpuMsPerDeclaration, '-', '-', '-', '-', r.memory.rssStartMb, r.memory.rssPeakMb, r.memory.rssEndMb] : undefined;
  out.push(`Clearway benchmark — Node ${process.version}, ${cpus().length} CPUs, load average ${loadBefore.join(' ')} → ${loadAfter.join(' ')}`);
  out.push('');
  out.push(table(
    ['run', 'declarations', 'load', 'decl/s', 'CPU ms/decl', 'green p50 ms', 'p90', 'p99', 'max', 'RSS start MB', 'peak', 'end'],
    [
      pipelineRow('pipeline, full speed', full, full.latencyMs.green),
      pipelineRow('pipeline, offered rate', offered, offered.latencyMs.green),
      compositeRow('composite (writes)', composite),
      compositeRow('composite (writes + reads)', compositeWithReads),
    ].filter((row): row is (string | number)[] => row !== undefined),
  ));
  out.push('');
  out.push('Latency from submission to release notice (ms), by path:');
  const latencyRows: (string | number)[][] = [];
  for (const [label, r] of [['full speed', full], ['offered rate', offered]] as const) {
    for (const [path, key] of [['green, all', 'green'], ['green, settled at once (deferred/guarantee)', 'greenSettledAtOnce'], ['green, the bank pays the notice', 'greenBankPaid'], ['held for an officer', 'held']] as const) {
      const p = r.latencyMs[key];
      latencyRows.push([label, path, p?.count ?? 0, ms(p, 'p50'), ms(p, 'p90'), ms(p, 'p99'), ms(p, 'max')]);
    }
  }
  out.push(table(['run', 'path', 'count', 'p50', 'p90', 'p99', 'max'], latencyRows));
  for (const [label, r] of [['full speed', full], ['offered rate', offered]] as const) {
    out.push(`mix, ${label}: ${r.mix.green} green, ${r.mix.held} held for an officer, ${r.mix.bankPaidBeforeRelease} paid by the bank before release, ${r.mix.insufficientGuarantee} on a guarantee without room; ${r.mix.partyRetries} requests of the parties retried after a 409`);
  }
  out.push('(The officer and the bank act as soon as the workflow waits for them; their requests are in the held and bank-paid latencies.)');
  const failures = full.failureCount + offered.failureCount;
  if (failures > 0) out.push(`\n${failures} declarations did not complete: ${JSON.stringify([...full.failures, ...offered.failures].slice(0, 3))}`);
  if (composite) {
    out.push('');
    out.push(`Bound: composite of ${shape.httpRequests} HTTP requests, ${shape.stateTransitions} transitions, ${shape.handlerCalls} handler calls, ${shape.puts} PutItems (${shape.itemBytes} B each) and ${shape.reads} GetItems per declaration.`);
    const ratio = (real: number, bound: number) => (real / bound).toFixed(2);
    out.push(`real / composite, throughput: ${ratio(full.throughputPerS, composite.throughputPerS)} (writes only), ${ratio(full.throughputPerS, compositeWithReads!.throughputPerS)} (writes + reads); target ≥ 0.6`);
    out.push(`real / composite, CPU per declaration (steadier on a shared machine): ${ratio(composite.cpuMsPerDeclaration, full.cpuMsPerDeclaration)} (writes only), ${ratio(compositeWithReads!.cpuMsPerDeclaration, full.cpuMsPerDeclaration)} (writes + reads)`);
  }
  out.push('');
  out.push('Per declaration (counted by the local runtime):');
  const u = [fullUsage, offeredUsage];
  const lambdaTotal = (x: Usage, key: 'invocations' | 'billedMs') => Object.values(x.lambda).reduce((a, f) => a + f[key], 0);
  const api = (x: Usage, polls: boolean) => Object.entries(x.apiRequests).reduce((a, [route, c]) => a + ((route === POLL_ROUTE) === polls ? c : 0), 0);
  out.push(table(['', 'full speed', 'offered rate'], [
    ['API requests (POST)', ...u.map((x) => api(x, false))],
    ['API requests (GET, parties polling)', ...u.map((x) => api(x, true))],
    ['Step Functions state transitions', ...u.map((x) => x.standardTransitions)],
    ['Lambda invocations', ...u.map((x) => lambdaTotal(x, 'invocations'))],
    ['Lambda billed duration, ms (sum)', ...u.map((x) => lambdaTotal(x, 'billedMs'))],
    ['DynamoDB read requests (GetItem, Query)', ...u.map((x) => x.dynamodb.readRequests)],
    ['DynamoDB write requests (Put, Update, Delete)', ...u.map((x) => x.dynamodb.writeRequests)],
    ['DynamoDB read units (RRU)', ...u.map((x) => x.dynamodb.readUnits)],
    ['DynamoDB write units, table (WRU)', ...u.map((x) => x.dynamodb.writeUnits)],
    ['DynamoDB write units, indexes (WRU)', ...u.map((x) => x.dynamodb.indexWriteUnits)],
    ['DynamoDB index items written', ...u.map((x) => x.dynamodb.indexItemWrites)],
    ['DynamoDB bytes written', ...u.map((x) => x.dynamodb.bytesWritten)],
    ['EventBridge events', ...u.map((x) => x.events.published)],
    ['SQS requests (send, receive, delete)', ...u.map((x) => x.sqsRequests)],
  ]));
  out.push(`transitions by state: ${Object.entries(offeredUsage.transitionsByState).map(([s, c]) => `${s} ${c.toFixed(2)}`).join(', ')}`);
  out.push(`Lambda by function (invocations × billed ms): ${Object.entries(offeredUsage.lambda).map(([f, s]) => `${f} ${s.invocations.toFixed(2)}×${(s.billedMs / s.invocations).toFixed(1)}`).join(', ')}`);
  out.push('');
  out.push(`AWS cost per 1,000 declarations (${prices.region}, on-demand prices of ${prices.checkedOn}, usage of the offered-rate run):`);
  const services = [...new Set(designs.flatMap((d) => d.lines.map((l) => l.service)))];
  out.push(table(
    ['service', ...designs.flatMap((d) => [`${d.design}: quantity`, 'USD'])],
    [
      ...services.map((service) => [service, ...designs.flatMap((d) => {
        const line = d.lines.find((l) => l.service === service);
        return line ? [`${formatQuantity(line.quantity)} ${line.unit}`, usd(line.usd)] : ['-', '-'];
      })]),
      ['total', ...designs.flatMap((d) => ['', usd(d.totalUsd)])],
    ],
  ));
  for (const d of designs) out.push(`  ${d.design}: ${d.description}`);
  out.push(`  API Gateway prices the POSTs plus one read of the result per declaration, not the parties' polls.`);
  return out.join('\n');
}

function formatQuantity(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(value >= 10 ? 1 : 2);
}
