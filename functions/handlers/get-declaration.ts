import { isInternalEvent } from '../domain/declaration/index.js';
import { isDeclarantOnly } from '../shared/auth.js';
import { declarationStore } from '../shared/dependencies.js';
import { visibleView } from '../shared/visible-view.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /declarations/{id}: status, channel, tax lines and the ordered history of a declaration.
 * A declarant sees only its own organisation's declarations (another's answers 404), and of
 * them not what stays inside the customs: why they were screened into their channel, or that they
 * were picked for a post-clearance audit (`functions/domain/declaration/disclosure.ts`).
 */
export const handler = httpHandler(async (event, _context, principal) => {
  const view = await visibleView(event, principal);
  const id = view.id;
  const store = declarationStore();
  const declarant = isDeclarantOnly(principal);
  const history = (await store.getHistory(id)).filter((event) => !declarant || !isInternalEvent(event.type));
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
    ...(declarant ? {} : { auditSelected: view.auditSelected }),
    declaration: view.declaration,
    history: history.map(({ seq, type, actor, occurredAt, correlationId, data, hash }) => ({
      seq, type, actor, occurredAt, correlationId, data, hash,
    })),
  });
});
