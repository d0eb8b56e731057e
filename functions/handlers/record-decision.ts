import { z } from 'zod';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { declarationStore, lifecycleWorkflows } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

const Decision = z.strictObject({
  /** RELEASE lets the declaration go on to assessment; REJECT ends it with the reason. */
  decision: z.enum(['RELEASE', 'REJECT']),
  officer: z.string().min(1).max(64),
  reason: z.string().max(2000).optional(),
});

/**
 * POST /declarations/{id}/decisions (officer): decides a held declaration. The decision is
 * recorded in the history first (it is an external input a replay needs), then resumes the
 * waiting workflow through its task token.
 */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const decision = parseJsonBody(event, Decision);
  const store = declarationStore();
  const view = await store.getView(id);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  const callback = await store.getCallback(id, 'officer');
  if (!callback) throw new ConflictError(`Declaration ${id} is not waiting for an officer decision (status ${view.status})`);

  const at = new Date(event.requestContext.timeEpoch).toISOString();
  await store.append(
    id,
    [{ type: 'OfficerDecisionRecorded', actor: `officer:${decision.officer}`, correlationId: event.requestContext.requestId, occurredAt: at, data: decision }],
    { updatedAt: at },
  );
  await lifecycleWorkflows().resume(callback.taskToken, { decision: decision.decision, reason: decision.reason ?? null });
  await store.takeCallback(id, 'officer');
  return json(202, { id, decision: decision.decision });
});
