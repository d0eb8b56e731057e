import { eventBus, type TableModel } from '../app-model.js';
import type { StageName } from './stage-config.js';

/** Physical table name per stage (the model holds the logical name only). */
export const tablePhysicalName = (stage: StageName, table: TableModel): string => `clearway-${stage}-${table.name}`;

/** Physical event bus name per stage. */
export const eventBusPhysicalName = (stage: StageName): string => `${eventBus.name}-${stage}`;
