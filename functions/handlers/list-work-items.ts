import { riskStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { WorkItemsQuery } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';


/** GET /work-items?queue=…&status=… (officer): a queue's work items, oldest first. */
export const handler = httpHandler(async (event) => {
  const { queue, status, limit } = parseQuery(event, WorkItemsQuery);
  return json(200, { queue, status, items: await riskStore().listWorkItems(queue, status, limit) });
});
