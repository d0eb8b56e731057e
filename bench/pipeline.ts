/**
 * One measured run of the real pipeline (a child process of `bench/e2e.ts`): the whole local
 * runtime with its data on disk, N declarations of the benchmark mix submitted over HTTP — at
 * full speed (a fixed number of declarations in flight) or at an offered rate (open loop) — and
 * simulated parties answering what the workflow waits for, as `scripts/demo-driver.ts` does:
 *  - the declarant submits, and pays a deferred (secured) declaration after its release;
 *  - an officer releases what the risk engine held (inspection: no discrepancy);
 *  - the bank pays a tax notice.
 * A port system learns of releases from the `releases` exception queue. The e-port pushes no
 * notification of a work item or a tax notice yet (a DMSTAX-like push is not built), so the
 * parties are told, in process, when the workflow starts waiting for them (the await-callback
 * step has stored its task token); the bank then reads the amount over the API, once.
 *
 * Usage (by the parent): `node --import tsx --expose-gc bench/pipeline.ts '<spec JSON>'`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRuntime, type LocalPrincipal, type Runtime } from '../infra/local/runtime.js';
import { MemorySampler, percentiles, progressReporter, sleep, type ChildMessage } from './measure.js';
import { diffMetrics } from './metrics.js';
import { BENCH_DATE, workload, type BenchDeclaration } from './workload.js';
import { shiftedClock } from '../infra/local/clock.js';

export interface PipelineSpec {
  mode: 'full' | 'rate';
  n: number;
  /** Declarations in flight at full speed. */
  concurrency: number;
  /** Declarations per second offered in `rate` mode. */
  rate?: number;
  /** Declarations run (and not measured) first, so modules are loaded and code is warm. */
  warmup: number;
}

/** How one declaration went (times in ms from the start of the measured run). */
interface Outcome {
  index: number;
  submittedAt: number;
  releasedAt?: number;
  doneAt?: number;
  held: boolean;
  bankPaidBeforeRelease: boolean;
  insufficientGuarantee: boolean;
  /** Requests of the parties sent again after a refusal (409: the history moved on concurrently). */
  retries: number;
  status: string;
}

/** A declaration not finished after this long counts as failed (the run goes on). */
const GIVE_UP_MS = 120_000;
/** Exception queues drained as their consumers would (releases and failures are acted on). */
const CONSUMED_QUEUES = ['releases', 'officerHolds', 'insufficientGuarantee', 'rejections', 'failures'] as const;

interface Notice {
  released?: number;
  /** The workflow waits for an officer, in this channel. */
  officer?: string;
  /** The workflow waits for the bank. */
  payment?: boolean;
  held?: boolean;
  insufficient?: boolean;
  /** Rejected or failed: the lifecycle ended without a release. */
  ended?: string;
  wake?: () => void;
}

/** What the parties are told, by declaration: releases (drained from the queue every ms) and waits. */
class Notices {
  private readonly byId = new Map<string, Notice>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly runtime: Runtime,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => this.drain(), 1);
  }

  of(id: string): Notice {
    let notice = this.byId.get(id);
    if (!notice) this.byId.set(id, (notice = {}));
    return notice;
  }

  /** Resolves at the next notice about `id` (or after `ms`). */
  next(id: string, ms = GIVE_UP_MS): Promise<void> {
    const notice = this.of(id);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      notice.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** The workflow of `id` waits for an officer or the bank (its task token is stored). */
  awaiting(id: string, kind: string, channel?: string): void {
    const notice = this.of(id);
    if (kind === 'officer') notice.officer = channel ?? 'YELLOW';
    else notice.payment = true;
    this.wake(notice);
  }

  forget(id: string): void {
    this.byId.delete(id);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private wake(notice: Notice): void {
    const wake = notice.wake;
    notice.wake = undefined;
    wake?.();
  }

  private drain(): void {
    for (const queue of CONSUMED_QUEUES) {
      for (let batch = this.runtime.queues.receive(queue, 10); batch.length > 0; batch = this.runtime.queues.receive(queue, 10)) {
        for (const message of batch) {
          const id = (message.body as { detail?: { declarationId?: string } }).detail?.declarationId;
          if (!id) continue;
          const notice = this.of(id);
          if (queue === 'releases') notice.released ??= this.now();
          else if (queue === 'officerHolds') notice.held = true;
          else if (queue === 'insufficientGuarantee') notice.insufficient = true;
          else notice.ended = queue === 'rejections' ? 'REJECTED' : 'FAILED';
          this.wake(notice);
        }
      }
    }
  }
}

/** Tells `notices` when an await-callback step has run: the workflow now waits for someone. */
function observeWaits(runtime: Runtime, notices: Notices): void {
  const invoke = runtime.lambda.invoke.bind(runtime.lambda);
  runtime.lambda.invoke = async (name, payload) => {
    const result = await invoke(name, payload);
    const input = payload as { declarationId?: string; kind?: string; channel?: string };
    if (input?.kind && input.declarationId && runtime.lambda.resolveName(name) === 'awaitCallback') notices.awaiting(input.declarationId, input.kind, input.channel);
    return result;
  };
}

async function main() {
  const spec = JSON.parse(process.argv[2]) as PipelineSpec;
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-bench-'));
  const runtime = await startRuntime({ dataDir, apiPort: 0, endpointPort: 0, clock: shiftedClock(Date.parse(BENCH_DATE) - Date.now()) });
  let t0 = performance.now();
  const clockMs = () => performance.now() - t0;
  const notices = new Notices(runtime, clockMs);
  observeWaits(runtime, notices);
  const api = runtime.apiUrl;
  const lifecycleArn = runtime.stateMachineArns.lifecycle.replace(':stateMachine:', ':execution:');

  // Every request carries a bearer token, as a real client's does: the declarant's for its own
  // declarations, the officer's for decisions.
  // A client signs a token once and sends it until it expires (8 h, longer than any run).
  const tokens = new Map<string, string>();
  const tokenOf = (principal: LocalPrincipal) => {
    const key = `${principal.role}|${principal.org ?? ''}|${principal.sub ?? ''}`;
    let token = tokens.get(key);
    if (!token) tokens.set(key, (token = runtime.token(principal)));
    return token;
  };
  const request = async (principal: LocalPrincipal, method: 'GET' | 'POST', path: string, body?: string, contentType = 'application/json') => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokenOf(principal)}`, ...(body ? { 'content-type': contentType } : {}) };
    const response = await fetch(`${api}${path}`, { method, headers, body });
    return { status: response.status, body: (await response.json()) as any };
  };
  const officer: LocalPrincipal = { role: 'officer', sub: 'bench-officer' };
  const bank: LocalPrincipal = { role: 'bank', sub: 'bench-bank' };

  /** Follows one declaration from submission to the end of its workflow, acting as each party. */
  async function drive(d: BenchDeclaration): Promise<Outcome> {
    const outcome: Outcome = { index: d.index, submittedAt: clockMs(), held: false, bankPaidBeforeRelease: false, insufficientGuarantee: false, retries: 0, status: 'SUBMITTED' };
    const declarant: LocalPrincipal = { role: 'declarant', org: d.declarant };
    const submitted = await request(declarant, 'POST', '/declarations', d.body, d.contentType);
    if (submitted.status !== 202) return { ...outcome, status: `REFUSED ${submitted.status} ${submitted.body.code ?? ''}` };
    const id: string = submitted.body.id;
    const notice = notices.of(id);
    let decided = false;
    let bank = false;
    try {
      while (notice.released === undefined) {
        if (clockMs() - outcome.submittedAt > GIVE_UP_MS) return { ...outcome, status: 'TIMED OUT' };
        if (notice.ended) return { ...outcome, status: notice.ended };
        if (notice.officer && !decided) {
          const decision = notice.officer === 'RED'
            ? { decision: 'INSPECTION_RESULT', officer: 'bench-officer', result: 'NO_DISCREPANCY', reason: 'goods match the declaration' }
            : { decision: 'RELEASE', officer: 'bench-officer', reason: 'documents checked' };
          decided = await accepted(outcome, () => request(officer, 'POST', `/declarations/${id}/decisions`, JSON.stringify(decision)));
          continue;
        }
        if (notice.payment && !bank) {
          const view = (await request(declarant, 'GET', `/declarations/${id}`)).body;
          if (['REJECTED', 'FAILED', 'SEIZED'].includes(view.status)) return { ...outcome, status: view.status };
          bank = await accepted(outcome, () => pay(id, d, view.taxTotal));
          outcome.bankPaidBeforeRelease = bank;
          continue;
        }
        await notices.next(id);
      }
      outcome.releasedAt = notice.released;
      outcome.held = !!notice.held;
      outcome.insufficientGuarantee = !!notice.insufficient;
      if (d.payment === 'DEFERRED' && !bank) {
        // The deferment account or guarantee secured the taxes; the bank pays them later.
        const view = (await request(declarant, 'GET', `/declarations/${id}`)).body;
        if (view.security && !view.payment && view.taxTotal) await accepted(outcome, () => pay(id, d, view.taxTotal));
      }
      const execution = await runtime.stepFunctions.awaitExecution(`${lifecycleArn}:${id}-v1`);
      return { ...outcome, doneAt: clockMs(), status: execution.status === 'SUCCEEDED' ? 'RELEASED' : execution.status };
    } finally {
      notices.forget(id);
    }
  }

  function pay(id: string, d: BenchDeclaration, taxTotal: { amount: string; currency: string }) {
    const payment = { amount: taxTotal.amount, currency: taxTotal.currency, reference: `BANK-${d.lrn}` };
    return request(bank, 'POST', `/declarations/${id}/payments`, JSON.stringify(payment));
  }

  /**
   * Sends a party's request until it is accepted (202) — a 409 means the declaration's history
   * moved on concurrently (a workflow step appended at the same time), which a client retries —
   * at most five times, 50 ms apart; the retries are counted.
   */
  async function accepted(outcome: Outcome, send: () => Promise<{ status: number }>): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const { status } = await send();
      if (status === 202 || status === 200) return true;
      if (attempt === 5) return false;
      outcome.retries += 1;
      await sleep(50);
    }
  }

  const warmup = workload(process.cwd(), 'BW');
  await runAtFullSpeed(spec.warmup, Math.min(8, spec.concurrency), warmup, drive, () => undefined);

  const declaration = workload(process.cwd(), 'BM');
  const memory = new MemorySampler();
  memory.start();
  const before = runtime.metrics();
  const report = progressReporter(spec.n);
  t0 = performance.now();
  const cpuBefore = process.cpuUsage();
  const outcomes = spec.mode === 'full'
    ? await runAtFullSpeed(spec.n, spec.concurrency, declaration, drive, report)
    : await runAtRate(spec.n, spec.rate!, declaration, drive, report);
  const elapsedMs = Math.max(...outcomes.map((o) => o.doneAt ?? o.releasedAt ?? o.submittedAt));
  const cpu = process.cpuUsage(cpuBefore);
  const metrics = diffMetrics(before, runtime.metrics());
  memory.stop();
  notices.stop();
  await runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });

  const completed = outcomes.filter((o) => o.status === 'RELEASED');
  const latency = (selected: Outcome[]) => percentiles(selected.filter((o) => o.releasedAt !== undefined).map((o) => o.releasedAt! - o.submittedAt));
  const green = completed.filter((o) => !o.held);
  const result = {
    kind: 'pipeline',
    spec,
    elapsedS: elapsedMs / 1000,
    throughputPerS: completed.length / (elapsedMs / 1000),
    // CPU time of the process (all its threads) per declaration: unlike throughput, barely
    // moved by other processes sharing the machine.
    cpuMsPerDeclaration: (cpu.user + cpu.system) / 1000 / spec.n,
    completed: completed.length,
    failures: outcomes.filter((o) => o.status !== 'RELEASED').slice(0, 10),
    failureCount: outcomes.length - completed.length,
    mix: {
      green: green.length,
      held: completed.filter((o) => o.held).length,
      bankPaidBeforeRelease: completed.filter((o) => o.bankPaidBeforeRelease).length,
      insufficientGuarantee: completed.filter((o) => o.insufficientGuarantee).length,
      partyRetries: outcomes.reduce((sum, o) => sum + o.retries, 0),
    },
    latencyMs: {
      green: latency(green),
      greenSettledAtOnce: latency(green.filter((o) => !o.bankPaidBeforeRelease)),
      greenBankPaid: latency(green.filter((o) => o.bankPaidBeforeRelease)),
      held: latency(completed.filter((o) => o.held)),
    },
    memory: memory.summary(),
    metrics,
  };
  process.send?.({ type: 'result', result } satisfies ChildMessage);
}

type Drive = (d: BenchDeclaration) => Promise<Outcome>;

/** Closed loop: `concurrency` parties, each starting the next declaration when theirs is done. */
async function runAtFullSpeed(n: number, concurrency: number, declaration: (i: number) => BenchDeclaration, drive: Drive, report: (done: number) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const party = async () => {
    while (next < n) {
      outcomes.push(await drive(declaration(next++)));
      report(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, party));
  return outcomes;
}

/** Open loop: declaration i is submitted at i / rate seconds, whatever is still in flight. */
async function runAtRate(n: number, rate: number, declaration: (i: number) => BenchDeclaration, drive: Drive, report: (done: number) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(drive(declaration(i)).then((outcome) => {
      outcomes.push(outcome);
      report(outcomes.length);
    }));
  }
  await Promise.all(inFlight);
  return outcomes;
}

if (process.argv[1]?.endsWith('pipeline.ts')) {
  await main();
  process.exit(0);
}
