/**
 * `npm run bench:replay [-- --count 10000 --concurrency 8 --store-concurrency 8]`: how long replaying
 * stored declarations takes locally. Stores `count` declarations through the real local platform
 * (HTTP API with bearer tokens, lifecycle workflow, dynalite in memory; each one CN-2 with its own
 * LRN, secured on its guarantee account so no bank is needed; an officer releases the few the random
 * control group holds), waiting for each lifecycle execution to end; then replays every one of them in the sandbox,
 * reading its history from the store, `concurrency` at a time, and prints the time, the rate and
 * whether all were identical. A benchmark, not a test: nothing here asserts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { referenceCatalog } from '../functions/adapters/files/reference-catalog.js';
import { replayDeclaration } from '../functions/replay/replay.js';
import { declarationStore, riskStore } from '../functions/shared/dependencies.js';
import { VirtualClock } from '../infra/local/clock.js';
import { startRuntime } from '../infra/local/runtime.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '8' },
    'store-concurrency': { type: 'string', default: '8' },
  },
});
const count = Number(values.count);
const concurrency = Number(values.concurrency);
const storeConcurrency = Number(values['store-concurrency']);

const clock = new VirtualClock({ start: Date.parse('2025-06-10T02:00:00Z'), autoAdvance: false });
const runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
const template = JSON.parse(readFileSync('examples/cn/CN-2.json', 'utf8'));
// CN-2 secures its taxes on a guarantee account: raise its limit so 10,000 declarations fit.
const account = referenceCatalog().payment.accounts.find((a) => a.id === template.payment.account);
if (account) account.limit = '1000000000000';
// Tokens are valid from the runtime clock's now, which stands still: issued once.
const declarant = runtime.token({ role: 'declarant', org: template.declarant.id });
const officer = runtime.token({ role: 'officer' });
const executionArn = (id: string) => `${runtime.stateMachineArns.lifecycle.replace(':stateMachine:', ':execution:')}:${id}-v1`;

async function call(method: string, path: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(`${runtime.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return response.json();
}

/**
 * One declaration through its lifecycle: submitted over HTTP, its execution awaited in-process; the
 * few the random control group holds (RP-RANDOM) are released by an officer over HTTP, looked at
 * every 20 ms only while the execution runs (polling every declaration every 2 ms starved the platform).
 */
async function store(n: number): Promise<string> {
  const { id } = await call('POST', '/declarations', declarant, { ...template, lrn: `BENCH-${String(n).padStart(6, '0')}` });
  if (!id) throw new Error(`submission ${n} refused`);
  const done = runtime.stepFunctions.awaitExecution(executionArn(id));
  let released = false;
  for (;;) {
    const ended = await Promise.race([done, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 20))]);
    if (ended) {
      if (ended.status !== 'SUCCEEDED') throw new Error(`declaration ${id} ended ${ended.status}: ${ended.error} ${ended.cause}`);
      return id;
    }
    if (!released && (await call('GET', `/declarations/${id}`, officer)).status === 'HELD') {
      await call('POST', `/declarations/${id}/decisions`, officer, { decision: 'RELEASE', officer: 'bench-officer', reason: 'documents checked' });
      released = true;
    }
  }
}

async function pool<T>(items: number, width: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(items);
  let next = 0;
  let done = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items) {
      const i = next++;
      results[i] = await work(i);
      if (++done % 500 === 0) process.stderr.write(`\r  ${done}/${items}`);
    }
  }));
  process.stderr.write('\n');
  return results;
}

try {
  const seeding = performance.now();
  const cpuSeeding = process.cpuUsage();
  console.log(`storing ${count} declarations through the local platform, ${storeConcurrency} at a time…`);
  const ids = await pool(count, storeConcurrency, store);
  const stored = (performance.now() - seeding) / 1000;
  const seedCpu = process.cpuUsage(cpuSeeding);
  console.log(`stored ${count} in ${stored.toFixed(1)} s (${(count / stored).toFixed(1)} per second, ${((seedCpu.user + seedCpu.system) / 1e3 / count).toFixed(1)} ms CPU each)`);

  const live = { catalog: referenceCatalog(), profileVersions: await riskStore().profileVersions() };
  console.log(`replaying ${count} declarations, ${concurrency} at a time…`);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const outcomes = await pool(count, concurrency, async (i) => {
    const result = await replayDeclaration(await declarationStore().getHistory(ids[i]), live);
    return result.comparison.outcome;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const identical = outcomes.filter((o) => o === 'IDENTICAL').length;
  console.log(
    `replayed ${count} declarations in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} per second, ${((seconds * 1000) / count).toFixed(2)} ms each; ` +
      `${((cpuSeconds * 1000) / count).toFixed(2)} ms CPU each); ${identical} identical, ${count - identical} diverged`,
  );
} finally {
  await runtime.stop();
}
process.exit(0);
