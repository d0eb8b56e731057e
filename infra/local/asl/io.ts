/**
 * Input and output processing of one state, in either query language
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
 * - JSONPath: InputPath → Parameters → (work) → ResultSelector → ResultPath (into the raw
 *   input) → OutputPath; `Assign` reads the selected result;
 * - JSONata: Arguments → (work) → Output (default `$states.result`, or the input for states
 *   without a result); `Assign` and `Output` both see the variables as they were on entry.
 */
import type { Catcher, CompiledState, EvalScope } from './compile.js';
import { StatesError, StatesErrors } from './errors.js';
import { readPath, writePath, type CompiledPath } from './jsonpath.js';

/** InputPath/OutputPath: `null` gives `{}`; a missing node is a `States.Runtime` error. */
function filterPath(path: CompiledPath | null | undefined, value: unknown, scope: EvalScope): unknown {
  if (path === undefined) return value;
  if (path === null) return {};
  return readPath(path, scope.withData(value));
}

/**
 * The effective input of a state's work: JSONPath InputPath then Parameters; JSONata
 * `Arguments` (default: the state input).
 */
export async function effectiveInput(state: CompiledState, raw: unknown, scope: EvalScope): Promise<unknown> {
  if (state.language === 'JSONata') return state.arguments ? state.arguments(scope) : raw;
  const filtered = filterPath(state.inputPath, raw, scope);
  return state.parameters ? state.parameters(scope.withData(filtered)) : filtered;
}

/** Just the JSONPath InputPath (Map reads items and builds item inputs from it). */
export function inputPathOnly(state: CompiledState, raw: unknown, scope: EvalScope): unknown {
  return state.language === 'JSONata' ? raw : filterPath(state.inputPath, raw, scope);
}

/** A state's output and the variables it assigns. */
export interface StateOutcome {
  output: unknown;
  assigned?: Record<string, unknown>;
}

/**
 * Output of a state that finished its work with `result` (`undefined` for states that produce
 * none: Choice, Wait, Succeed and JSONata Pass).
 */
export async function stateOutput(state: CompiledState, raw: unknown, result: unknown, scope: EvalScope): Promise<StateOutcome> {
  if (state.language === 'JSONata') {
    const jsonataScope = result === undefined ? scope : scope.withResult(result);
    const assigned = state.assign ? await state.assign(jsonataScope) : undefined;
    const output = state.output ? await state.output(jsonataScope) : result === undefined ? raw : result;
    return { output, assigned };
  }
  const selected = state.resultSelector && result !== undefined ? state.resultSelector(scope.withData(result)) : result;
  const assigned = state.assign ? ((await state.assign(scope.withData(selected === undefined ? raw : selected))) as Record<string, unknown>) : undefined;
  let combined: unknown;
  if (selected === undefined) combined = filterPath(state.inputPath, raw, scope);
  else if (state.resultPath === null) combined = raw;
  else if (state.resultPath === undefined) combined = selected;
  else combined = writePath(state.resultPath, raw, selected);
  return { output: filterPath(state.outputPath, combined, scope), assigned };
}

/** Output of a state whose error was caught by `catcher`. */
export async function catcherOutput(state: CompiledState, catcher: Catcher, raw: unknown, error: StatesError, scope: EvalScope): Promise<StateOutcome> {
  const errorOutput = error.toErrorOutput();
  if (state.language === 'JSONata') {
    const s = scope.withErrorOutput(errorOutput);
    const assigned = catcher.assign ? await catcher.assign(s) : undefined;
    return { output: catcher.output ? await catcher.output(s) : errorOutput, assigned };
  }
  const assigned = catcher.assign ? await catcher.assign(scope.withData(errorOutput)) : undefined;
  if (catcher.resultPath === null) return { output: raw, assigned };
  if (catcher.resultPath === undefined) return { output: errorOutput, assigned };
  return { output: writePath(catcher.resultPath, raw, errorOutput), assigned };
}

/** Evaluates an optional numeric field (TimeoutSeconds…), which must be a positive integer. */
export async function positiveSeconds(value: ((scope: EvalScope) => unknown) | undefined, scope: EvalScope, field: string): Promise<number | undefined> {
  if (!value) return undefined;
  const v = await value(scope);
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || (v as number) <= 0) throw new StatesError(StatesErrors.Runtime, `${field} must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}
