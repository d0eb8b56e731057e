import { NotFoundError, VersionSupersededError } from '../domain/errors.js';
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

/**
 * Loads the declaration a step works on; a missing one is a workflow bug, not a business case.
 * @throws VersionSupersededError when an amendment or cancellation made another version current:
 *   the workflow of this version ends (`Superseded`), the new version's execution carries on
 */
export async function loadView(input: StepInput): Promise<DeclarationView> {
  const view = await declarationStore().getView(input.declarationId);
  if (!view) throw new NotFoundError(`Declaration ${input.declarationId} does not exist`);
  if (view.version !== input.version) {
    throw new VersionSupersededError(`Declaration ${input.declarationId} is at version ${view.version}; version ${input.version} was superseded`);
  }
  return view;
}

/**
 * Appends a step's events and view changes onto the view the step decided on (`basis`, from
 * {@link loadView}), only while the step's version is the current one.
 */
export function appendStep(input: StepInput, basis: DeclarationView, events: NewHistoryEvent[], changes: Partial<DeclarationView>): Promise<DeclarationView> {
  return declarationStore().append(input.declarationId, events, changes, { expectedVersion: input.version, basis });
}

/** A history event written by a workflow step, stamped with the step's clock and correlation. */
export function stepEvent(input: StepInput, actor: string, type: string, data: Record<string, unknown>): NewHistoryEvent {
  return { type, actor: `clearway:${actor}`, correlationId: input.correlationId, occurredAt: input.at, data };
}
