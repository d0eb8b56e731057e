/**
 * Where the Step Functions execution history of each ended lifecycle execution is kept, so it
 * outlives the 90 days AWS retains it: pages of `GetExecutionHistory` events as JSON text.
 */
export interface ExecutionArchive {
  /** Stores one page (0-based) of an execution's history; writing the same page again replaces it with the same text. */
  putPage(declarationId: string, executionName: string, page: number, eventsJson: string): Promise<void>;
  /** The stored pages of an execution, in order. */
  pages(declarationId: string, executionName: string): Promise<string[]>;
}
