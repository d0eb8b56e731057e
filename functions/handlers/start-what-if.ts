import { whatIfStore, auditReplayWorkflows } from '../shared/dependencies.js';
import { parseJsonBody } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';
import { WhatIfRequest } from '../replay/what-if-request.js';

/**
 * POST /audits/what-if (auditor, risk analyst): replays a selection of declarations — completed
 * in a period, optionally one trader's, one HS chapter's, one channel's — with other reference
 * data (a tariff change, a new risk profile set) on the audit-replay workflow, and answers 202
 * with the campaign id; `GET /audits/what-if/{id}` shows progress and, when done, channel
 * changes, tax deltas, the total revenue effect and profile hit counts.
 */
export const handler = httpHandler(async (event) => {
  const request = parseJsonBody(event, WhatIfRequest);
  const id = event.requestContext.requestId;
  await whatIfStore().create({
    id,
    selection: request.selection,
    overrides: request.overrides as Record<string, unknown>,
    status: 'RUNNING',
    createdAt: new Date(event.requestContext.timeEpoch).toISOString(),
    done: 0,
  });
  await auditReplayWorkflows().start(`whatif-${id}`, { campaignId: id });
  return json(202, { id, status: 'RUNNING' }, { location: `/audits/what-if/${id}` });
});
