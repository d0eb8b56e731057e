/**
 * JSONata in Step Functions: strings of the form `{% expression %}` are evaluated, every other
 * value is literal. Each expression is compiled once per definition; at evaluation time only the
 * variables an expression mentions are bound, next to `$states` and the Step Functions extension
 * functions (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
import { randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError, StatesErrors } from './errors.js';
import { hashHex, inclusiveRange, partition, seededRandom } from './intrinsics.js';

/** `$states` as a JSONata state sees it. */
export interface StatesVariable {
  input: unknown;
  result?: unknown;
  errorOutput?: unknown;
  context: unknown;
}

/** What a JSONata template may read. */
export interface JsonataScope {
  states: StatesVariable;
  /** Looks up a workflow variable (Assign); `undefined` when not defined. */
  variable(name: string): unknown;
}

/** A compiled JSONata template (a `{% %}` string, or an object/array containing some). */
export type JsonataTemplate = (scope: JsonataScope) => Promise<unknown>;

const EXPRESSION = /^\{%([\s\S]*)%\}$/;

/** True when `value` is a `{% … %}` expression string. */
export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

function fail(message: string): never {
  throw new Error(message);
}

/** Step Functions' additions to JSONata (`$eval` is not available). */
const EXTENSIONS: Record<string, (...args: any[]) => unknown> = {
  // $partition rounds a fractional size down, unlike States.ArrayPartition.
  partition: (array: unknown, size: number) => partition(Array.isArray(array) ? array : fail('$partition: first argument must be an array'), Math.floor(size)),
  range: (start: number, end: number, step: number) => inclusiveRange(start, end, step),
  hash: (data: unknown, algorithm: unknown) => hashHex(data, algorithm),
  random: (seed?: number) => (seed === undefined ? Math.random() : seededRandom(seed)),
  uuid: () => randomUUID(),
  parse: (text: unknown) => (typeof text === 'string' ? JSON.parse(text) : fail('$parse: argument must be a string')),
  eval: () => fail('$eval is not supported by Step Functions'),
};

function collectVariableNames(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectVariableNames(n, into);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as { type?: string; value?: unknown };
  if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '') into.add(n.value);
  for (const child of Object.values(node)) if (typeof child === 'object' && child !== null) collectVariableNames(child, into);
}

/** Converts a JSONata result into plain JSON (sequences to arrays); rejects functions. */
function toJson(value: unknown): unknown {
  if (typeof value === 'function') throw new StatesError(StatesErrors.QueryEvaluationError, 'The JSONata expression returned a function, not a JSON value');
  if (typeof value === 'number' && !Number.isFinite(value)) throw new StatesError(StatesErrors.QueryEvaluationError, 'The JSONata expression returned a non-finite number');
  if (Array.isArray(value)) return Array.from(value, toJson);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
    return out;
  }
  return value;
}

function compileExpression(source: string, field: string): JsonataTemplate {
  const body = EXPRESSION.exec(source)![1];
  let expression: jsonata.Expression;
  try {
    expression = jsonata(body);
  } catch (e) {
    throw new Error(`${field}: invalid JSONata expression ${source}: ${(e as Error).message}`);
  }
  const names = new Set<string>();
  collectVariableNames(expression.ast(), names);
  const used = [...names];
  return async (scope) => {
    const bindings: Record<string, unknown> = {};
    for (const name of used) {
      if (name === 'states') bindings.states = scope.states;
      else {
        const v = scope.variable(name);
        if (v !== undefined) bindings[name] = v;
        else if (EXTENSIONS[name]) bindings[name] = EXTENSIONS[name];
      }
    }
    let result: unknown;
    try {
      result = await expression.evaluate(null, bindings);
    } catch (e) {
      throw new StatesError(StatesErrors.QueryEvaluationError, `An error occurred while evaluating the JSONata expression ${source} in field '${field}': ${(e as Error).message}`);
    }
    return toJson(result);
  };
}

/**
 * Compiles a JSONata-state field value once. Object fields whose expression yields nothing
 * (undefined) are left out; a top-level expression yielding nothing is a
 * `States.QueryEvaluationError`.
 */
export function compileJsonataTemplate(template: unknown, field: string): JsonataTemplate {
  const compiled = compileNode(template, field);
  return async (scope) => {
    const value = await compiled(scope);
    if (value === undefined) {
      throw new StatesError(StatesErrors.QueryEvaluationError, `The JSONata expression in field '${field}' returned no value`);
    }
    return value;
  };
}

function compileNode(template: unknown, field: string): JsonataTemplate {
  if (isJsonataExpression(template)) return compileExpression(template, field);
  if (Array.isArray(template)) {
    const items = template.map((t, i) => compileNode(t, `${field}[${i}]`));
    return async (scope) => {
      const out: unknown[] = [];
      for (const item of items) out.push((await item(scope)) ?? null);
      return out;
    };
  }
  if (typeof template === 'object' && template !== null) {
    const entries = Object.entries(template).map(([k, v]) => [k, compileNode(v, `${field}.${k}`)] as const);
    return async (scope) => {
      const out: Record<string, unknown> = {};
      for (const [k, build] of entries) {
        const v = await build(scope);
        if (v !== undefined) out[k] = v;
      }
      return out;
    };
  }
  return async () => template;
}
