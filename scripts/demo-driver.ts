/** One example of examples/manifest.json. */
export interface ExampleEntry {
  file: string;
  submitOn: string;
  source: string;
  expected?: { taxLines: { type: string; code?: string; amount: string; currency: string }[]; total?: string };
}

export interface TaxLineView {
  type: string;
  code?: string;
  base: string;
  rate: string;
  amount: string;
  currency: string;
}

export interface DriveResult {
  id?: string;
  type?: string;
  channel?: string;
  status: string;
  taxLines: TaxLineView[];
  /** What the simulated officer and bank did. */
  actions: string[];
  error?: unknown;
}

const TERMINAL = new Set(['RELEASED', 'REJECTED', 'FAILED']);

/**
 * Submits one declaration and follows it to a terminal status, acting as the officer (release
 * a held declaration) and the bank (pay a tax notice) when the workflow waits for them.
 */
export async function driveToEnd(apiUrl: string, body: string, contentType: string, maxPolls = 2000): Promise<DriveResult> {
  const submitted = await fetch(`${apiUrl}/declarations`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const answer = (await submitted.json()) as { id?: string; code?: string };
  if (!submitted.ok || !answer.id) return { status: `REFUSED ${submitted.status}`, taxLines: [], actions: [], error: answer };
  const actions: string[] = [];
  for (let poll = 0; poll < maxPolls; poll++) {
    const view = (await (await fetch(`${apiUrl}/declarations/${answer.id}`)).json()) as any;
    const done = TERMINAL.has(view.status) && (view.status !== 'RELEASED' || view.auditSelected !== undefined);
    if (done) {
      return { id: view.id, type: view.declaration?.typeCode, channel: view.channel, status: view.status, taxLines: view.taxLines, actions };
    }
    if (view.status === 'HELD' && !actions.includes('officer')) {
      const r = await post(`${apiUrl}/declarations/${answer.id}/decisions`, { decision: 'RELEASE', officer: 'demo-officer', reason: 'documents checked' });
      if (r.ok) actions.push('officer');
    } else if (view.status === 'AWAITING_PAYMENT' && view.taxTotal && !actions.includes('bank')) {
      const r = await post(`${apiUrl}/declarations/${answer.id}/payments`, { amount: view.taxTotal.amount, currency: view.taxTotal.currency, reference: `DEMO-${answer.id.slice(0, 8)}` });
      if (r.ok) actions.push('bank');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { id: answer.id, status: 'TIMED OUT', taxLines: [], actions };
}

function post(url: string, body: unknown) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Compares the assessed tax with the published figures, per tax type (and code where given). */
export function compareTax(entry: ExampleEntry, result: DriveResult): string {
  if (!entry.expected) return 'no published figures';
  const sum = (lines: { type: string; code?: string; amount: string }[]) => {
    const totals = new Map<string, number>();
    // Cents as integers: exact for the comparison.
    for (const l of lines) totals.set(l.code ?? l.type, (totals.get(l.code ?? l.type) ?? 0) + Math.round(Number(l.amount) * 100));
    return totals;
  };
  const expected = sum(entry.expected.taxLines);
  const actual = sum(result.taxLines.map((l) => ({ ...l, type: entry.expected!.taxLines.some((e) => e.code) ? l.code ?? l.type : l.type, code: undefined })));
  const diffs = [...expected].filter(([key, cents]) => actual.get(key) !== cents).map(([key, cents]) => `${key} ${(actual.get(key) ?? 0) / 100} ≠ ${cents / 100}`);
  return diffs.length ? `MISMATCH ${diffs.join('; ')}` : 'matches source';
}
