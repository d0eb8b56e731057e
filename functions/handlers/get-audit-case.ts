import { NotFoundError } from '../domain/errors.js';
import { auditCaseStore } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/** GET /audits/cases/{id} (auditor): a case — selection, due date, findings so far and what each led to. */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const auditCase = await auditCaseStore().get(id);
  if (!auditCase) throw new NotFoundError(`Audit case ${id} does not exist`, '/id');
  return json(200, auditCase);
});
