import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { ForbiddenError } from '../domain/errors.js';
import { ProfileDraft, draftVersion, knownVersions } from '../domain/risk/index.js';
import { riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /risk/profiles (risk analyst): drafts the next version of a profile — after the
 * reference-data version of a profile already there, or version 1 of a new one. It screens
 * nothing until someone else approves it. The author is the caller the token authenticates (four
 * eyes rest on it). 201 for a new draft; 200 with the same draft when it is sent again.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const draft = parseJsonBody(event, ProfileDraft);
  if (draft.author !== principal.subject) {
    throw new ForbiddenError(`The author of a draft is its caller (${principal.subject}), not ${draft.author}`, '/author');
  }
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const { version, created } = draftVersion(draft, knownVersions(referenceCatalog().risk.profiles, await riskStore().profileVersions()), at);
  if (created) await riskStore().putProfileVersion(version, 'new');
  return json(created ? 201 : 200, version);
});
