import { AuditClosure } from '../domain/audit/case-work.js';
import { auditCaseStore } from '../shared/dependencies.js';
import { auditEvent, caseInHand, recordCaseWork } from '../shared/audit-case-work.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * POST /audits/cases/{id}/closure (auditor): closes the case with the auditor's conclusion — an
 * `AuditCaseClosed` history event — and takes it off the open queue. Closing a closed case answers it.
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const { conclusion } = parseJsonBody(event, AuditClosure);
  const work = await caseInHand(event);
  if (work.auditCase.status === 'CLOSED') {
    await auditCaseStore().put(work.auditCase);
    return json(200, work.auditCase);
  }
  const closed = await recordCaseWork(
    work,
    [auditEvent(event, principal, 'AuditCaseClosed', { caseId: work.auditCase.id, conclusion })],
    { updatedAt: new Date(event.requestContext.timeEpoch).toISOString() },
  );
  return json(200, closed);
});
