import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

/** Release (workflow step): records the release of the goods; the workflow then emits the notice. */
export const handler = stepHandler(async (input: StepInput) => {
  const view = await loadView(input);
  if (view.status === 'RELEASED') return { releasedAt: view.updatedAt };
  await appendStep(
    input,
    view,
    [stepEvent(input, 'release', 'DeclarationReleased', { entryNumber: view.entryNumber, releasedAt: input.at })],
    { status: 'RELEASED', updatedAt: input.at },
  );
  return { releasedAt: input.at };
});
