import { SfnServiceError, type LocalStepFunctions } from '../../infra/local/asl/index.js';
import { ConflictError } from '../domain/errors.js';
import type { Workflows } from '../ports/workflows.js';

const isServiceError = (error: unknown, type: string) => error instanceof SfnServiceError && error.__type === type;

/**
 * The lifecycle workflows of a replay sandbox: executions of the sandbox's one lifecycle state
 * machine on its own LocalStepFunctions, with the contract the deployed adapter
 * (`StepFunctionsWorkflows`) keeps — a repeated start answers the named execution, stopping one
 * that has ended or never started changes nothing, resuming a wait that has ended is a conflict.
 * So an amendment fed to the sandbox starts `<id>-v<n+1>` and stops `<id>-v<n>` there, as it did
 * live; the replay follows whichever version is current.
 */
export class SandboxWorkflows implements Workflows {
  /** The executions started, oldest first. */
  private readonly started: string[] = [];

  constructor(
    private readonly stepFunctions: LocalStepFunctions,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<{ executionArn: string }> {
    try {
      const { executionArn } = this.stepFunctions.startExecution({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) });
      this.started.push(name);
      return { executionArn };
    } catch (error) {
      if (!isServiceError(error, 'ExecutionAlreadyExists')) throw error;
      return { executionArn: this.executionArn(name) };
    }
  }

  async stop(name: string, error: string, cause: string): Promise<void> {
    try {
      await this.stepFunctions.stopExecution({ executionArn: this.executionArn(name), error, cause });
    } catch (failure) {
      if (!isServiceError(failure, 'ExecutionDoesNotExist')) throw failure;
    }
  }

  /** @throws ConflictError when the wait the token belongs to has already ended (timed out, or gone). */
  async resume(taskToken: string, output: Record<string, unknown>): Promise<void> {
    try {
      this.stepFunctions.sendTaskSuccess({ taskToken, output: JSON.stringify(output) });
    } catch (error) {
      if (isServiceError(error, 'TaskTimedOut') || isServiceError(error, 'TaskDoesNotExist')) {
        throw new ConflictError('The step this answers has already ended (its time ran out); read the declaration again');
      }
      throw error;
    }
  }

  /** The execution started last: the current version's. */
  get current(): string | undefined {
    return this.started.at(-1);
  }

  /** Whether any execution still runs (a superseded version's is stopped, the current one may wait). */
  running(): boolean {
    return this.started.some((name) => this.stepFunctions.describeExecution({ executionArn: this.executionArn(name) }).status === 'RUNNING');
  }

  /** Stops every execution still running, and resolves once each has ended. */
  async stopAll(error: string, cause: string): Promise<void> {
    await Promise.all(this.started.map((name) => this.stop(name, error, cause)));
    await Promise.all(this.started.map((name) => this.stepFunctions.awaitExecution(this.executionArn(name))));
  }

  private executionArn(name: string): string {
    return `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}
