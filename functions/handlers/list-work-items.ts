import { z } from 'zod';
import { WorkItemStatus, WorkQueue } from '../domain/risk/index.js';
import { riskStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

const Query = z.strictObject({
  queue: WorkQueue,
  status: WorkItemStatus.default('OPEN'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** GET /work-items?queue=…&status=… (officer): a queue's work items, oldest first. */
export const handler = httpHandler(async (event) => {
  const { queue, status, limit } = parseQuery(event, Query);
  return json(200, { queue, status, items: await riskStore().listWorkItems(queue, status, limit) });
});
