import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { API_OPTIONS, bearer, refusal } from './api-options.js';

interface Io {
  fetch: typeof fetch;
  out: (text: string) => void;
  /** Where the progress bar goes (a terminal's stderr); redrawn in place. */
  progress: (text: string) => void;
  sleep: (ms: number) => Promise<void>;
}

const defaultIo: Io = {
  fetch,
  out: console.log,
  progress: (text) => process.stderr.write(`\r${text}`),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * `clearway what-if --from D --to D [--trader ID] [--chapter NN] [--channel C] [--tax FILE]… [--profiles FILE] [--url URL] [--token JWT] [--json]`:
 * starts a what-if on the platform (`POST /audits/what-if`) with reference-data files (tariff
 * lines, VAT, FX, rules as in `reference-data/`) and/or a risk profile set (a profiles.json),
 * draws a progress bar while the declarations replay, and prints the channel changes, revenue
 * effect and profile hits.
 */
export async function whatIf(args: string[], io: Io = defaultIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      trader: { type: 'string' },
      chapter: { type: 'string' },
      channel: { type: 'string' },
      tax: { type: 'string', multiple: true },
      profiles: { type: 'string' },
      ...API_OPTIONS,
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.from || !values.to || (!values.tax && !values.profiles)) {
    io.out('usage: clearway what-if --from YYYY-MM-DD --to YYYY-MM-DD [--trader ID] [--chapter NN] [--channel C] (--tax FILE… | --profiles FILE) [--url URL] [--token JWT] [--json]');
    return 2;
  }
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
  const request = {
    selection: { from: values.from, to: values.to, traderId: values.trader, hsChapter: values.chapter, channel: values.channel },
    overrides: {
      ...(values.tax ? { tax: values.tax.map(read) } : {}),
      ...(values.profiles ? { riskProfiles: read(values.profiles).profiles } : {}),
    },
  };
  const started = await io.fetch(`${values.url}/audits/what-if`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(values.token) }, body: JSON.stringify(request) });
  const answer = (await started.json()) as any;
  if (!started.ok) {
    io.out(refusal(started.status, answer));
    return 1;
  }
  let campaign: any;
  for (;;) {
    campaign = await (await io.fetch(`${values.url}/audits/what-if/${answer.id}`, { headers: bearer(values.token) })).json();
    io.progress(progressBar(campaign.done ?? 0, campaign.total));
    if (campaign.status === 'DONE') break;
    await io.sleep(200);
  }
  io.progress('\n');
  io.out(values.json ? JSON.stringify(campaign, null, 2) : formatWhatIf(campaign));
  return 0;
}

/** `[#########-----------]  45/100 replayed` (total unknown until the selection step ran). */
export function progressBar(done: number, total: number | undefined, width = 30): string {
  if (total === undefined) return `[${'-'.repeat(width)}] selecting…`;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} replayed`;
}

/** The summary, then one line per declaration whose channel or tax moved. */
export function formatWhatIf(campaign: any): string {
  const { summary } = campaign;
  const lines = [
    `What-if ${campaign.id}: ${summary.declarations} declarations (${summary.unassessed} not assessed)`,
    `  revenue effect: ${Object.entries(summary.revenueEffect).map(([c, a]) => `${a} ${c}`).join(', ') || '0'}`,
    `  channel changes: ${Object.entries(summary.channelChanges).map(([m, n]) => `${m} ×${n}`).join(', ') || 'none'}`,
    `  profile hits (recorded → what-if): ${Object.entries(summary.profileHits).map(([p, h]: [string, any]) => `${p} ${h.recorded}→${h.replayed}`).join(', ') || 'none'}`,
  ];
  for (const o of campaign.outcomes ?? []) {
    const moved = o.taxLines.filter((l: any) => l.delta !== '0.00');
    if (!o.channel.changed && moved.length === 0) continue;
    lines.push(`  ${o.declarationId}  ${o.channel.recorded}→${o.channel.replayed}  ${moved.map((l: any) => `${l.code ?? l.type}#${l.itemSequence} ${l.recorded}→${l.replayed} (${l.delta} ${l.currency})`).join(', ')}`);
  }
  return lines.join('\n');
}
