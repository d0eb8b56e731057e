/**
 * What a state's expressions read: the JSONPath documents (`$` = `data`, `$$` = the Context
 * object, `$name` = a variable) and JSONata's `$states`. The Context object is built only when
 * an expression reads it — most states never do, and building it (an ISO timestamp, nested
 * objects) on every state would cost more than the state itself.
 */
import type { RunContext } from './interpreter.js';
import type { StatesVariable } from './jsonata-eval.js';
import type { Thread } from './thread.js';

/** One state visit (or Task/Parallel/Map attempt): what its Context object is made of. */
export class Frame {
  private built?: Record<string, unknown>;

  constructor(
    readonly rc: RunContext,
    readonly thread: Thread,
    readonly stateName: string,
    /** Extra Context-object fields (`Task.Token`, `Map.Item`). */
    private readonly extra?: Record<string, unknown>,
  ) {}

  /** The Context object (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html). */
  context(): Record<string, unknown> {
    if (!this.built) {
      const { rc, thread } = this;
      this.built = {
        Execution: rc.execution,
        State: { Name: this.stateName, EnteredTime: new Date(thread.entered).toISOString(), RetryCount: thread.retryCount },
        StateMachine: rc.stateMachine,
        ...this.extra,
      };
    }
    return this.built;
  }

  /** The same visit with more Context-object fields. */
  with(extra: Record<string, unknown>): Frame {
    return new Frame(this.rc, this.thread, this.stateName, this.extra ? { ...this.extra, ...extra } : extra);
  }

  /** The scope of the visit's state input. */
  scope(): Scope {
    return new Scope(this.thread.input, this);
  }
}

/** The documents one expression evaluation reads. */
export class Scope {
  private statesVariable?: StatesVariable;

  constructor(
    /** `$` of JSONPath. */
    readonly data: unknown,
    private readonly frame: Frame,
    private readonly result?: unknown,
    private readonly errorOutput?: unknown,
  ) {}

  /** `$$`. */
  get context(): Record<string, unknown> {
    return this.frame.context();
  }

  /** `$name` (JSONPath). */
  variables(name: string): unknown {
    return this.frame.thread.variables.get(name);
  }

  /** `$name` (JSONata). */
  variable(name: string): unknown {
    return this.frame.thread.variables.get(name);
  }

  /** JSONata's `$states`: input, Context object, and the result or error output when there is one. */
  get states(): StatesVariable {
    if (!this.statesVariable) {
      const frame = this.frame;
      this.statesVariable = {
        input: frame.thread.input,
        get context() {
          return frame.context();
        },
      };
      if (this.result !== undefined) this.statesVariable.result = this.result;
      if (this.errorOutput !== undefined) this.statesVariable.errorOutput = this.errorOutput;
    }
    return this.statesVariable;
  }

  /** The same scope reading another JSONPath document. */
  withData(data: unknown): Scope {
    return new Scope(data, this.frame, this.result, this.errorOutput);
  }

  /** The scope of a state's output processing: `$states.result` is the work's result. */
  withResult(result: unknown): Scope {
    return new Scope(this.data, this.frame, result);
  }

  /** The scope of a catcher: `$states.errorOutput` is the error. */
  withErrorOutput(errorOutput: unknown): Scope {
    return new Scope(this.data, this.frame, undefined, errorOutput);
  }
}
