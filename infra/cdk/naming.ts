import { eventBus, type QueueName, type TableModel, type WorkflowName } from '../app-model.js';
import type { StageName } from './stage-config.js';

/** Physical table name per stage (the model holds the logical name only). */
export const tablePhysicalName = (stage: StageName, table: TableModel): string => `clearway-${stage}-${table.name}`;

/** Physical event bus name per stage. */
export const eventBusPhysicalName = (stage: StageName): string => `${eventBus.name}-${stage}`;

/** Physical name of a model queue per stage (officers and ops find their queue by name). */
export const queuePhysicalName = (stage: StageName, queue: QueueName): string => `clearway-${stage}-${queue}`;

/**
 * Physical state machine name per stage: known at synth time, so a grant on its executions
 * (`…:execution:<name>:*`, e.g. StopExecution of a superseded version) names it literally.
 */
export const stateMachinePhysicalName = (stage: StageName, workflow: WorkflowName): string => `clearway-${stage}-${workflow}`;

/** Physical name of the dead-letter queue behind a model queue. */
export const deadLetterQueuePhysicalName = (stage: StageName, queue: QueueName): string =>
  `${queuePhysicalName(stage, queue)}-dlq`;
