import { NotFoundError } from '../domain/errors.js';
import type { DeclarationView, NewHistoryEvent } from '../ports/declaration-store.js';
import { declarationStore } from './dependencies.js';

/**
 * What every lifecycle step receives from the workflow (see the `Payload` of each Task in
 * workflows/declaration-lifecycle.asl.json). `at` is the state's entered time: the step's clock
 * reading, recorded by the workflow, so a replay sees the same time (DESIGN.md §6).
 */
export interface StepInput {
  declarationId: string;
  version: number;
  at: string;
  correlationId: string;
}

/** Loads the declaration a step works on; a missing one is a workflow bug, not a business case. */
export async function loadView(input: StepInput): Promise<DeclarationView> {
  const view = await declarationStore().getView(input.declarationId);
  if (!view) throw new NotFoundError(`Declaration ${input.declarationId} does not exist`);
  return view;
}

/** A history event written by a workflow step, stamped with the step's clock and correlation. */
export function stepEvent(input: StepInput, actor: string, type: string, data: Record<string, unknown>): NewHistoryEvent {
  return { type, actor: `clearway:${actor}`, correlationId: input.correlationId, occurredAt: input.at, data };
}
