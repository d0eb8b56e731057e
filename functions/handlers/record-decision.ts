import { ConflictError, NotFoundError } from '../domain/errors.js';
import { OfficerDecision, applyFindings, checkDecisionFits, workflowOutcome } from '../domain/risk/index.js';
import type { NewHistoryEvent } from '../ports/declaration-store.js';
import { declarationStore, lifecycleWorkflows, riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /declarations/{id}/decisions (officer): decides a held declaration — release, reject,
 * request documents, or record an inspection result with its findings. The decision is
 * recorded in the history first (it is an external input a replay needs), then resumes the
 * waiting workflow through its task token with what happens next (RELEASE, REJECT, AMEND,
 * SEIZE). A request for documents leaves the workflow waiting and the work item with the declarant.
 */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const decision = parseJsonBody(event, OfficerDecision);
  const store = declarationStore();
  const view = await store.getView(id);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  const callback = await store.getCallback(id, 'officer');
  if (!callback) throw new ConflictError(`Declaration ${id} is not waiting for an officer decision (status ${view.status})`);
  const workItem = await riskStore().getWorkItem(id);
  checkDecisionFits(id, workItem?.queue, decision.decision);
  // Findings on goods items the declaration does not have are refused before anything is stored.
  if (decision.decision === 'INSPECTION_RESULT') applyFindings(view.declaration, decision.findings);

  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const recorded = (type: string, data: Record<string, unknown>): NewHistoryEvent => ({
    type, actor: `officer:${decision.officer}`, correlationId: event.requestContext.requestId, occurredAt: at, data,
  });
  const events = [recorded('OfficerDecisionRecorded', decision)];
  if (decision.decision === 'INSPECTION_RESULT') {
    events.push(recorded('InspectionRecorded', { result: decision.result, findings: decision.findings }));
  }
  // A declaration selected for control during its stand-by is held in the officer's channel from now on.
  await store.append(id, events, { updatedAt: at, ...(decision.decision === 'SELECT_FOR_CONTROL' ? { channel: decision.channel } : {}) });
  if (decision.decision === 'INSPECTION_RESULT' && view.completedOn) {
    await riskStore().logRiskEvent(view.completedOn, at, { declarationId: id, type: 'InspectionRecorded', data: { result: decision.result } });
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
