import { openWorkItem, type Channel } from '../domain/risk/index.js';
import { declarationStore, riskStore } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';
import { appendStep, loadView, stepEvent, type StepInput } from '../shared/step.js';

interface AwaitInput extends StepInput {
  kind: 'officer' | 'payment';
  taskToken: string;
  channel?: Channel;
  overdue?: boolean;
  /** The officer's deadline passed once already: the work goes to the supervisor. */
  escalated?: boolean;
  /** A GREEN declaration standing by this long before release (the lane's stand-by). */
  standBySeconds?: number;
}

/**
 * Parks a declaration until an outside party answers (workflow step, `.waitForTaskToken`):
 * an officer's decision on a held declaration, or the bank's payment notification. The task
 * token is stored against the declaration, so the answering API call finds it. An officer
 * wait also opens a work item in the channel's queue (the supervisor's once escalated, the
 * stand-by queue for a GREEN declaration standing by before release).
 */
export const handler = stepHandler(async (input: AwaitInput) => {
  const view = await loadView(input);
  const store = declarationStore();
  await store.putCallback({
    declarationId: input.declarationId,
    kind: input.kind,
    taskToken: input.taskToken,
    createdAt: input.at,
    details: { channel: input.channel, overdue: input.overdue ?? false },
  });
  const officer = input.kind === 'officer';
  if (officer) {
    const screening = (await store.getHistory(input.declarationId)).findLast((event) => event.type === 'RiskScreened');
    await riskStore().putWorkItem(openWorkItem({
      declarationId: input.declarationId,
      version: input.version,
      channel: input.channel ?? 'YELLOW',
      escalated: input.escalated ?? false,
      at: input.at,
      explanation: String((screening?.data as { explanation?: string } | undefined)?.explanation ?? ''),
      declaration: view.declaration,
      ...(input.standBySeconds ? { standBySeconds: input.standBySeconds } : {}),
    }));
  }
  const standingBy = officer && input.standBySeconds !== undefined;
  await appendStep(
    input,
    view,
    [stepEvent(input, 'callback', standingBy ? 'StandByStarted' : officer ? 'OfficerReviewRequested' : 'PaymentAwaited', {
      channel: input.channel,
      overdue: input.overdue ?? false,
      ...(officer ? { escalated: input.escalated ?? false } : {}),
      ...(standingBy ? { standBySeconds: input.standBySeconds } : {}),
    })],
    { status: standingBy ? 'STAND_BY' : officer ? 'HELD' : 'AWAITING_PAYMENT', updatedAt: input.at },
  );
});
