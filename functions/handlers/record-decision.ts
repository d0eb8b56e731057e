import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { AdditionalMessageDecision } from '../domain/declaration/index.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { OfficerDecision, applyFindings, checkDecisionFits, decisionsInHistory, workflowOutcome, type AdditionalMessageRequest, type WorkItem } from '../domain/risk/index.js';
import type { DeclarationView, NewHistoryEvent } from '../ports/declaration-store.js';
import { declarationStore, lifecycleWorkflows, riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import type { Principal } from '../shared/auth.js';
import { httpHandler, json } from '../shared/middy.js';
import { applyAmendment, applyCancellation, applyPostReleaseAmendment } from '../shared/versions.js';

/**
 * POST /declarations/{id}/decisions (officer): decides a held declaration — release, reject,
 * request documents, or record an inspection result with its findings. The decision is
 * recorded in the history first (it is an external input a replay needs), then resumes the
 * waiting workflow through its task token with what happens next (RELEASE, REJECT, AMEND,
 * SEIZE). A request for documents leaves the workflow waiting and the work item with the declarant.
 * An amendment or cancellation asked after the taxes were settled waits in the
 * `additional-messages` queue for `{decision: GRANT | REFUSE, officer, reason?}` instead.
 */
/** Every decision an officer sends here: on a held declaration, or on a request after settlement. */
const AnyOfficerDecision = z.discriminatedUnion('decision', [OfficerDecision, AdditionalMessageDecision]);
const isRequestDecision = (body: z.infer<typeof AnyOfficerDecision>): body is AdditionalMessageDecision => body.decision === 'GRANT' || body.decision === 'REFUSE';

export const handler = httpHandler(async (event, _context, principal) => {
  const id = event.pathParameters?.id ?? '';
  const store = declarationStore();
  const view = await store.getView(id);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  const workItem = await riskStore().getWorkItem(id);
  if (workItem?.queue === 'additional-messages' && workItem.status === 'OPEN' && workItem.request) {
    return decideRequest(event, principal, view, workItem, workItem.request);
  }
  const body = parseJsonBody(event, AnyOfficerDecision);
  if (isRequestDecision(body)) {
    // Decided already, or never asked: the request's answer is not a malformed body.
    throw new ConflictError(`Declaration ${id} has no amendment or cancellation request waiting for an officer`, '/decision');
  }
  const decision: OfficerDecision = body;
  const callback = await store.getCallback(id, 'officer');
  if (!callback) throw new ConflictError(`Declaration ${id} is not waiting for an officer decision (status ${view.status})`);
  checkDecisionFits(id, workItem, decision.decision);
  // Findings on goods items the declaration does not have are refused before anything is stored.
  if (decision.decision === 'INSPECTION_RESULT') applyFindings(view.declaration, decision.findings);

  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const recorded = (type: string, data: Record<string, unknown>): NewHistoryEvent => ({
    // The audit trail names the officer the token authenticates; the body's name is what they signed with.
    type, actor: `officer:${principal.subject}`, correlationId: event.requestContext.requestId, occurredAt: at, data,
  });
  const events = [recorded('OfficerDecisionRecorded', decision)];
  if (decision.decision === 'INSPECTION_RESULT') {
    events.push(recorded('InspectionRecorded', { result: decision.result, findings: decision.findings }));
  }
  const history = view.completedOn ? await store.getHistory(id) : [];
  // A declaration selected for control during its stand-by is held in the officer's channel from now on.
  await store.append(id, events, { updatedAt: at, ...(decision.decision === 'SELECT_FOR_CONTROL' ? { channel: decision.channel } : {}) });
  if (view.completedOn) {
    if (decision.decision === 'INSPECTION_RESULT') {
      await riskStore().logRiskEvent(view.completedOn, at, { declarationId: id, type: 'InspectionRecorded', data: { result: decision.result } });
    }
    // Every decision with the hold it answered and the engine's advice: the override report reads them.
    const logged = decisionsInHistory([...history, ...events]).at(-1);
    if (logged) await riskStore().logRiskEvent(view.completedOn, at, { declarationId: id, type: 'OfficerDecisionRecorded', data: logged });
  }

  const outcome = workflowOutcome(decision);
  if (outcome === null) {
    if (workItem) {
      await riskStore().putWorkItem({
        ...workItem,
        status: 'AWAITING_DOCUMENTS',
        updatedAt: at,
        requestedDocuments: decision.decision === 'REQUEST_DOCUMENTS' ? decision.documents : [],
      });
    }
    return json(202, { id, decision: decision.decision });
  }
  await lifecycleWorkflows().resume(callback.taskToken, {
    decision: outcome,
    reason: decision.reason ?? null,
    channel: decision.decision === 'SELECT_FOR_CONTROL' ? decision.channel : null,
  });
  await store.takeCallback(id, 'officer');
  if (workItem) await riskStore().putWorkItem({ ...workItem, status: 'CLOSED', updatedAt: at });
  return json(202, { id, decision: decision.decision, outcome });
});

/**
 * An officer's decision on an amendment or cancellation asked after the taxes were settled
 * (UCC Art. 173(3), Art. 174; 海关法 Art. 26): recorded, the work item closed, and a granted
 * request applied — the cancellation ending the declaration CANCELLED; an amendment of goods not
 * yet released as the next version, whose execution recomputes the tax; an amendment of released
 * goods as the next version reassessed on the spot, its difference a reissued notice, a
 * supplementary assessment (`cause` says who caused it) or a refund. A grant refused for its tax
 * effect (out of time, no cause) stores nothing.
 */
async function decideRequest(event: APIGatewayProxyEventV2, principal: Principal, view: DeclarationView, item: WorkItem, request: AdditionalMessageRequest) {
  const decision = parseJsonBody(event, AdditionalMessageDecision);
  const by = { actor: `officer:${principal.subject}`, correlationId: event.requestContext.requestId, at: new Date(event.requestContext.timeEpoch).toISOString() };
  const decided: NewHistoryEvent = {
    type: 'AdditionalMessageDecided',
    actor: by.actor,
    correlationId: by.correlationId,
    occurredAt: by.at,
    data: { kind: request.kind, decision: decision.decision, ...(decision.reason ? { reason: decision.reason } : {}), ...(decision.cause ? { cause: decision.cause } : {}) },
  };
  const closeItem = () => riskStore().putWorkItem({ ...item, status: 'CLOSED', updatedAt: by.at });
  const granted = decision.decision === 'GRANT';
  if (granted && request.kind === 'AMENDMENT' && view.status === 'RELEASED') {
    await applyPostReleaseAmendment(view, amendmentOf(request), { decided, requestedAt: request.requestedAt, cause: decision.cause }, by);
    await closeItem();
    return json(202, { id: view.id, kind: request.kind, decision: decision.decision });
  }
  await declarationStore().append(view.id, [decided], { updatedAt: by.at }, { expectedVersion: view.version });
  // Closed before a granted amendment starts its version, whose workflow may open a new item.
  await closeItem();
  if (granted) {
    if (request.kind === 'AMENDMENT') {
      await applyAmendment(view, amendmentOf(request), by);
    } else {
      await applyCancellation(view, { reasonCode: request.reasonCode, reason: request.reason, format: request.format }, by);
    }
  }
  return json(202, { id: view.id, kind: request.kind, decision: decision.decision });
}

/** The amendment a request carries (validated when it was asked). */
const amendmentOf = (request: AdditionalMessageRequest) => ({
  declaration: request.declaration!,
  changes: request.changes ?? [],
  reasonCode: request.reasonCode,
  reason: request.reason,
  format: request.format,
});
