/**
 * Measurement helpers for the ASL interpreter benchmark (`npm run bench:asl`): run a workload at
 * a fixed concurrency and report executions per second, sample resident memory, print a table.
 * Timing lives here, never in tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One workload: starts one execution and resolves when it has finished. */
export type RunOne = (index: number) => Promise<void>;

/** The outcome of {@link measureThroughput}. */
export interface Throughput {
  executions: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds this process used (user + system). */
  cpuSeconds: number;
  executionsPerSecond: number;
  /**
   * Executions per CPU second: what one core does when it does nothing else. The machine the
   * benchmark runs on may be shared; CPU time is far less disturbed by other processes than
   * wall-clock time, so comparisons use this figure.
   */
  executionsPerCpuSecond: number;
}

/**
 * Runs `count` executions, `concurrency` at a time, after `warmup` executions that are not
 * timed (so the JIT has compiled the hot path), and reports executions per second.
 */
export async function measureThroughput(run: RunOne, options: { count: number; concurrency: number; warmup?: number }): Promise<Throughput> {
  await runMany(run, options.warmup ?? Math.min(2_000, options.count), options.concurrency, 0);
  (globalThis as { gc?: () => void }).gc?.();
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  await runMany(run, options.count, options.concurrency, 1_000_000);
  const used = process.cpuUsage(cpu);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { executions: options.count, seconds, cpuSeconds, executionsPerSecond: options.count / seconds, executionsPerCpuSecond: options.count / cpuSeconds };
}

/** The run with the median executions per CPU second among `rounds` measurements. */
export function median(rounds: Throughput[]): Throughput {
  return [...rounds].sort((a, b) => a.executionsPerCpuSecond - b.executionsPerCpuSecond)[Math.floor(rounds.length / 2)];
}

/** Runs `count` executions with at most `concurrency` in flight; `offset` keeps indexes unique. */
export async function runMany(run: RunOne, count: number, concurrency: number, offset: number, onProgress?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      await run(offset + index);
      done++;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Resident set size in MB, after a full GC when the process runs with `--expose-gc`. */
export function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Prints rows as an aligned text table (first row = header). */
export function printTable(rows: (string | number)[][]): void {
  const text = rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = text[0].map((_, c) => Math.max(...text.map((row) => row[c]?.length ?? 0)));
  text.forEach((row, r) => {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
    if (r === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

function formatNumber(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** Writes `bench/results/<name>.json` (git-ignored) and returns its path. */
export function writeResult(benchDir: string, name: string, result: unknown): string {
  const dir = join(benchDir, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
