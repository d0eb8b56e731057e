/**
 * Workflow variables (`Assign`). The top-level states share one scope; each Parallel branch and
 * Map iteration gets a child scope that reads its parents' variables, and whose own assignments
 * disappear when the branch ends. New values take effect when the assigning state finishes
 * (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */
export class VariableScope {
  private values?: Map<string, unknown>;

  constructor(
    private readonly parent?: VariableScope,
    initial?: Record<string, unknown>,
  ) {
    if (initial) this.values = new Map(Object.entries(initial));
  }

  /** The value of `name` here or in an enclosing scope; `undefined` when not defined. */
  get(name: string): unknown {
    const own = this.values?.get(name);
    if (own !== undefined || this.values?.has(name)) return own;
    return this.parent?.get(name);
  }

  /** Applies the assignments of one state (all evaluated before any takes effect). */
  assign(assignments: Record<string, unknown>): void {
    this.values ??= new Map();
    for (const [name, value] of Object.entries(assignments)) this.values.set(name, value);
  }

  /** This scope's own variables (for persistence); undefined when it has none. */
  ownVariables(): Record<string, unknown> | undefined {
    return this.values?.size ? Object.fromEntries(this.values) : undefined;
  }
}
