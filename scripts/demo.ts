/**
 * `npm run demo [-- --json] [-- --url URL]`: pushes every declaration of examples/manifest.json
 * through the whole lifecycle over HTTP, as a trader's software would — answering officer holds
 * as a simulated officer and tax notices as a simulated bank — then prints one row per
 * declaration and compares the tax with the figures the source published.
 *
 * By default on an embedded platform of its own, each example on the date its source gives.
 * With `--url` through a platform already running (`npm start`; its data directory, for the
 * token key and clock, is `$CLEARWAY_DATA_DIR` or .clearway): the examples are submitted on that
 * platform's date, so figures are compared only for examples whose date it is (start it with
 * CLEARWAY_CLOCK_START=<date> to run one on its own date).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalTokenIssuer } from '../infra/local/auth/jwt.js';
import { VirtualClock, platformNow } from '../infra/local/clock.js';
import { issueLocalToken, startRuntime, type Runtime } from '../infra/local/runtime.js';
import { compareTax, driveToEnd, type DriveResult, type ExampleEntry, type TokenIssuer } from './demo-driver.js';

const { values: options } = parseArgs({ options: { json: { type: 'boolean', default: false }, url: { type: 'string' } } });
const asJson = options.json;
const manifest = JSON.parse(readFileSync('examples/manifest.json', 'utf8')) as ExampleEntry[];
const ordered = [...manifest].sort((a, b) => a.submitOn.localeCompare(b.submitOn));

/** Where the examples go, whose tokens they carry, and the day each is submitted on. */
interface Target {
  apiUrl: string;
  tokens: TokenIssuer;
  /** Moves the platform to the example's date, or says the date it is submitted on. */
  dateFor(entry: ExampleEntry): string;
  stop(): Promise<void>;
}

async function embedded(): Promise<Target> {
  // Each example is submitted on the date its source gives (it binds law, tariff and FX); the
  // clock only moves when the demo sets it, so no deadline passes while a step is waiting.
  const clock = new VirtualClock({ start: Date.parse(`${ordered[0].submitOn}T02:00:00Z`), autoAdvance: false });
  const runtime: Runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
  return {
    apiUrl: runtime.apiUrl,
    tokens: runtime.token,
    dateFor: (entry) => (clock.set(Date.parse(`${entry.submitOn}T02:00:00Z`)), entry.submitOn),
    stop: () => runtime.stop(),
  };
}

function running(apiUrl: string): Target {
  const dataDir = resolve(process.env.CLEARWAY_DATA_DIR ?? '.clearway');
  const issuer = LocalTokenIssuer.ofPlatform(dataDir);
  return {
    apiUrl: apiUrl.replace(/\/$/, ''),
    tokens: (principal) => issueLocalToken(issuer, principal, platformNow(dataDir)),
    dateFor: () => new Date(platformNow(dataDir)).toISOString().slice(0, 10),
    stop: async () => undefined,
  };
}

const target = options.url ? running(options.url) : await embedded();
const rows: (DriveResult & { example: string; submitOn: string; check: string })[] = [];
try {
  for (const entry of ordered) {
    const submittedOn = target.dateFor(entry);
    const body = readFileSync(join('examples', entry.file), 'utf8');
    const followUps = (entry.followUps ?? []).map((f) => ({ kind: f.kind, body: readFileSync(join('examples', f.file), 'utf8') }));
    const result = await driveToEnd(target.apiUrl, target.tokens, body, entry.file.endsWith('.xml') ? 'application/xml' : 'application/json', followUps);
    const check = submittedOn === entry.submitOn ? compareTax(entry, result) : `not compared: submitted on ${submittedOn}, the source's date is ${entry.submitOn}`;
    rows.push({ example: entry.file, submitOn: entry.submitOn, ...result, check });
  }
} finally {
  await target.stop();
}

if (asJson) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const table = rows.map((r) => ({
    example: r.example.replace(/^.*\//, '').replace(/\.(xml|json)$/, ''),
    id: r.id?.slice(0, 8) ?? '-',
    type: r.type ?? '-',
    channel: r.channel ?? '-',
    'tax lines': r.taxLines.map((l) => `${l.code ?? l.type} ${l.amount} ${l.currency}`).join(', ') || '-',
    status: r.status,
    version: String(r.version ?? '-'),
    check: r.check,
  }));
  const columns = Object.keys(table[0]) as (keyof (typeof table)[0])[];
  const width = (c: (typeof columns)[number]) => Math.max(c.length, ...table.map((row) => row[c].length));
  const line = (cells: Record<string, string>) => columns.map((c) => cells[c].padEnd(width(c))).join('  ');
  console.log(line(Object.fromEntries(columns.map((c) => [c, c]))));
  for (const row of table) console.log(line(row));
  const followed = rows.filter((r) => r.followUps.length);
  if (followed.length) {
    console.log('\nAdditional messages (examples/manifest.json followUps), addressed to the entry number the platform gave:');
    for (const r of followed) console.log(`  ${r.example.replace(/^.*\//, '').replace(/\.(xml|json)$/, '')}: ${r.followUps.join('; ')}`);
  }
  const failed = rows.filter((r) => r.check.startsWith('MISMATCH')).length;
  console.log('\nNotifications each declarant pulled (GET /notifications, CDS DMS codes):');
  for (const r of rows.filter((row) => row.notifications.length)) {
    console.log(`  ${r.example.replace(/^.*\//, '').replace(/\.(xml|json)$/, '').padEnd(16)} ${r.notifications.join(' ')}`);
  }
  // Every final status the run reached, so the counts add up to the declarations.
  const statuses = new Map<string, number>();
  for (const r of rows) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  const outcomes = [...statuses].map(([status, n]) => `${n} ${status.toLowerCase()}`).join(', ');
  console.log(`\n${rows.length} declarations: ${outcomes}; ${failed} with figures that differ from the source`);
}
// A figure that differs from its source, or a declaration the e-port refused outright (a
// token the platform does not accept, a body it cannot read), is a failed demo.
process.exit(rows.some((r) => r.check.startsWith('MISMATCH') || r.status.startsWith('REFUSED')) ? 1 : 0);
