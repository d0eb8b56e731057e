import type { Declaration } from '../domain/declaration/model.js';
import type { HistoryEvent } from '../domain/history/index.js';
import type { Ledger } from '../domain/payment/index.js';

/** Lifecycle status of a declaration version, as the e-port shows it. */
export type DeclarationStatus =
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'HELD'
  /** GREEN, standing by before release for an officer to pick it for control (lane stand-by). */
  | 'STAND_BY'
  | 'ASSESSED'
  | 'AWAITING_PAYMENT'
  | 'SECURED'
  | 'PAID'
  | 'RELEASED'
  /** Prohibited goods found at inspection: seized, the lifecycle ends (issue 6). */
  | 'SEIZED'
  /** Invalidated on the declarant's request (before release, or after it by an officer's decision). */
  | 'CANCELLED'
  | 'FAILED';

/** The derived current view of a declaration (rebuildable from its history). */
export interface DeclarationView {
  id: string;
  version: number;
  status: DeclarationStatus;
  jurisdiction: string;
  traderId: string;
  lrn: string;
  declaration: Declaration;
  entryNumber?: string;
  acceptedAt?: string;
  /** Legal date of acceptance in the jurisdiction's time zone: binds law, tariff and FX. */
  completedOn?: string;
  /** Reference-data versions pinned at acceptance (tariff, VAT, FX, rules), used by every later step. */
  taxBinding?: unknown;
  /** Last day to pay the tax notice (legal date). */
  paymentDeadline?: string;
  /** How the taxes were settled: method, amount, late fee, bank reference. */
  payment?: { method: string; amount: string; currency: string; lateFee?: string; reference?: string; paidAt: string };
  /** The hold on a guarantee or deferment account securing the taxes until they are paid. */
  security?: SecurityHold;
  /** Every debit and credit against the declaration, with the balance the trader owes. */
  ledger?: Ledger;
  channel?: string;
  taxLines?: unknown[];
  taxTotal?: { amount: string; currency: string };
  auditSelected?: boolean;
  headSeq: number;
  headHash: string;
  updatedAt: string;
}

/** Taxes secured on an account (关税法 Art. 43 para 3): released before payment, released again once paid. */
export interface SecurityHold {
  method: string;
  accountId: string;
  amount: string;
  currency: string;
  securedAt: string;
  /** The monthly statement (`YYYY-MM`) a batch-paid declaration goes to. */
  statementPeriod?: string;
  /** When the payment released the hold. */
  releasedAt?: string;
}

/** An event about to be appended; the store seals it into the hash chain. */
export interface NewHistoryEvent {
  type: string;
  actor: string;
  correlationId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What a waiting workflow step left behind so an outside party can resume it. */
export interface PendingCallback {
  declarationId: string;
  kind: 'officer' | 'payment';
  taskToken: string;
  createdAt: string;
  details: Record<string, unknown>;
}

/** Guards of an append (see {@link DeclarationStore.append}). */
export interface AppendOptions {
  expectedVersion?: number;
  expectedHeadSeq?: number;
  /**
   * The view the caller read and decided on: the append builds on it instead of reading the view
   * again. The writes stay conditional (each event on its seq being free, the view on its head),
   * so a basis that moved on meanwhile fails the append exactly as a fresh read would have.
   * Ignored for an append without events (only the view's head guards it then).
   */
  basis?: DeclarationView;
}

/**
 * The system of record for declarations (DESIGN.md §5): an append-only, hash-chained event
 * history per declaration plus its derived view, callback tokens and identifier sequences.
 */
export interface DeclarationStore {
  /**
   * Creates a declaration: its first history event and view, claiming the trader's LRN.
   * Returns the id already holding that LRN instead when the claim is taken (idempotent receipt).
   */
  create(view: Omit<DeclarationView, 'headSeq' | 'headHash'>, first: NewHistoryEvent): Promise<{ created: boolean; id: string }>;
  /**
   * Appends events after the view's head and applies `changes` to the view; fails on a concurrent
   * append (ConflictError), and with VersionSupersededError when `expectedVersion` is given and the
   * declaration has moved on to another version (an amendment or cancellation took over). With
   * `expectedHeadSeq`, it fails with ConflictError unless the history still ends at that seq: the
   * events were decided on the history as read then (optimistic concurrency).
   */
  append(id: string, events: NewHistoryEvent[], changes: Partial<DeclarationView>, options?: AppendOptions): Promise<DeclarationView>;
  getView(id: string): Promise<DeclarationView | undefined>;
  getHistory(id: string): Promise<HistoryEvent[]>;
  putCallback(callback: PendingCallback): Promise<void>;
  takeCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined>;
  getCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined>;
  /** The next number of a named sequence (e.g. entry numbers per office and year), atomically. */
  nextSequence(name: string): Promise<number>;
}
