/**
 * What every benchmark run measures the same way: memory (RSS sampled while it runs), latency
 * percentiles, the progress it reports to the parent process, and the clock it runs on.
 */

/** A run's messages to the parent (`process.send`); the last one is its result. */
export type ChildMessage = { type: 'progress'; done: number; total: number } | { type: 'result'; result: unknown };

/** Sends progress to the parent at most every 200 ms (and always the last step). */
export function progressReporter(total: number): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = performance.now();
    if (done < total && now - last < 200) return;
    last = now;
    process.send?.({ type: 'progress', done, total } satisfies ChildMessage);
  };
}

/** Memory of the process: RSS at the start and end of the measured run (after a GC) and its peak. */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  startMb = 0;
  peakMb = 0;
  endMb = 0;
  heapStartMb = 0;
  heapEndMb = 0;
  externalEndMb = 0;

  start(): void {
    collectGarbage();
    this.startMb = this.peakMb = rssMb();
    this.heapStartMb = heapMb();
    this.timer = setInterval(() => (this.peakMb = Math.max(this.peakMb, rssMb())), 100);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.peakMb = Math.max(this.peakMb, rssMb());
    collectGarbage();
    this.endMb = rssMb();
    this.heapEndMb = heapMb();
    this.externalEndMb = process.memoryUsage().external / 1024 / 1024;
  }

  summary() {
    const round = (mb: number) => Math.round(mb * 10) / 10;
    return { rssStartMb: round(this.startMb), rssPeakMb: round(this.peakMb), rssEndMb: round(this.endMb), heapStartMb: round(this.heapStartMb), heapEndMb: round(this.heapEndMb), externalEndMb: round(this.externalEndMb) };
  }
}

const rssMb = () => process.memoryUsage.rss() / 1024 / 1024;
const heapMb = () => process.memoryUsage().heapUsed / 1024 / 1024;
/** The child runs with `--expose-gc`, so start and end are compared without garbage in them. */
const collectGarbage = () => (globalThis as { gc?: () => void }).gc?.();

export interface Percentiles {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of durations in milliseconds (rounded to 0.1 ms). */
export function percentiles(values: number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const round = (ms: number) => Math.round(ms * 10) / 10;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { count: sorted.length, p50: round(rank(50)), p90: round(rank(90)), p99: round(rank(99)), max: round(sorted.at(-1)!), mean: round(mean) };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
