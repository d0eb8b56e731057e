import { parseWcoMessage, readSubmission } from '../functions/domain/declaration/index.js';
import type { LocalPrincipal } from '../infra/local/runtime.js';

/** Signs a bearer token for a principal (the embedded platform's local identity provider). */
export type TokenIssuer = (principal: LocalPrincipal) => string;

/** An additional message a trader sends after the declaration: an amendment (COR) or a cancellation (INV). */
export interface FollowUp {
  file: string;
  kind: 'AMENDMENT' | 'CANCELLATION';
}

/** One example of examples/manifest.json. */
export interface ExampleEntry {
  file: string;
  submitOn: string;
  source: string;
  expected?: { taxLines: { type: string; code?: string; amount: string; currency: string }[]; total?: string };
  followUps?: FollowUp[];
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
  version?: number;
  taxLines: TaxLineView[];
  /** What the simulated officer and bank did. */
  actions: string[];
  /** What became of each follow-up, in order: e.g. `AMENDMENT → v2 (applied)`. */
  followUps: string[];
  /** The codes of the notifications the declarant pulled for it (GET /notifications), in order. */
  notifications: string[];
  error?: unknown;
}

const TERMINAL = new Set(['RELEASED', 'REJECTED', 'SEIZED', 'CANCELLED', 'FAILED']);

/**
 * Submits one declaration as its declarant and follows it to a terminal status, acting as the
 * officer (release a held declaration, decide a request made after release) and the bank (pay a
 * tax notice through the e-port) when the workflow waits for them. Every call carries a token
 * from `tokens`, as a real client's would.
 *
 * Follow-ups (the example's amendments and cancellation, in `followUps` as XML bodies) are sent
 * as soon as the declaration is at rest — waiting for the bank, or at its end — so each lands at
 * the same point on every run: before settlement it applies at once, after it an officer grants it.
 */
export async function driveToEnd(
  apiUrl: string,
  tokens: TokenIssuer,
  body: string,
  contentType: string,
  followUps: { kind: FollowUp['kind']; body: string }[] = [],
  maxPolls = 2000,
): Promise<DriveResult> {
  const declarant: LocalPrincipal = { role: 'declarant', org: declarantOf(body, contentType) };
  const officer: LocalPrincipal = { role: 'officer', sub: 'demo-officer' };
  const bank: LocalPrincipal = { role: 'bank', sub: 'demo-bank' };
  const call = (method: string, path: string, as: LocalPrincipal, payload?: unknown, type = 'application/json') =>
    fetch(`${apiUrl}${path}`, {
      method,
      headers: { 'content-type': type, authorization: `Bearer ${tokens(as)}` },
      body: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  const submitted = await call('POST', '/declarations', declarant, body, contentType);
  const answer = (await submitted.json()) as { id?: string; code?: string };
  if (!submitted.ok || !answer.id) return { status: `REFUSED ${submitted.status}`, taxLines: [], actions: [], followUps: [], notifications: [], error: answer };
  const id = answer.id;
  const actions: string[] = [];
  const outcomes: string[] = [];
  const pending = [...followUps];
  let paidVersion = 0;
  let releasedVersion = 0;
  for (let poll = 0; poll < maxPolls; poll++) {
    // The demo follows the lifecycle as customs sees it (a declarant is not told of audit selection).
    const view = (await (await call('GET', `/declarations/${id}`, officer)).json()) as any;
    const ended = TERMINAL.has(view.status) && (view.status !== 'RELEASED' || view.auditSelected !== undefined);
    const waitsForBank = view.status === 'AWAITING_PAYMENT' && view.history.at(-1)?.type === 'PaymentAwaited';
    if (pending.length && (ended || waitsForBank) && view.status !== 'CANCELLED') {
      outcomes.push(await sendFollowUp(pending.shift()!, view));
    } else if (ended) {
      const pulled = (await (await call('GET', `/notifications?declarationId=${id}`, declarant)).json()) as { notifications: { code: string }[] };
      const notifications = pulled.notifications.map((n) => n.code);
      return { id, type: view.declaration?.typeCode, channel: view.channel, status: view.status, version: view.version, taxLines: view.taxLines, actions, followUps: outcomes, notifications };
    } else if (view.status === 'HELD' && releasedVersion < view.version) {
      // A declaration held for inspection is released on the inspection's result, any other on the documents.
      const decision = view.channel === 'RED'
        ? { decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', officer: 'demo-officer', reason: 'goods match the declaration' }
        : { decision: 'RELEASE', officer: 'demo-officer', reason: 'documents checked' };
      const r = await call('POST', `/declarations/${id}/decisions`, officer, decision);
      if (r.ok) (releasedVersion = view.version), actions.push('officer');
    } else if (waitsForBank && paidVersion < view.version) {
      const r = await call('POST', `/declarations/${id}/payments`, bank, { amount: view.ledger.balance, currency: view.ledger.currency, reference: `DEMO-${id.slice(0, 8)}-v${view.version}` });
      if (r.ok) (paidVersion = view.version), actions.push('bank');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { id, status: 'TIMED OUT', taxLines: [], actions, followUps: outcomes, notifications: [] };

  /** Sends one follow-up addressed to the declaration's entry number; an officer grants what needs one. */
  async function sendFollowUp(followUp: { kind: FollowUp['kind']; body: string }, view: any): Promise<string> {
    const path = `/declarations/${id}/${followUp.kind === 'AMENDMENT' ? 'amendments' : 'cancellation'}`;
    const sent = await call('POST', path, declarant, addressedTo(followUp.body, view.entryNumber), 'application/xml');
    const result = (await sent.json()) as any;
    if (!sent.ok) return `${followUp.kind} refused ${sent.status} ${result.code}`;
    if (result.outcome === 'APPLIED') return followUp.kind === 'AMENDMENT' ? `${followUp.kind} → v${result.version} (applied)` : `${followUp.kind} → cancelled (applied)`;
    const decided = await call('POST', `/declarations/${id}/decisions`, officer, { decision: 'GRANT', officer: 'demo-officer', reason: 'request checked' });
    if (!decided.ok) return `${followUp.kind} requested, grant failed ${decided.status}`;
    return followUp.kind === 'AMENDMENT' ? `${followUp.kind} → v${view.version + 1} (officer granted)` : `${followUp.kind} → cancelled (officer granted)`;
  }
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
