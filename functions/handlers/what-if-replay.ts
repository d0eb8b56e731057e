import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { whatIfOutcome } from '../domain/audit/what-if.js';
import { NotFoundError } from '../domain/errors.js';
import { replayDeclaration } from '../replay/replay.js';
import { referenceOverrides, WhatIfOverrides } from '../replay/what-if-request.js';
import { declarationStore, riskStore, whatIfStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

/**
 * Audit-replay step, once per selected declaration (an iteration of the Map state): replays the
 * declaration in a sandbox with the campaign's reference data and stores what changed.
 */
export const handler = stepHandler(async (input: { campaignId: string; declarationId: string }) => {
  const campaign = await whatIfStore().get(input.campaignId);
  if (!campaign) throw new NotFoundError(`What-if ${input.campaignId} does not exist`);
  const history = await declarationStore().getHistory(input.declarationId);
  const result = await replayDeclaration(
    history,
    { catalog: referenceCatalog(), profileVersions: await riskStore().profileVersions() },
    { overrides: referenceOverrides(WhatIfOverrides.parse(campaign.overrides)) },
  );
  const outcome = whatIfOutcome(history, result.replayed);
  await whatIfStore().putOutcome(input.campaignId, outcome);
  return { declarationId: input.declarationId, channelChanged: outcome.channel.changed };
});
