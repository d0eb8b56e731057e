import { SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Workflows } from '../../ports/workflows.js';

/** Workflows on one Step Functions state machine. */
export class StepFunctionsWorkflows implements Workflows {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    // Standard workflows answer a repeated name with the same input idempotently (AWS
    // StartExecution), so a retried submission never starts a second execution.
    const result = await this.client.send(
      new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
    );
    return { executionArn: result.executionArn! };
  }

  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
  }
}
