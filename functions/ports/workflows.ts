/** Starts and resumes workflow executions (Step Functions on AWS, the local interpreter locally). */
export interface Workflows {
  /** Starts `name` idempotently: the same name and input never start a second execution. */
  start(name: string, input: Record<string, unknown>): Promise<{ executionArn: string }>;
  resume(taskToken: string, output: Record<string, unknown>): Promise<void>;
  /** Stops execution `name` (a superseded version's); one that has ended or never started is left as it is. */
  stop(name: string, error: string, cause: string): Promise<void>;
}
