import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { NotFoundError } from '../domain/errors.js';
import { replayDeclaration } from '../replay/replay.js';
import { declarationStore, riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { ReplayRequest } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /audits/replays (auditor): re-runs a declaration's lifecycle in a sandbox from its
 * recorded history and the reference-data versions it was bound to, and answers step by step
 * whether the replay wrote what was recorded (`IDENTICAL`) or not (`DIVERGED`, with both values
 * of every field that differs). Reads live data, writes none.
 */
export const handler = httpHandler(async (event) => {
  const { declarationId } = parseJsonBody(event, ReplayRequest);
  const history = await declarationStore().getHistory(declarationId);
  if (history.length === 0) throw new NotFoundError(`Declaration ${declarationId} does not exist`, '/declarationId');
  const { replayed: _replayed, ...report } = await replayDeclaration(history, {
    catalog: referenceCatalog(),
    profileVersions: await riskStore().profileVersions(),
  });
  return json(200, report);
});
