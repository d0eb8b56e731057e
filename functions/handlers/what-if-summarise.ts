import { summariseWhatIf } from '../domain/audit/what-if.js';
import { whatIfStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

/** Audit-replay step: adds up the outcomes — channel changes, revenue effect, profile hits — and closes the campaign. */
export const handler = stepHandler(async (input: { campaignId: string }) => {
  const summary = summariseWhatIf(await whatIfStore().outcomes(input.campaignId));
  await whatIfStore().finish(input.campaignId, summary);
  return { declarations: summary.declarations };
});
