import { amendmentEntries, postReleaseAmendmentEffect, refuseCorrectionAfterAudit, reissuedHold } from '../domain/audit/amendment-effect.js';
import { projectCase } from '../domain/audit/case.js';
import { clockFacts } from '../domain/audit/limitation.js';
import type { Declaration, DeclarationChange } from '../domain/declaration/index.js';
import { legalDate } from '../domain/declaration/legal-date.js';
import { isDutiable } from '../domain/declaration/model.js';
import type { HistoryEvent } from '../domain/history/index.js';
import { ConflictError } from '../domain/errors.js';
import { jurisdictionCalendar, postToLedger, toMinorUnits, withdrawalEntries } from '../domain/payment/index.js';
import { openRequestWorkItem, type AdditionalMessageRequest, type Channel } from '../domain/risk/index.js';
import { assessDeclaration, TAX_CURRENCY, type TaxBinding } from '../domain/tax/index.js';
import type { RecoveryCause } from '../domain/tax/catalog.js';
import type { DeclarationView, NewHistoryEvent, SecurityHold } from '../ports/declaration-store.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { auditCaseStore, declarationStore, lifecycleWorkflows, riskStore, securityAccounts } from './dependencies.js';

/**
 * Versions of a declaration (DESIGN.md §2): an amendment is a new immutable version with its own
 * execution, a cancellation ends the declaration; either supersedes the running execution of the
 * current version, and the history records it.
 */

/** Execution name of a declaration version: starting it twice is a no-op (idempotent start). */
export const executionName = (id: string, version: number) => `${id}-v${version}`;

/** Who asked, when, under which request id — the provenance every recorded event carries. */
export interface Provenance {
  actor: string;
  correlationId: string;
  at: string;
}

export interface Amendment {
  declaration: Declaration;
  changes: DeclarationChange[];
  reasonCode?: string;
  reason: string;
  /** How the declarant sent it: canonical JSON or a WCO DMS additional message (COR). */
  format: 'canonical-json' | 'WCO-DMS-3.6';
}

export interface Cancellation {
  reasonCode?: string;
  reason: string;
  format: 'canonical-json' | 'WCO-DMS-3.6';
}

/**
 * Makes `amendment` version n+1 of the declaration: records it with its reason and the
 * supersession of version n's execution (one append, conditioned on version n still being
 * current), withdraws version n's tax notice and security, then starts `<id>-v<n+1>` — which
 * re-screens risk and recomputes the tax — and stops `<id>-v<n>`. Should the stop fail, the old
 * execution still ends at its next step (`VersionSuperseded`).
 */
export async function applyAmendment(view: DeclarationView, amendment: Amendment, by: Provenance): Promise<DeclarationView> {
  const next = view.version + 1;
  const { events, ledger, security } = withdrawVersion(view, by);
  const amended = await declarationStore().append(
    view.id,
    [
      amendedEvent(by, view, amendment, { ledgerEntries: events }),
      recorded(by, 'ExecutionSuperseded', { execution: executionName(view.id, view.version), version: view.version, by: 'AMENDMENT', nextVersion: next }),
    ],
    {
      version: next,
      declaration: amendment.declaration,
      status: 'SUBMITTED',
      channel: undefined,
      taxLines: undefined,
      taxTotal: undefined,
      paymentDeadline: undefined,
      payment: undefined,
      auditSelected: undefined,
      ledger,
      security,
      updatedAt: by.at,
    },
    { expectedVersion: view.version },
  );
  await releaseWaits(view, by.at);
  await lifecycleWorkflows().start(executionName(view.id, next), { declarationId: view.id, version: next });
  await lifecycleWorkflows().stop(executionName(view.id, view.version), 'Superseded', `Amended: version ${next} took over`);
  return amended;
}

/** An officer's grant of an amendment asked after release. */
export interface PostReleaseGrant {
  /** The officer's recorded decision: appended with the amendment, or not at all. */
  decided: NewHistoryEvent;
  /** When the declarant asked: the day of their written claim to a refund. */
  requestedAt: string;
  /** Who caused tax the amendment raises (关税法 Arts. 45–47). */
  cause?: RecoveryCause;
}

/**
 * Makes a granted post-release amendment version n+1 without a new execution: the goods are gone,
 * so the version is not screened or released again; it is reassessed on the law bound at
 * acceptance and the difference settled as post-clearance work is (see
 * {@link postReleaseAmendmentEffect}: a reissued notice, a supplementary assessment or a refund).
 * The officer's decision, the amendment and its tax effect are one append; a refusal (out of time,
 * no cause for tax raised) stores nothing. The declaration stays RELEASED.
 * @throws LimitationExpiredError, ValidationError (CWY-AUD-001…003); CodedConflictError CWY-AMEND-009 after an audit's findings
 */
export async function applyPostReleaseAmendment(view: DeclarationView, amendment: Amendment, grant: PostReleaseGrant, by: Provenance): Promise<DeclarationView> {
  const history = await declarationStore().getHistory(view.id);
  refuseCorrectionAfterAudit(history);
  const { tax, payment } = referenceCatalog();
  const { jurisdiction } = view.declaration;
  const established = view.taxTotal ?? { amount: '0.00', currency: TAX_CURRENCY[jurisdiction] };
  const assessment = isDutiable(amendment.declaration)
    ? assessDeclaration(amendment.declaration, tax, view.completedOn!, { binding: view.taxBinding as TaxBinding })
    : undefined;
  const reassessed = assessment?.total ?? established.amount;
  const released = history.findLast((event) => event.type === 'DeclarationReleased');
  const effect = postReleaseAmendmentEffect({
    established: established.amount,
    reassessed,
    currency: established.currency,
    facts: clockFacts(jurisdiction, legalDate(released?.occurredAt ?? by.at, jurisdiction), view.payment),
    securedUnpaid: Boolean(view.security && !view.payment),
    cause: grant.cause,
    requestedOn: legalDate(grant.requestedAt, jurisdiction),
    grantedOn: legalDate(by.at, jurisdiction),
    rules: tax.rules,
    isWorkingDay: jurisdictionCalendar(payment.calendars, jurisdiction).isWorkingDay,
  });
  const next = view.version + 1;
  const entries = amendmentEntries(effect, view.ledger, by.at, `${view.entryNumber ?? view.id}-v${next}`);
  const taxTotal = { amount: reassessed, currency: established.currency };
  const security = reissuedHold(effect, view.security, by.at);
  const events = [
    grant.decided,
    amendedEvent(by, view, amendment, { afterRelease: true }),
    recorded(by, 'TaxReassessed', {
      version: next,
      lines: assessment?.lines ?? view.taxLines ?? [],
      total: taxTotal,
      established,
      ...(assessment ? { referenceVersions: assessment.referenceVersions, explanation: assessment.explanation } : {}),
      effect,
      ledgerEntries: entries,
      ...(security ? { security } : {}),
    }),
  ];
  const amended = await declarationStore().append(
    view.id,
    events,
    {
      version: next,
      declaration: amendment.declaration,
      taxLines: assessment?.lines ?? view.taxLines,
      taxTotal,
      ...(entries.length ? { ledger: postToLedger(view.ledger, entries) } : {}),
      ...(security ? { security } : {}),
      updatedAt: by.at,
    },
    { expectedVersion: view.version },
  );
  if (security) await resizeHold(view.id, view.security!, security);
  await followOpenCase(history, events);
  return amended;
}

/**
 * Holds on the account what the reissued notice needs (only ever less: see `reissuedHold`):
 * the old hold is let go and, unless nothing is due, the lower one taken — it fits in the room
 * the old one freed, so the account's limit is not asked again.
 */
async function resizeHold(id: string, before: SecurityHold, after: SecurityHold): Promise<void> {
  const accounts = securityAccounts();
  await accounts.credit(before.accountId, id, toMinorUnits(before.amount));
  if (after.releasedAt) return;
  const amount = toMinorUnits(after.amount);
  await accounts.debit(after.accountId, id, amount, (await accounts.inUse(after.accountId)) + amount);
}

/**
 * Brings the queue item of the declaration's open audit case up to the tax a post-release
 * amendment established (the history already says so: see `projectCase`), so auditors read it.
 */
async function followOpenCase(history: readonly HistoryEvent[], events: readonly NewHistoryEvent[]): Promise<void> {
  const opened = history.findLast((event) => event.type === 'AuditCaseOpened');
  if (!opened) return;
  const auditCase = projectCase([...history, ...events], (opened.data as { id: string }).id);
  if (auditCase?.status === 'OPEN') await auditCaseStore().put(auditCase);
}

/**
 * Invalidates the declaration: records the cancellation with its reason and the supersession of
 * the running execution, withdraws the tax notice and security (what was paid is owed back),
 * and stops the execution. CANCELLED is terminal.
 */
export async function applyCancellation(view: DeclarationView, cancellation: Cancellation, by: Provenance): Promise<DeclarationView> {
  const { events, ledger, security } = withdrawVersion(view, by);
  const cancelled = await declarationStore().append(
    view.id,
    [
      recorded(by, 'DeclarationCancelled', {
        version: view.version,
        reasonCode: cancellation.reasonCode,
        reason: cancellation.reason,
        format: cancellation.format,
        ledgerEntries: events,
      }),
      recorded(by, 'ExecutionSuperseded', { execution: executionName(view.id, view.version), version: view.version, by: 'CANCELLATION' }),
    ],
    { status: 'CANCELLED', ledger, security, updatedAt: by.at },
    { expectedVersion: view.version },
  );
  await releaseWaits(view, by.at);
  await lifecycleWorkflows().stop(executionName(view.id, view.version), 'Superseded', 'Cancelled on the declarant\'s request');
  return cancelled;
}

/**
 * Records an amendment or cancellation asked after the taxes were settled and puts it in the
 * officer's `additional-messages` queue; the officer's decision applies or refuses it.
 * @throws ConflictError while another request of the declaration waits for an officer
 */
export async function requestOfficerDecision(view: DeclarationView, request: AdditionalMessageRequest, by: Provenance): Promise<void> {
  const pending = await riskStore().getWorkItem(view.id);
  if (pending?.queue === 'additional-messages' && pending.status === 'OPEN') {
    const kind = pending.request?.kind === 'CANCELLATION' ? 'a cancellation' : 'an amendment';
    throw new ConflictError(`Declaration ${view.id} already has ${kind} request waiting for an officer`);
  }
  const { declaration: _declaration, ...asked } = request;
  await declarationStore().append(
    view.id,
    [recorded(by, request.kind === 'AMENDMENT' ? 'AmendmentRequested' : 'CancellationRequested', { version: view.version, ...asked })],
    { updatedAt: by.at },
    { expectedVersion: view.version },
  );
  await riskStore().putWorkItem(
    openRequestWorkItem({ declarationId: view.id, version: view.version, channel: view.channel as Channel | undefined, request, declaration: view.declaration }),
  );
}

/** `DeclarationAmended`: version n+1 of `view`, with what changed, why and how it was sent. */
function amendedEvent(by: Provenance, view: DeclarationView, amendment: Amendment, more: Record<string, unknown>): NewHistoryEvent {
  const { declaration, changes, reasonCode, reason, format } = amendment;
  return recorded(by, 'DeclarationAmended', { version: view.version + 1, previousVersion: view.version, reasonCode, reason, format, changes, declaration, ...more });
}

function recorded(by: Provenance, type: string, data: Record<string, unknown>): NewHistoryEvent {
  return { type, actor: by.actor, correlationId: by.correlationId, occurredAt: by.at, data: withoutUndefined(data) };
}

/** The ledger without the version's outstanding tax notice, and its security marked released. */
function withdrawVersion(view: DeclarationView, by: Provenance) {
  const events = withdrawalEntries(view.ledger, by.at, view.entryNumber);
  const ledger = events.length ? postToLedger(view.ledger, events) : view.ledger;
  const security = view.security && !view.security.releasedAt ? { ...view.security, releasedAt: by.at } : view.security;
  return { events, ledger, security };
}

/**
 * Lets go of what the superseded version held: its task tokens (a late officer decision or bank
 * payment must not resume a stopped execution), its open work item, its hold on a guarantee or
 * deferment account. Done before the next version starts, which may take new ones.
 */
async function releaseWaits(view: DeclarationView, at: string): Promise<void> {
  const store = declarationStore();
  await Promise.all([store.takeCallback(view.id, 'officer'), store.takeCallback(view.id, 'payment')]);
  const item = await riskStore().getWorkItem(view.id);
  if (item && item.status !== 'CLOSED') await riskStore().putWorkItem({ ...item, status: 'CLOSED', updatedAt: at });
  if (view.security && !view.security.releasedAt) {
    await securityAccounts().credit(view.security.accountId, view.id, toMinorUnits(view.security.amount));
  }
}

function withoutUndefined(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}
