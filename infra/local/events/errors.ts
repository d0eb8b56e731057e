/**
 * Errors of the local EventBridge, shaped like the AWS JSON protocol's error body
 * (`{"__type": "...", "message": "..."}`) so the HTTP layer can answer them unchanged and
 * `@aws-sdk/client-eventbridge` turns them into its named exception classes.
 */

/** The error codes the local bus raises (names from the EventBridge API reference). */
export type EventBridgeErrorType =
  | 'InvalidEventPatternException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ResourceAlreadyExistsException'
  | 'LimitExceededException'
  | 'IllegalStatusException'
  | 'UnknownOperationException';

/** An EventBridge API error: `name` and `__type` are the AWS error code. */
export class EventBridgeError extends Error {
  readonly __type: EventBridgeErrorType;

  constructor(type: EventBridgeErrorType, message: string) {
    super(message);
    this.name = type;
    this.__type = type;
  }

  /** The AWS JSON protocol error body. */
  toJSON(): { __type: EventBridgeErrorType; message: string } {
    return { __type: this.__type, message: this.message };
  }
}

/** Shorthand for the error PutRule / TestEventPattern raise on a pattern AWS would refuse. */
export const invalidPattern = (message: string): EventBridgeError =>
  new EventBridgeError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${message}`);
