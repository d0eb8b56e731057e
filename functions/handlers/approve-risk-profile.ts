import { ForbiddenError, NotFoundError } from '../domain/errors.js';
import { approveVersion } from '../domain/risk/index.js';
import { riskStore } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { ProfileApproval } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';


/**
 * POST /risk/profiles/{id}/versions/{v}/approve (head of risk): approves a draft — four eyes
 * (the caller the token authenticates, not the author), not before its in-force date. From its
 * date the version takes over its profile in screening; the other profiles stay as they are.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const { id = '', v = '' } = event.pathParameters ?? {};
  const { approver } = parseJsonBody(event, ProfileApproval);
  // Four eyes are two people only if each is who their token says.
  if (approver !== principal.subject) throw new ForbiddenError(`The approver is the caller (${principal.subject}), not ${approver}`, '/approver');
  const stored = (await riskStore().profileVersions()).find((candidate) => candidate.profile.id === id && String(candidate.profile.version) === v);
  if (!stored) throw new NotFoundError(`Risk profile ${id} has no version ${v}`, '/v');
  const at = new Date(event.requestContext.timeEpoch).toISOString();
  // The approval date in UTC; profiles take effect from whole days, so a UTC day boundary is conservative enough here.
  const { version, changed } = approveVersion(stored, approver, at, at.slice(0, 10));
  if (changed) await riskStore().putProfileVersion(version, 'draft');
  return json(200, version);
});
