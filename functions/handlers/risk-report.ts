import { z } from 'zod';
import { IsoDate } from '../domain/declaration/model.js';
import { measureRisk } from '../domain/risk/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { riskStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';

const Period = z.strictObject({ from: IsoDate, to: IsoDate });

/**
 * GET /risk/report?from=YYYY-MM-DD&to=YYYY-MM-DD (risk analyst): per profile selections, hits,
 * hit rate, revenue found and lift over the random control group; per lane and channel the
 * actual against the expected rate — over the declarations completed in the period.
 */
export const handler = httpHandler(async (event) => {
  const period = parseQuery(event, Period);
  const events = await riskStore().riskEvents(period.from, period.to);
  return json(200, measureRisk(events, period, referenceCatalog().risk.lanes));
});
