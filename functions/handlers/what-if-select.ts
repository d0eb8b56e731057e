import { NotFoundError } from '../domain/errors.js';
import { declarationStore, riskStore, whatIfStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

/**
 * Audit-replay step: the declarations a what-if replays — those screened with a completion date
 * in the period (the risk log is partitioned by it), then narrowed by the channel they were
 * screened to, their trader and HS chapter. Records the count (progress) and hands the ids to
 * the Map state.
 */
export const handler = stepHandler(async (input: { campaignId: string }) => {
  const campaign = await whatIfStore().get(input.campaignId);
  if (!campaign) throw new NotFoundError(`What-if ${input.campaignId} does not exist`);
  const { from, to, traderId, hsChapter, channel } = campaign.selection;
  const screened = new Map<string, string>();
  for (const event of await riskStore().riskEvents(from, to)) {
    if (event.type === 'RiskScreened') screened.set(event.declarationId, (event.data as { channel: string }).channel);
  }
  const declarationIds: string[] = [];
  for (const [id, screenedTo] of screened) {
    if (channel && screenedTo !== channel) continue;
    if (traderId || hsChapter) {
      const view = await declarationStore().getView(id);
      if (!view) continue;
      if (traderId && view.traderId !== traderId) continue;
      if (hsChapter && !view.declaration.items.some((item) => item.commodityCode?.startsWith(hsChapter))) continue;
    }
    declarationIds.push(id);
  }
  declarationIds.sort();
  await whatIfStore().setTotal(input.campaignId, declarationIds.length);
  return { declarationIds };
});
