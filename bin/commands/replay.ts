import { parseArgs } from 'node:util';
import { API_OPTIONS, bearer, refusal } from './api-options.js';

interface Io {
  fetch: typeof fetch;
  out: (text: string) => void;
}

/**
 * `clearway replay <declarationId> [--url URL] [--token JWT] [--json]`: replays the declaration's lifecycle in a
 * sandbox on the platform (`POST /audits/replays`, as an auditor: `--token`) and prints each step identical or diverged,
 * with both values where they differ. Exit code 0 when identical, 1 when diverged or refused.
 */
export async function replay(args: string[], io: Io = { fetch, out: console.log }): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...API_OPTIONS,
      json: { type: 'boolean', default: false },
    },
  });
  const [declarationId] = positionals;
  if (!declarationId) {
    io.out('usage: clearway replay <declarationId> [--url URL] [--token JWT] [--json]');
    return 2;
  }
  const response = await io.fetch(`${values.url}/audits/replays`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(values.token) },
    body: JSON.stringify({ declarationId }),
  });
  const body = (await response.json()) as any;
  if (!response.ok) {
    io.out(refusal(response.status, body));
    return 1;
  }
  io.out(values.json ? JSON.stringify(body, null, 2) : formatReplay(body));
  return body.comparison.outcome === 'IDENTICAL' ? 0 : 1;
}

/** One line per step, then the differences of each diverged step. */
export function formatReplay(report: any): string {
  const lines = [`Replay of ${report.declarationId} (${report.execution}): ${report.comparison.outcome} — ${report.comparison.identical} identical, ${report.comparison.diverged} not; ended ${report.status}${report.waitingFor ? `, waiting for ${report.waitingFor}` : ''}`];
  for (const step of report.comparison.steps) {
    lines.push(`  ${String(step.seq).padStart(3)}  ${step.status.padEnd(12)} ${step.type.padEnd(26)} ${step.step}`);
    for (const d of step.differences ?? []) {
      lines.push(`         ${d.path}: recorded ${JSON.stringify(d.recorded)} → replayed ${JSON.stringify(d.replayed)}`);
    }
  }
  lines.push(`  ${report.eventsNotPublished} events not published; inputs: ${report.inputs.map((i: any) => `${i.type} ${i.how}`).join(', ') || 'none'}`);
  return lines.join('\n');
}
