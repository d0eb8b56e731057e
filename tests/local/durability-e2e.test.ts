/**
 * The platform survives `kill -9`: run in a process of its own on a data directory, killed
 * while a declaration waits for the bank's payment (a `.waitForTaskToken` task whose token the
 * workflow stored in DynamoDB) and while another execution sits in a Wait state, then started
 * again on the same data directory. The token issued before the crash completes the payment
 * after it, the Wait whose time passed while the process was down fires on start, and nothing
 * is lost or done twice — in the declaration's hash-chained history or in the executions'.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTokenIssuer } from '../../infra/local/auth/jwt.js';
import { issueLocalToken } from '../../infra/local/runtime.js';
import { Api, exampleJson, finished } from '../support/platform.js';

interface Platform {
  child: ChildProcess;
  api: Api;
  sfn: SFNClient;
}

const dataDir = mkdtempSync(join(tmpdir(), 'clearway-durability-'));
// Every start runs on the same shifted wall clock: CN-1 is completed on 2025-05-20 (its worked example).
const offset = Date.parse('2025-05-20T02:00:00Z') - Date.now();
const started: ChildProcess[] = [];

/** Starts the platform process on the data directory and waits until it listens. */
async function boot(): Promise<Platform> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/platform-process.ts'], {
    env: { ...process.env, CLEARWAY_DATA_DIR: dataDir, CLEARWAY_CLOCK_OFFSET_MS: String(offset) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const lines = createInterface({ input: child.stdout! });
  const urls = await new Promise<{ apiUrl: string; endpointUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the platform exited with ${code} before listening`)));
    lines.on('line', (line) => {
      if (line.startsWith('{')) resolve(JSON.parse(line));
    });
  });
  const sfn = new SFNClient({ endpoint: urls.endpointUrl, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // Tokens signed with the platform's key under the data directory, on its shifted clock.
  const issuer = LocalTokenIssuer.fromDataDir(dataDir);
  return { child, api: new Api(urls.apiUrl, (principal) => issueLocalToken(issuer, principal, Date.now() + offset)), sfn };
}

/** `kill -9`: no shutdown, no flush, nothing. */
async function crash(platform: Platform): Promise<void> {
  platform.sfn.destroy();
  const exited = new Promise((resolve) => platform.child.once('exit', resolve));
  platform.child.kill('SIGKILL');
  await exited;
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;
}

const countOf = (types: string[], type: string) => types.filter((t) => t === type).length;

let before: Platform;
let after: Platform;
let declarationId: string;
let waitArn: string;
let lifecycleArn: string;

beforeAll(async () => {
  before = await boot();
});
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  after?.sfn.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the platform killed with -9 and started again on the same data directory', () => {
  it('has a declaration waiting for the bank and an execution in a Wait state before the crash', async () => {
    declarationId = (await before.api.post('/declarations', exampleJson('cn/CN-1.json'))).body.id;
    const view = await before.api.until(declarationId, (v) => v.status === 'AWAITING_PAYMENT');
    expect(view.taxTotal).toEqual({ amount: '172530.00', currency: 'CNY' });

    const { stateMachineArn } = await before.sfn.send(new CreateStateMachineCommand({
      name: 'cooling-off',
      roleArn: 'arn:aws:iam::000000000000:role/local',
      definition: JSON.stringify({ StartAt: 'CoolingOff', States: { CoolingOff: { Type: 'Wait', Seconds: 2, Next: 'Done' }, Done: { Type: 'Pass', Result: 'cooled', End: true } } }),
    }));
    waitArn = (await before.sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'cool-1', input: '{}' }))).executionArn!;
    await expect.poll(async () => (await history(before.sfn, waitArn)).map((e) => e.type)).toContain('WaitStateEntered');
    lifecycleArn = `arn:aws:states:us-east-1:000000000000:execution:clearway-lifecycle:${declarationId}-v1`;
    await expect.poll(async () => (await history(before.sfn, lifecycleArn)).map((e) => e.type)).toContain('TaskSubmitted');
  });

  it('starts again after kill -9 with both executions still running', async () => {
    await crash(before);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // the Wait's time passes while the process is down
    after = await boot();
    expect((await after.sfn.send(new DescribeExecutionCommand({ executionArn: lifecycleArn }))).status).toBe('RUNNING');
  });

  it('fires the Wait whose time passed while the process was down, once', async () => {
    await expect.poll(async () => (await after.sfn.send(new DescribeExecutionCommand({ executionArn: waitArn }))).status, { timeout: 10_000 }).toBe('SUCCEEDED');
    const events = await history(after.sfn, waitArn);
    const types = events.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const waited = events[2].timestamp!.getTime() - events[1].timestamp!.getTime();
    expect(waited).toBeGreaterThanOrEqual(2000);
    events.forEach((e, i) => expect(e.id).toBe(i + 1));
  });

  it('takes the bank payment with the task token issued before the crash and releases the goods', async () => {
    const paid = await after.api.post(`/declarations/${declarationId}/payments`, { amount: '172530.00', currency: 'CNY', reference: 'BANK-DURABLE-1' });
    expect(paid.status).toBe(202);
    const view = await after.api.until(declarationId, finished);
    expect(view.status).toBe('RELEASED');
  });

  it('did nothing twice: every lifecycle step once in the declaration history and in the execution history', async () => {
    const view = (await after.api.get(`/declarations/${declarationId}`)).body;
    const types: string[] = view.history.map((e: { type: string }) => e.type);
    for (const type of new Set(types)) expect(countOf(types, type), type).toBe(1);
    expect(types).toEqual(expect.arrayContaining(['DeclarationAccepted', 'TaxAssessed', 'PaymentAwaited', 'PaymentReceived', 'DeclarationReleased']));

    const events = await history(after.sfn, lifecycleArn);
    const entered = events.filter((e) => e.type!.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);
    for (const name of new Set(entered)) expect(countOf(entered, name), name).toBe(1);
    expect(countOf(events.map((e) => e.type!), 'ExecutionStarted')).toBe(1);
    expect(events.at(-1)!.type).toBe('ExecutionSucceeded');
    events.forEach((e, i) => expect(e.id).toBe(i + 1));
  });
});
