/**
 * `npm run bench:replay [-- --count 10000 --concurrency 8]`: how long replaying stored
 * declarations takes locally. Stores `count` declarations through the real local platform
 * (HTTP API, lifecycle workflow, dynalite in memory; each one CN-2 with its own LRN, paid by a
 * simulated bank), then replays every one of them in the sandbox, reading its history from the
 * store, `concurrency` at a time, and prints the time, the rate and whether all were identical.
 * A benchmark, not a test: nothing here asserts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { referenceCatalog } from '../functions/adapters/files/reference-catalog.js';
import { replayDeclaration } from '../functions/replay/replay.js';
import { declarationStore, riskStore } from '../functions/shared/dependencies.js';
import { VirtualClock } from '../infra/local/clock.js';
import { startRuntime } from '../infra/local/runtime.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '8' } } });
const count = Number(values.count);
const concurrency = Number(values.concurrency);

const clock = new VirtualClock({ start: Date.parse('2025-06-10T02:00:00Z'), autoAdvance: false });
const runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
const template = JSON.parse(readFileSync('examples/cn/CN-2.json', 'utf8'));

async function post(path: string, body: unknown) {
  const response = await fetch(`${runtime.apiUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as any;
}

/** One declaration through its lifecycle: submit, then pay the tax notice when it waits for the bank. */
async function store(n: number): Promise<string> {
  const { id } = await post('/declarations', { ...template, lrn: `BENCH-${String(n).padStart(6, '0')}` });
  for (;;) {
    const view = (await (await fetch(`${runtime.apiUrl}/declarations/${id}`)).json()) as any;
    if (view.status === 'RELEASED' && view.auditSelected !== undefined) return id;
    if (view.status === 'AWAITING_PAYMENT' && view.taxTotal && !view.payment) {
      await post(`/declarations/${id}/payments`, { amount: view.taxTotal.amount, currency: view.taxTotal.currency, reference: `BANK-${n}` });
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
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
  console.log(`storing ${count} declarations through the local platform…`);
  const ids = await pool(count, 32, store);
  console.log(`stored ${count} in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const live = { catalog: referenceCatalog(), profileVersions: await riskStore().profileVersions() };
  console.log(`replaying ${count} declarations, ${concurrency} at a time…`);
  const started = performance.now();
  const outcomes = await pool(count, concurrency, async (i) => {
    const result = await replayDeclaration(await declarationStore().getHistory(ids[i]), live);
    return result.comparison.outcome;
  });
  const seconds = (performance.now() - started) / 1000;
  const identical = outcomes.filter((o) => o === 'IDENTICAL').length;
  console.log(`replayed ${count} declarations in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} per second, ${((seconds * 1000) / count).toFixed(2)} ms each); ${identical} identical, ${count - identical} diverged`);
} finally {
  await runtime.stop();
}
process.exit(0);
