/**
 * `compileStateMachine`: validates a definition once and compiles every path, payload template,
 * intrinsic function, Choice rule and JSONata expression into closures the interpreter calls
 * per execution — nothing is re-parsed at run time.
 */
import { compileChoiceRule, expectBoolean } from './choice.js';
import { InvalidDefinitionError, StatesError, StatesErrors } from './errors.js';
import { compileIntrinsic, isIntrinsic } from './intrinsics.js';
import { compileJsonataTemplate } from './jsonata-eval.js';
import { compilePath, readPath, type CompiledPath } from './jsonpath.js';
import { compilePayloadTemplate, type PayloadTemplate } from './payload-template.js';
import { describeResource, parseResource, type TaskResource } from './resources.js';
import type { Scope } from './scope.js';
import { validateDefinition, type QueryLanguage } from './validate.js';

/** What every compiled expression may read: the JSONPath documents and the JSONata `$states`. */
export type EvalScope = Scope;

/** A compiled expression producing a value. */
export type Evaluator<T = unknown> = (scope: EvalScope) => T | Promise<T>;

/** A compiled retrier (defaults from the ASL spec: 1 s, 3 attempts, ×2.0). */
export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: boolean;
}

/** A compiled catcher. */
export interface Catcher {
  errorEquals: string[];
  next: string;
  /** JSONPath: where the error output goes (`null` = discard); undefined = `$`. */
  resultPath?: CompiledPath | null;
  /** JSONata: the state output when caught (default: `$states.errorOutput`). */
  output?: Evaluator;
  assign?: Evaluator<Record<string, unknown>>;
}

/** A compiled Choice rule. */
export interface ChoiceBranch {
  test: Evaluator<boolean>;
  next: string;
  assign?: Evaluator<Record<string, unknown>>;
  output?: Evaluator;
}

/** A compiled state. Fields are set per type and query language. */
export interface CompiledState {
  name: string;
  type: 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
  /** `<Type>StateEntered` / `<Type>StateExited`. */
  enteredEvent: string;
  exitedEvent: string;
  language: QueryLanguage;
  next?: string;
  // JSONPath input/output processing (undefined = '$', null = JSON null handling per AWS).
  inputPath?: CompiledPath | null;
  parameters?: PayloadTemplate;
  resultSelector?: PayloadTemplate;
  resultPath?: CompiledPath | null;
  outputPath?: CompiledPath | null;
  /** Pass `Result`. */
  result?: unknown;
  hasResult?: boolean;
  // JSONata
  arguments?: Evaluator;
  output?: Evaluator;
  assign?: Evaluator<Record<string, unknown>>;
  retriers: Retrier[];
  catchers: Catcher[];
  // Task
  resource?: TaskResource;
  resourceArn?: string;
  /** `resourceType` / `resource` of the Task* history events. */
  taskEventResource?: { resourceType: string; resource: string };
  timeoutSeconds?: Evaluator<number | undefined>;
  heartbeatSeconds?: Evaluator<number | undefined>;
  // Choice
  choices?: ChoiceBranch[];
  defaultNext?: string;
  // Wait: the wake-up time, epoch ms, given "now".
  waitUntil?: (scope: EvalScope, now: number) => Promise<number>;
  // Fail
  error?: Evaluator<string | undefined>;
  cause?: Evaluator<string | undefined>;
  // Parallel
  branches?: CompiledMachine[];
  // Map
  processor?: CompiledMachine;
  items?: Evaluator;
  itemSelector?: Evaluator;
  maxConcurrency?: Evaluator<number | undefined>;
  /** Distributed mode (`ItemProcessor.ProcessorConfig.Mode: DISTRIBUTED`) and what only it has. */
  distributed?: boolean;
  label?: string;
  itemReader?: ItemReader;
  itemBatcher?: ItemBatcher;
  /** A distributed Map's `ResultWriter`: where the results go instead of the state's output. */
  resultWriter?: { parameters?: Evaluator; transformation: string };
  toleratedFailureCount?: Evaluator<number | undefined>;
  toleratedFailurePercentage?: Evaluator<number | undefined>;
}

/** A distributed Map's `ItemReader`: an `s3:getObject` or `s3:listObjectsV2` call and its `ReaderConfig`. */
export interface ItemReader {
  resource: string;
  action: 'getObject' | 'listObjectsV2';
  parameters?: Evaluator;
  config: Record<string, any>;
}

/** A distributed Map's `ItemBatcher`. */
export interface ItemBatcher {
  maxItems?: Evaluator<number | undefined>;
  maxBytes?: Evaluator<number | undefined>;
  batchInput?: Evaluator;
}

/** A compiled (sub-)machine: the top level, a Parallel branch or a Map item processor. */
export interface CompiledMachine {
  startAt: string;
  states: Map<string, CompiledState>;
}

/** A compiled, validated state machine definition. */
export interface CompiledStateMachine extends CompiledMachine {
  definition: Record<string, any>;
  timeoutSeconds?: number;
  queryLanguage: QueryLanguage;
}

/**
 * Validates and compiles a definition (object or JSON text). Throws {@link InvalidDefinitionError}
 * listing every problem, as `CreateStateMachine` answers `InvalidDefinition`.
 */
export function compileStateMachine(definition: unknown): CompiledStateMachine {
  let parsed = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (e) {
      throw new InvalidDefinitionError([`the definition is not valid JSON: ${(e as Error).message}`]);
    }
  }
  const problems = validateDefinition(parsed);
  if (problems.length) throw new InvalidDefinitionError(problems);
  const def = parsed as Record<string, any>;
  const language: QueryLanguage = def.QueryLanguage ?? 'JSONPath';
  const compiler = new Compiler();
  const machine = compiler.machine(def, '', language);
  if (compiler.problems.length) throw new InvalidDefinitionError(compiler.problems);
  return { ...machine, definition: def, timeoutSeconds: def.TimeoutSeconds, queryLanguage: language };
}

class Compiler {
  readonly problems: string[] = [];

  /** Runs `build`, recording a problem (and returning undefined) when it throws. */
  private attempt<T>(at: string, build: () => T): T | undefined {
    try {
      return build();
    } catch (e) {
      this.problems.push(e instanceof Error && e.message.startsWith(at) ? e.message : `${at}: ${(e as Error).message}`);
      return undefined;
    }
  }

  machine(def: Record<string, any>, at: string, language: QueryLanguage): CompiledMachine {
    const states = new Map<string, CompiledState>();
    for (const [name, state] of Object.entries(def.States as Record<string, any>)) {
      states.set(name, this.state(name, state, `${at}/States/${name}`, (state.QueryLanguage as QueryLanguage) ?? language));
    }
    return { startAt: def.StartAt, states };
  }

  private path(value: unknown, at: string): CompiledPath | null | undefined {
    if (value === undefined || value === null) return value;
    return this.attempt(at, () => compilePath(value as string));
  }

  private jsonata(value: unknown, at: string): Evaluator | undefined {
    return this.attempt(at, () => compileJsonataTemplate(value, at.split('/').pop()!));
  }

  private template(value: unknown, at: string): PayloadTemplate | undefined {
    return this.attempt(at, () => compilePayloadTemplate(value, at.split('/').pop()!));
  }

  /** A JSONPath `…Path` field value: a reference path or (for some fields) an intrinsic function. */
  private pathOrIntrinsic(value: string, at: string): Evaluator | undefined {
    if (isIntrinsic(value)) return this.attempt(at, () => compileIntrinsic(value));
    const path = this.path(value, at);
    return path ? (scope) => readPath(path, scope) : undefined;
  }

  /** A field that is a literal, or (in JSONata states) may contain `{% %}` expressions. */
  private literalOrJsonata<T>(value: unknown, language: QueryLanguage, at: string): Evaluator<T> | undefined {
    if (value === undefined) return undefined;
    if (language === 'JSONata') return this.jsonata(value, at) as Evaluator<T> | undefined;
    return () => value as T;
  }

  private assign(value: unknown, language: QueryLanguage, at: string): Evaluator<Record<string, unknown>> | undefined {
    if (value === undefined) return undefined;
    return (language === 'JSONata' ? this.jsonata(value, at) : this.template(value, at)) as Evaluator<Record<string, unknown>> | undefined;
  }

  private state(name: string, s: Record<string, any>, at: string, language: QueryLanguage): CompiledState {
    const state: CompiledState = {
      name,
      type: s.Type,
      enteredEvent: `${s.Type}StateEntered`,
      exitedEvent: `${s.Type}StateExited`,
      language,
      next: s.Next,
      retriers: (s.Retry ?? []).map((r: Record<string, any>) => ({
        errorEquals: r.ErrorEquals,
        intervalSeconds: r.IntervalSeconds ?? 1,
        maxAttempts: r.MaxAttempts ?? 3,
        backoffRate: r.BackoffRate ?? 2,
        maxDelaySeconds: r.MaxDelaySeconds,
        jitter: r.JitterStrategy === 'FULL',
      })),
      catchers: (s.Catch ?? []).map((c: Record<string, any>, i: number) => ({
        errorEquals: c.ErrorEquals,
        next: c.Next,
        resultPath: language === 'JSONPath' ? this.path(c.ResultPath, `${at}/Catch/${i}/ResultPath`) : undefined,
        output: language === 'JSONata' && c.Output !== undefined ? this.jsonata(c.Output, `${at}/Catch/${i}/Output`) : undefined,
        assign: this.assign(c.Assign, language, `${at}/Catch/${i}/Assign`),
      })),
      assign: this.assign(s.Assign, language, `${at}/Assign`),
    };
    if (language === 'JSONPath') {
      state.inputPath = this.path(s.InputPath, `${at}/InputPath`);
      state.outputPath = this.path(s.OutputPath, `${at}/OutputPath`);
      state.resultPath = this.path(s.ResultPath, `${at}/ResultPath`);
      if (s.Parameters !== undefined && s.Type !== 'Map') state.parameters = this.template(s.Parameters, `${at}/Parameters`);
      if (s.ResultSelector !== undefined) state.resultSelector = this.template(s.ResultSelector, `${at}/ResultSelector`);
      if ('Result' in s) (state.result = s.Result), (state.hasResult = true);
    } else {
      if (s.Arguments !== undefined) state.arguments = this.jsonata(s.Arguments, `${at}/Arguments`);
      if (s.Output !== undefined) state.output = this.jsonata(s.Output, `${at}/Output`);
    }
    switch (s.Type) {
      case 'Task':
        this.task(state, s, at);
        break;
      case 'Choice':
        state.defaultNext = s.Default;
        state.choices = (s.Choices as Record<string, any>[]).map((rule, i) => this.choice(rule, `${at}/Choices/${i}`, language, name));
        break;
      case 'Wait':
        this.wait(state, s, at);
        break;
      case 'Fail':
        if (language === 'JSONPath') {
          state.error = s.ErrorPath !== undefined ? (this.pathOrIntrinsic(s.ErrorPath, `${at}/ErrorPath`) as Evaluator<string>) : () => s.Error;
          state.cause = s.CausePath !== undefined ? (this.pathOrIntrinsic(s.CausePath, `${at}/CausePath`) as Evaluator<string>) : () => s.Cause;
        } else {
          state.error = this.literalOrJsonata<string>(s.Error, language, `${at}/Error`);
          state.cause = this.literalOrJsonata<string>(s.Cause, language, `${at}/Cause`);
        }
        break;
      case 'Parallel':
        state.branches = (s.Branches as Record<string, any>[]).map((b, i) => this.machine(b, `${at}/Branches/${i}`, language));
        break;
      case 'Map':
        this.map(state, s, at, language);
        break;
    }
    return state;
  }

  private task(state: CompiledState, s: Record<string, any>, at: string): void {
    state.resourceArn = s.Resource;
    state.resource = this.attempt(`${at}/Resource`, () => parseResource(s.Resource));
    if (state.resource) state.taskEventResource = describeResource(state.resource, s.Resource);
    const seconds = (literal: string, pathField: string) => {
      if (s[pathField] !== undefined) return this.pathOrIntrinsic(s[pathField], `${at}/${pathField}`) as Evaluator<number>;
      return this.literalOrJsonata<number>(s[literal], state.language, `${at}/${literal}`);
    };
    state.timeoutSeconds = seconds('TimeoutSeconds', 'TimeoutSecondsPath');
    state.heartbeatSeconds = seconds('HeartbeatSeconds', 'HeartbeatSecondsPath');
  }

  private wait(state: CompiledState, s: Record<string, any>, at: string): void {
    let seconds: Evaluator | undefined;
    let timestamp: Evaluator | undefined;
    if (s.SecondsPath !== undefined) seconds = this.pathOrIntrinsic(s.SecondsPath, `${at}/SecondsPath`);
    else if (s.TimestampPath !== undefined) timestamp = this.pathOrIntrinsic(s.TimestampPath, `${at}/TimestampPath`);
    else if (s.Seconds !== undefined) seconds = this.literalOrJsonata(s.Seconds, state.language, `${at}/Seconds`) as Evaluator;
    else timestamp = this.literalOrJsonata(s.Timestamp, state.language, `${at}/Timestamp`) as Evaluator;
    state.waitUntil = async (scope, now) => {
      if (seconds) {
        const v = await seconds(scope);
        if (!Number.isInteger(v) || (v as number) < 0) {
          throw new StatesError(StatesErrors.Runtime, `Wait state '${state.name}': Seconds must be a non-negative integer, got ${JSON.stringify(v)}`);
        }
        return now + (v as number) * 1000;
      }
      const v = await timestamp!(scope);
      const ms = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
      if (Number.isNaN(ms)) throw new StatesError(StatesErrors.Runtime, `Wait state '${state.name}': Timestamp must be an ISO-8601 timestamp, got ${JSON.stringify(v)}`);
      return ms;
    };
  }

  private choice(rule: Record<string, any>, at: string, language: QueryLanguage, stateName: string): ChoiceBranch {
    let test: Evaluator<boolean> | undefined;
    if (language === 'JSONata') {
      const condition = this.literalOrJsonata<unknown>(rule.Condition, language, `${at}/Condition`);
      if (condition) test = async (scope) => expectBoolean(await condition(scope), stateName);
    } else {
      test = this.attempt(at, () => compileChoiceRule(rule));
    }
    return {
      test: test ?? (() => false),
      next: rule.Next,
      assign: this.assign(rule.Assign, language, `${at}/Assign`),
      output: language === 'JSONata' && rule.Output !== undefined ? this.jsonata(rule.Output, `${at}/Output`) : undefined,
    };
  }

  private map(state: CompiledState, s: Record<string, any>, at: string, language: QueryLanguage): void {
    const processorKey = s.ItemProcessor ? 'ItemProcessor' : 'Iterator';
    const { ProcessorConfig: config, ...processor } = s[processorKey];
    state.processor = this.machine(processor, `${at}/${processorKey}`, language);
    state.distributed = config?.Mode === 'DISTRIBUTED';
    state.label = s.Label;
    if (s.ResultWriter) {
      const w = s.ResultWriter;
      const args = language === 'JSONata' ? w.Arguments : w.Parameters;
      state.resultWriter = {
        parameters: args === undefined ? undefined : language === 'JSONata' ? this.jsonata(args, `${at}/ResultWriter/Arguments`) : this.template(args, `${at}/ResultWriter/Parameters`),
        transformation: w.WriterConfig?.Transformation ?? 'NONE',
      };
    }
    const selector = s.ItemSelector ?? s.Parameters;
    state.maxConcurrency = this.numberField(s, 'MaxConcurrency', language, at);
    state.toleratedFailureCount = this.numberField(s, 'ToleratedFailureCount', language, at);
    state.toleratedFailurePercentage = this.numberField(s, 'ToleratedFailurePercentage', language, at);
    if (language === 'JSONPath') {
      const itemsPath = this.path(s.ItemsPath ?? '$', `${at}/ItemsPath`);
      if (itemsPath) state.items = (scope) => readPath(itemsPath, scope);
      if (selector !== undefined) state.itemSelector = this.template(selector, `${at}/${s.ItemSelector ? 'ItemSelector' : 'Parameters'}`);
    } else {
      const items = s.Items === undefined ? undefined : this.literalOrJsonata(s.Items, language, `${at}/Items`);
      state.items = items ?? ((scope) => scope.states.input);
      if (selector !== undefined) state.itemSelector = this.jsonata(selector, `${at}/ItemSelector`);
    }
    if (s.ItemReader) {
      const r = s.ItemReader;
      const args = language === 'JSONata' ? r.Arguments : r.Parameters;
      state.itemReader = {
        resource: r.Resource,
        action: String(r.Resource).endsWith(':listObjectsV2') ? 'listObjectsV2' : 'getObject',
        parameters: args === undefined ? undefined : language === 'JSONata' ? this.jsonata(args, `${at}/ItemReader/Arguments`) : this.template(args, `${at}/ItemReader/Parameters`),
        config: r.ReaderConfig ?? {},
      };
    }
    if (s.ItemBatcher) {
      const b = s.ItemBatcher;
      state.itemBatcher = {
        maxItems: this.numberField(b, 'MaxItemsPerBatch', language, `${at}/ItemBatcher`),
        maxBytes: this.numberField(b, 'MaxInputBytesPerBatch', language, `${at}/ItemBatcher`),
        batchInput: b.BatchInput === undefined ? undefined : language === 'JSONata' ? this.jsonata(b.BatchInput, `${at}/ItemBatcher/BatchInput`) : this.template(b.BatchInput, `${at}/ItemBatcher/BatchInput`),
      };
    }
  }

  /** A numeric field given as a literal, a JSONata expression, or (JSONPath) its `…Path` form. */
  private numberField(s: Record<string, any>, field: string, language: QueryLanguage, at: string): Evaluator<number | undefined> | undefined {
    if (s[`${field}Path`] !== undefined) {
      const read = this.pathOrIntrinsic(s[`${field}Path`], `${at}/${field}Path`);
      return read && (async (scope) => {
        const v = await read(scope);
        if (typeof v !== 'number' || v < 0) throw new StatesError(StatesErrors.Runtime, `${field}Path must select a non-negative number, got ${JSON.stringify(v)}`);
        return v;
      });
    }
    return this.literalOrJsonata<number>(s[field], language, `${at}/${field}`);
  }
}
