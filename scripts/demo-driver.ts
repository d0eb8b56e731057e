import { parseWcoMessage, readSubmission } from '../functions/domain/declaration/index.js';
import type { LocalPrincipal } from '../infra/local/runtime.js';

/** Signs a bearer token for a principal (the embedded platform's local identity provider). */
export type TokenIssuer = (principal: LocalPrincipal) => string;

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
 * Submits one declaration as its declarant and follows it to a terminal status, acting as the
 * officer (release a held declaration) and the bank (pay a tax notice through the e-port) when
 * the workflow waits for them. Every call carries a token from `tokens`, as a real client's would.
 */
export async function driveToEnd(apiUrl: string, tokens: TokenIssuer, body: string, contentType: string, maxPolls = 2000): Promise<DriveResult> {
  const declarant: LocalPrincipal = { role: 'declarant', org: declarantOf(body, contentType) };
  const officer: LocalPrincipal = { role: 'officer', sub: 'demo-officer' };
  const submitted = await fetch(`${apiUrl}/declarations`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${tokens(declarant)}` },
    body,
  });
  const answer = (await submitted.json()) as { id?: string; code?: string };
  if (!submitted.ok || !answer.id) return { status: `REFUSED ${submitted.status}`, taxLines: [], actions: [], error: answer };
  const actions: string[] = [];
  const post = (url: string, as: LocalPrincipal, payload: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens(as)}` }, body: JSON.stringify(payload) });
  for (let poll = 0; poll < maxPolls; poll++) {
    const view = (await (await fetch(`${apiUrl}/declarations/${answer.id}`, { headers: { authorization: `Bearer ${tokens(declarant)}` } })).json()) as any;
    const done = TERMINAL.has(view.status) && (view.status !== 'RELEASED' || view.auditSelected !== undefined);
    if (done) {
      return { id: view.id, type: view.declaration?.typeCode, channel: view.channel, status: view.status, taxLines: view.taxLines, actions };
    }
    if (view.status === 'HELD' && !actions.includes('officer')) {
      const r = await post(`${apiUrl}/declarations/${answer.id}/decisions`, officer, { decision: 'RELEASE', officer: 'demo-officer', reason: 'documents checked' });
      if (r.ok) actions.push('officer');
    } else if (view.status === 'AWAITING_PAYMENT' && view.taxTotal && !actions.includes('bank')) {
      const r = await post(`${apiUrl}/declarations/${answer.id}/payments`, declarant, { amount: view.taxTotal.amount, currency: view.taxTotal.currency, reference: `DEMO-${answer.id.slice(0, 8)}` });
      if (r.ok) actions.push('bank');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { id: answer.id, status: 'TIMED OUT', taxLines: [], actions };
}

/** The declarant a submission names: the demo lodges each example as that organisation. */
function declarantOf(body: string, contentType: string): string | undefined {
  try {
    return readSubmission(body, contentType).declaration.declarant.id;
  } catch {
    return undefined;
  }
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

/**
 * A WCO DMS additional message (COR, INV) addressed to the declaration Clearway accepted: its
 * `/Declaration/ID` names the MRN HMRC gave the sample's declaration in HMRC's test run, so a
 * trader's software quotes the entry number this platform gave instead (from its acceptance
 * notification), and leaves everything else as HMRC published it.
 */
export function addressedTo(message: string, entryNumber: string): string {
  const quoted = parseWcoMessage(message);
  if (quoted.kind === 'DECLARATION') throw new Error('not an additional message');
  return message.replace(`<ID>${quoted.declarationId}</ID>`, `<ID>${entryNumber}</ID>`);
}
