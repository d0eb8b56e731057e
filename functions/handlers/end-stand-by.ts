import { declarationStore, riskStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { loadView, stepEvent, type StepInput } from '../shared/step.js';

/**
 * Ends a GREEN declaration's stand-by when no officer picked it for control in time (workflow
 * step after the stand-by wait timed out): the callback token is dropped, the work item closed,
 * and the history says the declaration went on unselected.
 */
export const handler = stepHandler(async (input: StepInput) => {
  await loadView(input);
  const store = declarationStore();
  await store.takeCallback(input.declarationId, 'officer');
  const workItem = await riskStore().getWorkItem(input.declarationId);
  if (workItem?.queue === 'stand-by' && workItem.status === 'OPEN') {
    await riskStore().putWorkItem({ ...workItem, status: 'CLOSED', updatedAt: input.at });
  }
  await store.append(input.declarationId, [stepEvent(input, 'risk', 'StandByElapsed', {})], { updatedAt: input.at });
});
