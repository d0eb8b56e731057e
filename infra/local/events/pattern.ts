import { invalidPattern } from './errors.js';
import { compileLeafElement, type LeafMatcher, type LeafValue } from './leaf-matchers.js';
import { mergeRepeatedKey, parsePatternText } from './pattern-json.js';

/**
 * EventBridge event patterns: validation and matching, compiled once per pattern.
 *
 * A pattern is a tree of objects whose leaves are arrays of allowed values/operators. An event
 * matches when every field of the pattern matches (AND), any element of a leaf array matches (OR),
 * and, for each `"$or": [ {…}, {…} ]`, at least one branch matches. A pattern the `$or`-aware
 * compiler refuses is compiled again with `"$or"` as an ordinary field name, as event-ruler does
 * for backward compatibility (so `"$or": {…}` is a field, and that compiler's error is the one
 * reported).
 *
 * Arrays in the event: a leaf matches if any element matches; where an object pattern meets an
 * array of objects, all its fields must be satisfied by the *same* element (event-ruler's
 * array-consistent `rulesForJSONEvent`, which EventBridge follows).
 *
 * Field names are paths joined with dots, as event-ruler compiles them: a pattern key
 * `"state.status"` is the field `status` inside `state`, and so is an event key `"state.status"`
 * (event-ruler README, "Compiled rules and JSON keys with dots"; AWS behaves so).
 *
 * Existence: a field "exists" when it has at least one leaf value (string, number, boolean or
 * null). An object or an empty array is not a leaf value, so `{"exists": false}` matches a field
 * holding an object (AWS docs: exists matching only works on leaf nodes).
 */

/** A compiled pattern: cheap to call on the hot path. */
export type CompiledPattern = (event: unknown) => boolean;

/** The pattern as an object, or its JSON text (repeated keys are read as EventBridge reads them). */
export type PatternInput = Record<string, unknown> | string;

interface ObjectNode {
  fields: [name: string, test: (value: unknown) => boolean][];
  /** Each group is one `$or`: at least one branch must match the same object. */
  orGroups: ObjectNode[][];
}

const OR = '$or';

/**
 * Names that may not be field names inside a `$or` branch: the operators, and the names
 * event-ruler reserves for future ones (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
 */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=',
  'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compiles an event pattern into a predicate over events.
 * @throws EventBridgeError `InvalidEventPatternException` for a pattern EventBridge rejects.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const tree = typeof pattern === 'string' ? parsePatternText(pattern) : pattern;
  if (!isPlainObject(tree)) throw invalidPattern('Filter is not an object');
  let root: ObjectNode;
  try {
    root = compileObject(tree, { orIsOperator: true, insideOr: false });
  } catch (error) {
    // event-ruler's Machine.addRule: when the $or-aware compiler refuses a rule, the legacy
    // compiler, for which "$or" is an ordinary field name, gets the rule — and the last word.
    if (!mentionsOr(tree)) throw error;
    root = compileObject(tree, { orIsOperator: false, insideOr: false });
  }
  return (event) => matchObject(root, event);
}

/**
 * Checks an event pattern the way PutRule does.
 * @throws EventBridgeError `InvalidEventPatternException` with the reason.
 */
export function validatePattern(pattern: unknown): void {
  compilePattern(pattern);
}

/** One-shot match (compiles the pattern each call; keep {@link compilePattern} for hot paths). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

interface CompileMode {
  /** `"$or"` introduces alternatives (event-ruler JsonRuleCompiler) or is a field name (RuleCompiler). */
  orIsOperator: boolean;
  insideOr: boolean;
}

function compileObject(object: Record<string, unknown>, mode: CompileMode): ObjectNode {
  const entries = Object.entries(object);
  if (entries.length === 0) throw invalidPattern('Empty objects are not allowed');
  for (const [name, value] of entries) {
    if (name === OR && mode.orIsOperator) continue;
    if (mode.insideOr && RESERVED_IN_OR.has(name)) throw invalidPattern(`${name} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    if (!isPlainObject(value) && !Array.isArray(value)) throw invalidPattern(`"${name}" must be an object or an array`);
  }
  if (entries.some(([name]) => name.includes('.'))) return compileObject(splitDottedKeys(entries), mode);
  const node: ObjectNode = { fields: [], orGroups: [] };
  for (const [name, value] of entries) {
    if (name === OR && mode.orIsOperator) {
      node.orGroups.push(compileOr(value, mode));
    } else if (isPlainObject(value)) {
      const child = compileObject(value, mode);
      node.fields.push([name, (v) => matchObject(child, v)]);
    } else {
      node.fields.push([name, compileLeaf(value as unknown[])]);
    }
  }
  return node;
}

/** `{"a.b": x}` as `{"a": {"b": x}}`, merged with the other fields (a repeated leaf: the last wins). */
function splitDottedKeys(entries: [string, unknown][]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const [head, ...rest] = name.split('.');
    const nested = rest.reduceRight<unknown>((inner, key) => withField({}, key, inner), value);
    withField(result, head, Object.prototype.hasOwnProperty.call(result, head) ? mergeRepeatedKey(result[head], nested) : nested);
  }
  return result;
}

/** Sets an own field (also one named `__proto__`). */
function withField(object: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

function compileOr(branches: unknown, mode: CompileMode): ObjectNode[] {
  if (!Array.isArray(branches)) throw invalidPattern(`It must be an Array followed with ${OR}.`);
  const compiled = branches.map((branch) => {
    if (!isPlainObject(branch)) throw invalidPattern(`Only JSON object is allowed in array of ${OR} relationship.`);
    return compileObject(branch, { ...mode, insideOr: true });
  });
  if (compiled.length < 2) throw invalidPattern(`There must have at least 2 Objects in ${OR} relationship.`);
  return compiled;
}

/** True when some object of the pattern has a `"$or"` key. */
function mentionsOr(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(mentionsOr);
  if (!isPlainObject(node)) return false;
  return Object.prototype.hasOwnProperty.call(node, OR) || Object.values(node).some(mentionsOr);
}

function compileLeaf(elements: unknown[]): (value: unknown) => boolean {
  const matchers: LeafMatcher[] = elements.map((e) => compileLeafElement(e));
  if (matchers.length === 0) throw invalidPattern('Empty arrays are not allowed');
  const valueTests = matchers.flatMap((m) => (m.kind === 'value' ? [m.test] : []));
  const whenPresent = matchers.some((m) => m.kind === 'exists' && m.exists);
  const whenAbsent = matchers.some((m) => m.kind === 'exists' && !m.exists);
  const anyTest = (v: LeafValue): boolean => valueTests.some((t) => t(v));
  return (value) => {
    // Hot path: a present scalar needs no array of values.
    if (value !== undefined && (value === null || typeof value !== 'object')) return whenPresent || anyTest(value as LeafValue);
    const values = leafValues(value);
    if (values.length === 0) return whenAbsent;
    return whenPresent || values.some(anyTest);
  };
}

const NO_VALUES: LeafValue[] = [];

/** The leaf values found at a field: a scalar, or the scalars of a (nested) array; objects have none. */
function leafValues(value: unknown): LeafValue[] {
  if (value === undefined) return NO_VALUES;
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (typeof value === 'object' && value !== null) return NO_VALUES;
  return [value as LeafValue];
}

/** Matches an object node against an event value; arrays try each element as a whole. */
function matchObject(node: ObjectNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    // An empty array holds no fields, so only absence tests can succeed against it.
    return value.length === 0 ? matchFields(node, undefined) : value.some((element) => matchObject(node, element));
  }
  return matchFields(node, isPlainObject(value) ? value : undefined);
}

function matchFields(node: ObjectNode, object: Record<string, unknown> | undefined): boolean {
  const fields = object === undefined ? undefined : withDotsExpanded(object);
  for (const [name, test] of node.fields) {
    if (!test(fields !== undefined && Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined)) return false;
  }
  for (const group of node.orGroups) {
    if (!group.some((branch) => matchFields(branch, object))) return false;
  }
  return true;
}

/** Event objects as seen through their dotted keys, computed once per object. */
const expandedViews = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/**
 * An event object with each dotted key `"a.b"` read as `b` inside `a` (merged with a real `a`).
 * Where both spellings give the same field a value, the field holds both (as an array would).
 */
function withDotsExpanded(object: Record<string, unknown>): Record<string, unknown> {
  let view = expandedViews.get(object);
  if (view === undefined) {
    view = Object.keys(object).some((key) => key.includes('.')) ? expandDots(object) : object;
    expandedViews.set(object, view);
  }
  return view;
}

function expandDots(object: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const put = (target: Record<string, unknown>, path: string[], value: unknown): void => {
    const [head, ...rest] = path;
    const has = Object.prototype.hasOwnProperty.call(target, head);
    if (rest.length === 0) {
      const existing = target[head];
      withField(target, head, !has ? value : isPlainObject(existing) && isPlainObject(value) ? { ...existing, ...value } : [existing, value]);
      return;
    }
    const existing = has ? target[head] : undefined;
    const inner = isPlainObject(existing) ? { ...existing } : {};
    put(inner, rest, value);
    withField(target, head, existing === undefined || isPlainObject(existing) ? inner : [existing, inner]);
  };
  for (const [key, value] of Object.entries(object)) put(result, key.split('.'), value);
  return result;
}
