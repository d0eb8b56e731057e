import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ConflictError } from '../../domain/errors.js';
import type { Workflows } from '../../ports/workflows.js';

/** Workflows on one Step Functions state machine. */
export class StepFunctionsWorkflows implements Workflows {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    // Standard workflows answer a repeated name idempotently while the execution runs, and
    // with ExecutionAlreadyExists once it has ended: either way the named execution exists, and
    // execution names are never reused for other work, so a retry never starts a second one.
    try {
      const result = await this.client.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
      return { executionArn: result.executionArn! };
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
      return { executionArn: this.executionArn(name) };
    }
  }

  async stop(name: string, error: string, cause: string): Promise<void> {
    try {
      // Stopping an execution that has already ended changes nothing (it keeps its status).
      await this.client.send(new StopExecutionCommand({ executionArn: this.executionArn(name), error, cause }));
    } catch (failure) {
      if (!(failure instanceof ExecutionDoesNotExist)) throw failure;
    }
  }

  private executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }

  /** @throws ConflictError when the wait the token belongs to has already ended (timed out, or gone). */
  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist) {
        throw new ConflictError('The step this answers has already ended (its time ran out); read the declaration again');
      }
      throw error;
    }
  }
}
