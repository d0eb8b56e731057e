/** The local Step Functions engine: an Amazon States Language interpreter and the service API over it. */
export { compileStateMachine, type CompiledStateMachine, type CompiledMachine, type CompiledState } from './compile.js';
export { InvalidDefinitionError, SfnServiceError, StatesError, StatesErrors, toStatesError } from './errors.js';
export type { ApiHistoryEvent, HistoryEvent } from './history.js';
export { runThread, type Checkpointer, type RunContext } from './interpreter.js';
export { JournalExecutionStore, type JournalExecutionStoreOptions } from './journal.js';
export { notRedrivableReason, prepareRedrive } from './redrive.js';
export { Thread, type Phase, type ThreadSnapshot } from './thread.js';
export { compilePath, readPath, writePath, type CompiledPath } from './jsonpath.js';
export { parseResource, type IntegrationPattern, type TaskResource } from './resources.js';
export { errorMatches, retryDelayMs } from './retry.js';
export { LocalStepFunctions, type DescribeExecutionOutput, type LocalStepFunctionsOptions, type StepFunctionsMetrics } from './service.js';
export { isDurable, MemoryExecutionStore, type DurableExecutionStore, type ExecutionRecord, type ExecutionStatus, type ExecutionStore, type MemoryExecutionStoreOptions, type StateMachineRecord, type StateMachineType } from './store.js';
export type { Integrations, NestedExecutionHost, TaskContext } from './tasks.js';
export { TaskTokenRegistry, type TokenOutcome } from './task-tokens.js';
export { validateDefinition, type QueryLanguage } from './validate.js';
export { VariableScope } from './variables.js';
export { systemClock, VirtualClock, type Clock } from '../clock.js';
