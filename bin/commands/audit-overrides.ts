import { parseArgs } from 'node:util';
import type { OverrideReport } from '../../functions/domain/audit/overrides.js';
import { API_OPTIONS, bearer, refusal } from './api-options.js';
import { table } from './risk-report.js';

/**
 * `clearway audit overrides --from YYYY-MM-DD --to YYYY-MM-DD [--url URL] [--token JWT] [--json]`:
 * fetches the officers' overrides of the risk engine (`GET /audits/overrides`, as an auditor or
 * admin: `--token`, default `$CLEARWAY_TOKEN`) and prints them per officer and one line each.
 */
export async function auditOverrides(args: string[], io: { fetch: typeof fetch; out: (text: string) => void } = { fetch, out: console.log }): Promise<number> {
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
    io.out('usage: clearway audit overrides --from YYYY-MM-DD --to YYYY-MM-DD [--url URL] [--token JWT] [--json]');
    return 2;
  }
  const query = new URLSearchParams({ from: values.from, to: values.to });
  const response = await io.fetch(`${values.url}/audits/overrides?${query}`, { headers: bearer(values.token) });
  const body = await response.json();
  if (!response.ok) {
    io.out(refusal(response.status, body));
    return 1;
  }
  io.out(values.json ? JSON.stringify(body, null, 2) : formatOverrides(body as OverrideReport));
  return 0;
}

/** The report as plain text: totals, a table per officer, then one row per overriding decision. */
export function formatOverrides(report: OverrideReport): string {
  const overrides = report.overrides.length;
  return [
    `Officers' overrides of the risk engine ${report.from} – ${report.to}: ${overrides} of ${report.decisions} decisions`,
    '',
    table(
      ['officer', 'decisions', 'overrides', 'released w/o discrepancy', 'selected in stand-by', 'after escalation'],
      Object.entries(report.byOfficer)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([officer, t]) => [officer, t.decisions, t.overrides, t.byKind.RELEASED_WITHOUT_DISCREPANCY ?? 0, t.byKind.SELECTED_DURING_STAND_BY ?? 0, t.byKind.DECIDED_AFTER_ESCALATION ?? 0]),
    ),
    '',
    table(
      ['decided at', 'officer', 'declaration', 'engine', 'decision', 'kinds', 'reason'],
      report.overrides.map((o) => [
        o.decidedAt, o.officer, o.declarationId, o.screening?.channel ?? o.engineChannel ?? '-',
        o.result ? `${o.decision} ${o.result}` : o.decision, o.kinds.join(','), o.reason ?? '',
      ]),
    ),
  ].join('\n');
}
