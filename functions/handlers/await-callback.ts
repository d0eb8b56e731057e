import { declarationStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { loadView, stepEvent, type StepInput } from '../shared/step.js';

interface AwaitInput extends StepInput {
  kind: 'officer' | 'payment';
  taskToken: string;
  channel?: string;
  overdue?: boolean;
}

/**
 * Parks a declaration until an outside party answers (workflow step, `.waitForTaskToken`):
 * an officer's decision on a held declaration, or the bank's payment notification. The task
 * token is stored against the declaration, so the answering API call finds it.
 */
export const handler = stepHandler(async (input: AwaitInput) => {
  await loadView(input);
  const store = declarationStore();
  await store.putCallback({
    declarationId: input.declarationId,
    kind: input.kind,
    taskToken: input.taskToken,
    createdAt: input.at,
    details: { channel: input.channel, overdue: input.overdue ?? false },
  });
  const officer = input.kind === 'officer';
  await store.append(
    input.declarationId,
    [stepEvent(input, 'callback', officer ? 'OfficerReviewRequested' : 'PaymentAwaited', {
      channel: input.channel,
      overdue: input.overdue ?? false,
    })],
    { status: officer ? 'HELD' : 'AWAITING_PAYMENT', updatedAt: input.at },
  );
});
