/**
 * Errors of the ASL engine. Two families:
 * - {@link StatesError}: a runtime error inside an execution (`Error`/`Cause` as in ASL), which
 *   Retry/Catch see and which fails the execution when uncaught;
 * - {@link SfnServiceError}: an error of the Step Functions API (`__type` + `message`), answered
 *   as HTTP 400 `{"__type": …, "message": …}` by the local endpoint.
 */

/** Predefined error names (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). */
export const StatesErrors = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  IntrinsicFailure: 'States.IntrinsicFailure',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
} as const;

/** An error raised inside an execution: what ASL calls `Error` (the name) and `Cause`. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    readonly cause?: string,
  ) {
    super(cause ?? error);
    this.name = error;
  }

  /** The error output handed to a Catcher (`{Error, Cause}`). */
  toErrorOutput(): { Error: string; Cause?: string } {
    return this.cause === undefined ? { Error: this.error } : { Error: this.error, Cause: this.cause };
  }
}

/**
 * Turns anything thrown by an integration into a {@link StatesError}. A `StatesError` passes
 * through; any other `Error` surfaces like a Lambda function error: `Error` = its `name` (the
 * Lambda `errorType`) and `Cause` = JSON `{errorMessage, errorType, trace}`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html, Lambda).
 */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const errorType = thrown.name || 'Error';
    const trace = thrown.stack ? thrown.stack.split('\n') : [];
    return new StatesError(errorType, JSON.stringify({ errorMessage: thrown.message, errorType, trace }));
  }
  return new StatesError('Error', JSON.stringify({ errorMessage: String(thrown), errorType: 'Error' }));
}

/** An error of the Step Functions JSON API (`__type` is the AWS error code). */
export class SfnServiceError extends Error {
  constructor(
    readonly __type: string,
    message: string,
  ) {
    super(message);
    this.name = __type;
  }

  toJSON(): { __type: string; message: string } {
    return { __type: this.__type, message: this.message };
  }
}

/**
 * A definition that AWS would reject (`CreateStateMachine` answers `InvalidDefinition`).
 * `problems` lists every violation found, each prefixed by the state path it concerns.
 */
export class InvalidDefinitionError extends SfnServiceError {
  constructor(readonly problems: string[]) {
    super('InvalidDefinition', `Invalid State Machine Definition: ${problems.join('; ')}`);
  }
}
