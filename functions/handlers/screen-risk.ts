import { laneFor, profileSet, screenDeclaration } from '../domain/risk/index.js';
import { referenceCatalog } from '../adapters/files/reference-catalog.js';
import { riskStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Risk screening (workflow step): the channel from the profiles and lanes in force on the
 * acceptance date (the approved profiles stored over the API, else the reference-data set).
 * The whole screening — profiles evaluated, hits, random draws, explanation —
 * is recorded, so the channel can be explained and replayed.
 */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  const { risk } = referenceCatalog();
  // Versions administered over the API take over their own profiles from their dates.
  const profiles = profileSet(risk.profiles, await riskStore().profileVersions());
  const completedOn = view.completedOn!;
  const lane = laneFor(view.declaration, risk.lanes, completedOn);
  const laneKey = `${lane.id}@${lane.version}`;
  // Read only where the lane caps unselected hits: the counters are an input the screening records.
  const unselectedHits = lane.maximumHitsWithoutSelection === undefined ? {} : await riskStore().unselectedHits(laneKey);
  const screening = screenDeclaration(view.declaration, {
    declarationId: input.declarationId,
    version: input.version,
    profiles,
    lanes: risk.lanes,
    seed: risk.seed,
    completedOn,
    unselectedHits,
  });
  await appendStep(
    input,
    view,
    [stepEvent(input, 'risk', 'RiskScreened', { ...screening })],
    { channel: screening.channel, updatedAt: input.at },
  );
  // The decision is recorded first; the counters follow it (a crash in between loses one count,
  // which can only delay a forced selection, never force one twice).
  if (lane.maximumHitsWithoutSelection !== undefined) await riskStore().recordSampleOutcomes(laneKey, screening.sampleOutcomes);
  // Measurement reads the screenings by completion date (the report's period), not per declaration.
  await riskStore().logRiskEvent(screening.completedOn, input.at, { declarationId: input.declarationId, type: 'RiskScreened', data: screening });
  return { channel: screening.channel, standBySeconds: screening.standBySeconds ?? 0 };
});
