import { amendDeclaration, routeAdditionalMessage } from '../domain/declaration/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { refuseCorrectionAfterAudit } from '../domain/audit/amendment-effect.js';
import { declarationStore } from '../shared/dependencies.js';
import { readAmendment } from '../shared/additional-message-input.js';
import { visibleView } from '../shared/visible-view.js';
import { idempotencyKeyOf, once } from '../shared/idempotency.js';
import { httpHandler, json } from '../shared/middy.js';
import { applyAmendment, requestOfficerDecision } from '../shared/versions.js';

/**
 * POST /declarations/{id}/amendments (declarant): canonical JSON (JSON Patch changes with a WCO
 * reason code) or a WCO DMS additional message with TypeCode COR. The amended declaration is
 * validated like a submission — every issue at once, nothing stored when one is found. Before
 * the taxes are settled it becomes the next immutable version at once: the running execution is
 * superseded and `<id>-v<n+1>` re-screens risk and recomputes the tax (202, APPLIED). Once they
 * are settled (the goods are released or about to be) it is a request an officer decides
 * (202, REQUESTED). Honours `Idempotency-Key`.
 */
export const handler = httpHandler(async (event, context, principal) => {
  const view = await visibleView(event, principal);
  const id = view.id;

  const input = readAmendment(event, view);
  const declaration = amendDeclaration(view.declaration, input.changes, referenceCatalog().intake, input.pointerFor);
  const route = routeAdditionalMessage(view.status, 'amend');
  const by = { actor: `declarant:${principal.subject}`, correlationId: event.requestContext.requestId, at: new Date(event.requestContext.timeEpoch).toISOString() };
  const amendment = { declaration, changes: input.changes, reasonCode: input.reasonCode, reason: input.reason, format: input.format };

  const act = async () => {
    if (route === 'REQUEST') {
      // Asked after an audit re-established the tax, it could never be granted: refused now.
      if (view.status === 'RELEASED') refuseCorrectionAfterAudit(await declarationStore().getHistory(id));
      await requestOfficerDecision(view, { kind: 'AMENDMENT', ...amendment, requestedBy: by.actor, requestedAt: by.at }, by);
      return json(202, { id, outcome: 'REQUESTED', queue: 'additional-messages', version: view.version, status: view.status });
    }
    const amended = await applyAmendment(view, amendment, by);
    return json(202, { id, outcome: 'APPLIED', version: amended.version, previousVersion: view.version, status: amended.status }, {
      location: `/declarations/${id}`,
    });
  };
  const key = idempotencyKeyOf(event.headers);
  return key ? once({ scope: `${principal.org ?? principal.subject}#amend#${id}`, key, payload: input.changes }, context, act) : act();
});
