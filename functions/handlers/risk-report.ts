import { measureRisk } from '../domain/risk/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { riskStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { ReportPeriod } from '../shared/request-schemas.js';
import { httpHandler, json } from '../shared/middy.js';


/**
 * GET /risk/report?from=YYYY-MM-DD&to=YYYY-MM-DD (risk analyst): per profile selections, hits,
 * hit rate, revenue found and lift over the random control group; per lane and channel the
 * actual against the expected rate — over the declarations completed in the period.
 */
export const handler = httpHandler(async (event) => {
  const period = parseQuery(event, ReportPeriod);
  const events = await riskStore().riskEvents(period.from, period.to);
  return json(200, measureRisk(events, period, referenceCatalog().risk.lanes));
});
