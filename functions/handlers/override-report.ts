import { reportOverrides } from '../domain/audit/overrides.js';
import { riskStore } from '../shared/dependencies.js';
import { parseQuery } from '../shared/http-input.js';
import { httpHandler, json } from '../shared/middy.js';
import { ReportPeriod } from '../shared/request-schemas.js';

/**
 * GET /audits/overrides?from=YYYY-MM-DD&to=YYYY-MM-DD (auditor, head of risk): every officer decision
 * on the declarations completed in the period that departed from the risk engine's advice — a held
 * declaration released with no discrepancy, a GREEN one selected for control during its stand-by,
 * any decision on escalated work — with who took it and the screening it departed from.
 */
export const handler = httpHandler(async (event) => {
  const period = parseQuery(event, ReportPeriod);
  return json(200, reportOverrides(await riskStore().riskEvents(period.from, period.to), period));
});
