import { noResource, type Deliver } from './delivery.js';
import type { LocalQueues } from './queues.js';

/** The local services a rule target can be. */
export interface TargetServices {
  queues: LocalQueues;
  lambda: {
    /** Throws when there is no such function. */
    resolveName(nameOrArn: string): string;
    invoke(nameOrArn: string, payload: unknown): Promise<unknown>;
  };
  /** Starts an execution of a state machine; throws when there is no such state machine. */
  startExecution(stateMachineArn: string, input: string): unknown;
  /** Where a failed asynchronous Lambda invocation is reported (default: stderr). */
  onLambdaError?: (functionArn: string, error: unknown) => void;
}

/**
 * Delivery to the target an ARN names, as EventBridge does it:
 * - an SQS queue gets the payload as a message (with the message attributes of a dead letter);
 * - a Lambda function is invoked asynchronously (as EventBridge does: Lambda developer guide,
 *   "Invoking a Lambda function asynchronously"), so the delivery succeeds once the invocation is
 *   accepted and a failing function is Lambda's business, not a failed delivery;
 * - a state machine gets a StartExecution with the payload as input.
 * A target that does not exist (or that the local runtime does not have) fails with NO_RESOURCE,
 * which EventBridge does not retry.
 */
export function targetDeliverer(services: TargetServices): Deliver {
  const reportLambdaError = services.onLambdaError ?? ((arn, error) => console.error(`local event bus: asynchronous invocation of ${arn} failed`, error));
  return async (targetArn, payload, messageAttributes) => {
    const service = targetArn.split(':')[2];
    if (service === 'sqs') return services.queues.send(targetArn, payload, messageAttributes);
    if (service === 'lambda') {
      failsAsNoResource(() => services.lambda.resolveName(targetArn));
      void services.lambda.invoke(targetArn, payload).catch((error) => reportLambdaError(targetArn, error));
      return;
    }
    if (service === 'states') {
      failsAsNoResource(() => services.startExecution(targetArn, JSON.stringify(payload)));
      return;
    }
    throw noResource(`The local runtime has no target ${targetArn}.`);
  };
}

function failsAsNoResource(call: () => unknown): void {
  try {
    call();
  } catch (error) {
    throw noResource(error instanceof Error ? error.message : String(error));
  }
}
