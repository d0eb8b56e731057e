import { parseArgs } from 'node:util';
import type { RiskReport } from '../../functions/domain/risk/index.js';
import { API_OPTIONS, bearer, refusal } from './api-options.js';

/**
 * `clearway risk report --from YYYY-MM-DD --to YYYY-MM-DD [--url http://127.0.0.1:3000] [--token JWT] [--json]`:
 * fetches the risk measurement from the e-port (`GET /risk/report`, as an officer, auditor or
 * admin: `--token`, default `$CLEARWAY_TOKEN`, e.g. from `clearway token --role auditor`) and
 * prints it as tables.
 */
export async function riskReport(args: string[], io: { fetch: typeof fetch; out: (text: string) => void } = { fetch, out: console.log }): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      ...API_OPTIONS,
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.from || !values.to) {
    io.out('usage: clearway risk report --from YYYY-MM-DD --to YYYY-MM-DD [--url URL] [--token JWT] [--json]');
    return 2;
  }
  const query = new URLSearchParams({ from: values.from, to: values.to });
  const response = await io.fetch(`${values.url}/risk/report?${query}`, {
    headers: bearer(values.token),
  });
  const body = await response.json();
  if (!response.ok) {
    io.out(refusal(response.status, body));
    return 1;
  }
  io.out(values.json ? JSON.stringify(body, null, 2) : formatRiskReport(body as RiskReport));
  return 0;
}

/** The report as plain-text tables: baseline, profiles (with lift), channels per lane. */
export function formatRiskReport(report: RiskReport): string {
  const money = (revenue: Record<string, string>) => Object.entries(revenue).map(([currency, amount]) => `${amount} ${currency}`).join(', ') || '-';
  const { baseline } = report;
  return [
    `Risk report ${report.from} – ${report.to}: ${report.declarations} declarations screened`,
    `Random control group: ${baseline.selections} selected, ${baseline.hits} of ${baseline.inspected} inspected with a discrepancy, hit rate ${baseline.hitRate ?? '-'}`,
    '',
    table(
      ['profile', 'versions', 'selections', 'inspected', 'hits', 'hit rate', 'lift', 'revenue found'],
      report.profiles.map((p) => [p.profileId, p.versions.join(','), p.selections, p.inspected, p.hits, p.hitRate ?? '-', p.lift ?? '-', money(p.revenueFound)]),
    ),
    '',
    table(
      ['lane', 'channel', 'declarations', 'actual', 'expected'],
      report.channels.map((c) => [c.lane, c.channel, c.declarations, c.actualRate, c.expectedRate ?? '-']),
    ),
  ].join('\n');
}

/** Rows under a header, each column as wide as its widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
