import { NotFoundError } from '../domain/errors.js';
import { whatIfStore } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /audits/what-if/{id}: a campaign's progress (`done` of `total`) and, once DONE, its summary
 * and the outcome of every declaration (channel, tax lines with deltas, hits).
 */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const campaign = await whatIfStore().get(id);
  if (!campaign) throw new NotFoundError(`What-if ${id} does not exist`, '/id');
  const { overrides: _, ...shown } = campaign;
  return json(200, { ...shown, ...(campaign.status === 'DONE' ? { outcomes: await whatIfStore().outcomes(id) } : {}) });
});
