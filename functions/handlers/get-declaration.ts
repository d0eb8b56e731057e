import { NotFoundError } from '../domain/errors.js';
import { assertVisible } from '../shared/auth.js';
import { declarationStore } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /declarations/{id}: status, channel, tax lines and the ordered history of a declaration.
 * A declarant sees only its own organisation's declarations (another's answers 404).
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const id = event.pathParameters?.id ?? '';
  const store = declarationStore();
  const view = await store.getView(id);
  assertVisible(principal, id, view?.traderId);
  if (!view) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  const history = await store.getHistory(id);
  return json(200, {
    id: view.id,
    version: view.version,
    status: view.status,
    lrn: view.lrn,
    jurisdiction: view.jurisdiction,
    entryNumber: view.entryNumber,
    acceptedAt: view.acceptedAt,
    channel: view.channel,
    taxLines: view.taxLines ?? [],
    taxTotal: view.taxTotal,
    paymentDeadline: view.paymentDeadline,
    payment: view.payment,
    security: view.security,
    ledger: view.ledger,
    auditSelected: view.auditSelected,
    declaration: view.declaration,
    history: history.map(({ seq, type, actor, occurredAt, correlationId, data, hash }) => ({
      seq, type, actor, occurredAt, correlationId, data, hash,
    })),
  });
});
