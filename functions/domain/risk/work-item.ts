import { z } from 'zod';
import type { DeclarationChange } from '../declaration/additional-messages.js';
import type { Declaration } from '../declaration/model.js';
import { Dec, formatMoney } from '../tax/money.js';
import { ConflictError } from '../errors.js';
import type { OfficerDecision } from './inspection.js';
import type { Channel } from './profile.js';

/**
 * Officer work queues (issue 6): each held channel has its own queue, and work left too long
 * moves to the supervisor's; GREEN declarations of a lane with a stand-by wait in `stand-by`,
 * where an officer may still pick them for control. `additional-messages` holds what a declarant
 * asked after the taxes were settled — an amendment or a cancellation only an officer may grant
 * (issue 4).
 */
export const WorkQueue = z.enum(['document-review', 'inspection', 'query', 'supervisor', 'stand-by', 'additional-messages']);
export type WorkQueue = z.infer<typeof WorkQueue>;

/** OPEN: waits for an officer; AWAITING_DOCUMENTS: waits for the declarant; CLOSED: decided. */
export const WorkItemStatus = z.enum(['OPEN', 'AWAITING_DOCUMENTS', 'CLOSED']);
export type WorkItemStatus = z.infer<typeof WorkItemStatus>;

const QUEUE_OF_CHANNEL: Record<Exclude<Channel, 'GREEN'>, WorkQueue> = {
  YELLOW: 'document-review',
  RED: 'inspection',
  QUERY: 'query',
};

/** The declaration at a glance, so an officer can triage without opening it. */
export interface DeclarationSummary {
  lrn: string;
  jurisdiction: string;
  direction: string;
  office?: string;
  declarant: string;
  importer?: string;
  items: number;
  commodityCodes: string[];
  origins: string[];
  /** Absent for a customs clearance request, which declares no value. */
  invoiceTotal?: { amount: string; currency: string };
}

/** A held declaration as an officer sees it in a queue. */
export interface WorkItem {
  declarationId: string;
  version: number;
  queue: WorkQueue;
  status: WorkItemStatus;
  channel: Channel;
  /** Where the workflow's task token is kept (the declaration's officer callback), not the token itself; none for a request after release. */
  taskTokenRef?: { declarationId: string; kind: 'officer' };
  createdAt: string;
  updatedAt: string;
  /** When the workflow escalates the item if no decision is recorded (AwaitOfficer's timeout). */
  dueAt: string;
  escalated: boolean;
  /** The screening's human-readable explanation (why the declaration was held). */
  explanation: string;
  summary: DeclarationSummary;
  /** Documents the officer asked the declarant for, while AWAITING_DOCUMENTS. */
  requestedDocuments?: { type: string; description?: string }[];
  /** In the `additional-messages` queue: the amendment or cancellation asked for. */
  request?: AdditionalMessageRequest;
}

/** An amendment or cancellation a declarant asked for after the taxes were settled, waiting for an officer. */
export interface AdditionalMessageRequest {
  kind: 'AMENDMENT' | 'CANCELLATION';
  reasonCode?: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  /** How the declarant sent it: canonical JSON or a WCO DMS additional message. */
  format: 'canonical-json' | 'WCO-DMS-3.6';
  /** An amendment's changes and the version they make (validated when asked). */
  changes?: DeclarationChange[];
  declaration?: Declaration;
}

/**
 * The work item for a request an officer must decide (UCC Art. 173(3) amendment after release;
 * Art. 174 invalidation): in the `additional-messages` queue, due in the officer deadline, with
 * the declaration at a glance. It replaces the declaration's earlier (closed) item.
 */
export function openRequestWorkItem(input: { declarationId: string; version: number; channel?: Channel; request: AdditionalMessageRequest; declaration: Declaration }): WorkItem {
  const at = input.request.requestedAt;
  return {
    declarationId: input.declarationId,
    version: input.version,
    queue: 'additional-messages',
    status: 'OPEN',
    channel: input.channel ?? 'GREEN',
    createdAt: at,
    updatedAt: at,
    dueAt: new Date(Date.parse(at) + OFFICER_DEADLINE_SECONDS * 1000).toISOString(),
    escalated: false,
    explanation: `${input.request.kind === 'AMENDMENT' ? 'Amendment' : 'Cancellation'} asked after the taxes were settled: ${input.request.reason}`,
    summary: summarise(input.declaration),
    request: input.request,
  };
}

/** Seconds an officer has before the workflow escalates (AwaitOfficer `TimeoutSeconds`: 2 days). */
export const OFFICER_DEADLINE_SECONDS = 2 * 24 * 60 * 60;

/**
 * The queue a held declaration goes to: document review (YELLOW), inspection (RED), query
 * (QUERY); an escalated one goes to the supervisor whatever its channel.
 * Throws RangeError for GREEN, which is never held.
 */
export function queueFor(channel: Channel, escalated: boolean): WorkQueue {
  if (channel === 'GREEN') throw new RangeError('a GREEN declaration is never held for an officer');
  return escalated ? 'supervisor' : QUEUE_OF_CHANNEL[channel];
}

/** The summary shown in the queue: parties, goods, origins and the invoice total. */
export function summarise(declaration: Declaration): DeclarationSummary {
  const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => v !== undefined))].sort();
  return {
    lrn: declaration.lrn,
    jurisdiction: declaration.jurisdiction,
    direction: declaration.direction,
    ...(declaration.office ? { office: declaration.office } : {}),
    declarant: declaration.declarant.id,
    ...(declaration.importer ? { importer: declaration.importer.id } : {}),
    items: declaration.items.length,
    commodityCodes: unique(declaration.items.map((item) => item.commodityCode)),
    origins: unique(declaration.items.map((item) => item.origin)),
    ...(declaration.invoiceCurrency
      ? {
          invoiceTotal: {
            amount: formatMoney(declaration.items.reduce((sum, item) => sum.plus(item.invoiceAmount ?? 0), new Dec(0))),
            currency: declaration.invoiceCurrency,
          },
        }
      : {}),
  };
}

/**
 * A new work item for a declaration the workflow parks with an officer at `at` (ISO instant).
 * Re-opening after escalation replaces the item: same declaration, supervisor queue, new deadline.
 * A GREEN declaration standing by (`standBySeconds`) goes to the stand-by queue, due when its
 * stand-by ends.
 */
export function openWorkItem(input: {
  declarationId: string;
  version: number;
  channel: Channel;
  escalated: boolean;
  at: string;
  explanation: string;
  declaration: Declaration;
  standBySeconds?: number;
}): WorkItem {
  const standBy = input.channel === 'GREEN' && input.standBySeconds !== undefined;
  return {
    declarationId: input.declarationId,
    version: input.version,
    queue: standBy ? 'stand-by' : queueFor(input.channel, input.escalated),
    status: 'OPEN',
    channel: input.channel,
    taskTokenRef: { declarationId: input.declarationId, kind: 'officer' },
    createdAt: input.at,
    updatedAt: input.at,
    dueAt: new Date(Date.parse(input.at) + (standBy ? input.standBySeconds! : OFFICER_DEADLINE_SECONDS) * 1000).toISOString(),
    escalated: input.escalated,
    explanation: input.explanation,
    summary: summarise(input.declaration),
  };
}

/**
 * Checks that a decision fits the work item it answers:
 * - a declaration standing by can only be released at once or selected for control; selecting for
 *   control applies to nothing else;
 * - a declaration selected for physical inspection (RED, in the inspection queue or escalated) is
 *   released by recording the inspection's result — a plain RELEASE would let goods go uninspected
 *   with nothing on record (海关法 Art. 28: goods are inspected as the customs decides).
 * Throws ConflictError otherwise.
 */
export function checkDecisionFits(declarationId: string, item: Pick<WorkItem, 'queue' | 'channel'> | undefined, decision: OfficerDecision['decision']): void {
  const standingBy = item?.queue === 'stand-by';
  if (standingBy && decision !== 'RELEASE' && decision !== 'SELECT_FOR_CONTROL') {
    throw new ConflictError(`Declaration ${declarationId} is standing by before release: RELEASE it or SELECT_FOR_CONTROL`, '/decision');
  }
  if (!standingBy && decision === 'SELECT_FOR_CONTROL') {
    throw new ConflictError(`Declaration ${declarationId} is already held for an officer; SELECT_FOR_CONTROL is for declarations standing by`, '/decision');
  }
  if (item?.channel === 'RED' && decision === 'RELEASE') {
    throw new ConflictError(`Declaration ${declarationId} is selected for inspection: record the INSPECTION_RESULT (or REJECT it)`, '/decision');
  }
}
