import { ProfileDraft, draftVersion } from '../domain/risk/index.js';
import { riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /risk/profiles (risk analyst): drafts the next version of a profile. It screens nothing
 * until someone else approves it. 201 for a new draft; 200 with the same draft when it is sent again.
 */
export const handler = httpHandler(async (event) => {
  const draft = parseJsonBody(event, ProfileDraft);
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  const { version, created } = draftVersion(draft, await riskStore().profileVersions(), at);
  if (created) await riskStore().putProfileVersion(version, 'new');
  return json(created ? 201 : 200, version);
});
