import { auditCaseStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';
import { AuditCasesQuery } from '../shared/request-schemas.js';

/** GET /audits/cases?status=OPEN|CLOSED&limit=… (auditor): the audit cases, due soonest first. */
export const handler = httpHandler(async (event) => {
  const { status, limit } = parseQuery(event, AuditCasesQuery);
  return json(200, { status, items: await auditCaseStore().list(status, limit) });
});
