import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { projectCase, type AuditCase } from '../domain/audit/case.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { HistoryEvent } from '../domain/history/index.js';
import type { DeclarationView, NewHistoryEvent } from '../ports/declaration-store.js';
import { anchorHead } from './anchor.js';
import type { Principal } from './auth.js';
import { auditCaseStore, declarationStore } from './dependencies.js';

/** A case to work on: its declaration's view and history, and the case as that history makes it. */
export interface CaseInHand {
  auditCase: AuditCase;
  view: DeclarationView;
  history: HistoryEvent[];
}

/**
 * Loads the case named in the path, from its declaration's history (the record; the queue item
 * only says which declaration it is about).
 * @throws NotFoundError for an unknown case
 */
export async function caseInHand(event: APIGatewayProxyEventV2): Promise<CaseInHand> {
  const id = event.pathParameters?.id ?? '';
  const queued = await auditCaseStore().get(id);
  if (!queued) throw new NotFoundError(`Audit case ${id} does not exist`, '/id');
  const store = declarationStore();
  const [view, history] = await Promise.all([store.getView(queued.declarationId), store.getHistory(queued.declarationId)]);
  const auditCase = projectCase(history, id);
  if (!view || !auditCase) throw new NotFoundError(`Audit case ${id} does not exist`, '/id');
  return { auditCase, view, history };
}

/** An auditor's history event: the token's subject is the actor, the request its correlation. */
export function auditEvent(event: APIGatewayProxyEventV2, principal: Principal, type: string, data: Record<string, unknown>): NewHistoryEvent {
  return {
    type,
    actor: `auditor:${principal.subject}`,
    correlationId: event.requestContext.requestId,
    occurredAt: new Date(event.requestContext.timeEpoch).toISOString(),
    data,
  };
}

/**
 * Records case work: the events go onto the declaration's chain only if its history still ends
 * where it was read (what they say was decided on it), the new head is anchored outside the
 * table, then the queue item is brought up to date.
 * @throws ConflictError when the history moved meanwhile (retry), or the declaration moved on to another version
 */
export async function recordCaseWork(work: CaseInHand, events: NewHistoryEvent[], changes: Partial<DeclarationView>): Promise<AuditCase> {
  const { auditCase, view, history } = work;
  if (view.version !== auditCase.version) {
    throw new ConflictError(`Declaration ${view.id} is at version ${view.version}; case ${auditCase.id} is about version ${auditCase.version}`, '/id');
  }
  // The history's head guards it (a new version or any other write moves it); no version guard,
  // which would refuse a declaration cancelled after release, whose case must still be closed.
  const appended = await declarationStore().append(view.id, events, changes, { expectedHeadSeq: history.at(-1)?.seq ?? 0 });
  // Audit work comes after the lifecycle's last anchor: the new head is anchored at once, so
  // deleting or rewriting it is caught like any anchored part of the chain.
  await anchorHead(appended, events.at(-1)!.occurredAt);
  const updated = projectCase([...history, ...events], auditCase.id)!;
  await auditCaseStore().put(updated);
  return updated;
}
