import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

interface OutcomeInput extends StepInput {
  outcome: 'REJECTED' | 'FAILED' | 'SEIZED';
  /** The Step Functions error output: `{Error, Cause}`. */
  error?: { Error?: string; Cause?: string };
  state?: string;
}

const EVENT_TYPE: Record<OutcomeInput['outcome'], string> = {
  REJECTED: 'DeclarationRejected',
  FAILED: 'DeclarationFailed',
  SEIZED: 'GoodsSeized',
};

/** Records a terminal outcome — a rejection with its reasons, a seizure, or a failure — in the history. */
export const handler = stepHandler(async (input: OutcomeInput) => {
  const view = await loadView(input);
  await appendStep(
    input,
    view,
    [stepEvent(input, 'outcome', EVENT_TYPE[input.outcome], {
      error: input.error?.Error,
      reasons: parseCause(input.error?.Cause),
      state: input.state,
    })],
    { status: input.outcome, updatedAt: input.at },
  );
  return { status: input.outcome };
});

/** Lambda error causes arrive as JSON `{errorMessage, errorType, …}`; officers' reasons as text. */
function parseCause(cause: string | undefined): unknown {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string; issues?: unknown };
    return parsed.issues ?? parsed.errorMessage ?? parsed;
  } catch {
    return cause;
  }
}
