import { invalidPattern } from './errors.js';
import { inRange, parseCidr, parseIp, sameIp } from './ip.js';
import { compileWildcard } from './wildcard.js';

/**
 * The values one element of a leaf array in an event pattern can test (everything after
 * `"field": [ ... ]`), compiled once into plain predicates.
 *
 * Semantics follow the AWS "Content filtering in event patterns" page and event-ruler, which
 * EventBridge runs; the checks and their reasons are event-ruler's JsonRuleCompiler ones, which
 * PutRule returns verbatim ("Event pattern is not valid. Reason: …"). Type rules that emulators
 * often get wrong:
 * - string operators (prefix, suffix, equals-ignore-case, wildcard, cidr) only ever match JSON
 *   strings — event-ruler matches them on the quoted token, so `5` never has prefix `"5"`;
 * - numeric comparisons only match JSON numbers, never numeric-looking strings;
 * - anything-but fails only on a value *of the same kind* that is listed; other kinds pass.
 */

/** A value at a leaf of an event: what a pattern's leaf array is tested against. */
export type LeafValue = string | number | boolean | null;

/** One compiled element of a leaf array. */
export type LeafMatcher =
  | { kind: 'exists'; exists: boolean }
  | { kind: 'value'; test: (value: LeafValue) => boolean };

/**
 * event-ruler turns numbers into fixed-width comparable strings and only accepts numbers in
 * [-5.0e9, 5.0e9] (ComparableNumber; AWS docs "Numeric matching"). Pattern numbers outside are
 * rejected; event numbers outside never satisfy a numeric comparison.
 */
export const NUMERIC_LIMIT = 5e9;

const inNumericRange = (n: number): boolean => n >= -NUMERIC_LIMIT && n <= NUMERIC_LIMIT;
const isString = (v: LeafValue): v is string => typeof v === 'string';
const isNumber = (v: LeafValue): v is number => typeof v === 'number';
const lower = (s: string): string => s.toLowerCase();
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Compiles one element of a leaf array (`"x"`, `5`, `null`, `{ "prefix": "a" }`, …). */
export function compileLeafElement(element: unknown): LeafMatcher {
  if (element === null || typeof element === 'boolean' || typeof element === 'number') return { kind: 'value', test: (v) => v === element };
  if (typeof element === 'string') return { kind: 'value', test: exactString(element) };
  if (isPlainObject(element)) return compileOperator(element);
  throw invalidPattern('Match value must be String, number, true, false, or null');
}

/**
 * Exact string. A pattern string that is an IP address becomes a one-address range, so it also
 * matches other spellings of that address (event-ruler `CIDR.ipToRangeIfPossible`).
 */
function exactString(expected: string): (v: LeafValue) => boolean {
  const ip = parseIp(expected);
  if (!ip) return (v) => v === expected;
  return (v) => {
    if (v === expected) return true;
    const other = isString(v) ? parseIp(v) : undefined;
    return other !== undefined && sameIp(other, ip);
  };
}

/**
 * The first operator of a match expression and its operand. event-ruler reads the operand before
 * it notices a second key, so callers check {@link refuseMoreKeys} after compiling the operand.
 */
function firstKey(expression: Record<string, unknown>, notFound: string): [string, unknown] {
  const keys = Object.keys(expression);
  if (keys.length === 0) throw invalidPattern(notFound);
  return [keys[0], expression[keys[0]]];
}

function refuseMoreKeys<T>(expression: Record<string, unknown>, message: string, compiled: T): T {
  if (Object.keys(expression).length > 1) throw invalidPattern(message);
  return compiled;
}

const ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY_NUMERIC = 'Too many elements in numeric expression';

function compileOperator(expression: Record<string, unknown>): LeafMatcher {
  const [operator, operand] = firstKey(expression, 'Match expression name not found');
  return refuseMoreKeys(expression, extraKeyMessage(operator), compileOperand(operator, operand));
}

function compileOperand(operator: string, operand: unknown): LeafMatcher {
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw invalidPattern('exists match pattern must be either true or false.');
      return { kind: 'exists', exists: operand };
    case 'prefix':
      return valueTest(stringOrIgnoreCase(operand, 'prefix', (p) => (v) => v.startsWith(p), (p) => (v) => lower(v).startsWith(p)));
    case 'suffix':
      return valueTest(stringOrIgnoreCase(operand, 'suffix', (s) => (v) => v.endsWith(s), (s) => (v) => lower(v).endsWith(s)));
    case 'equals-ignore-case': {
      const expected = lower(requireString(operand, 'equals-ignore-case match pattern must be a string'));
      return valueTest((v) => lower(v) === expected);
    }
    case 'wildcard':
      return valueTest(compileWildcard(requireString(operand, 'wildcard match pattern must be a string')));
    case 'cidr': {
      // event-ruler's message for a non-string cidr really names "prefix" (recorded from AWS too).
      const range = parseCidr(requireString(operand, 'prefix match pattern must be a string'));
      return valueTest((v) => {
        const ip = parseIp(v);
        return ip !== undefined && inRange(range, ip);
      });
    }
    case 'numeric':
      return { kind: 'value', test: compileNumeric(operand) };
    case 'anything-but':
      return { kind: 'value', test: compileAnythingBut(operand) };
    default:
      throw invalidPattern(`Unrecognized match type ${operator}`);
  }
}

/** What event-ruler says when a match expression has a second key, by first operator. */
function extraKeyMessage(operator: string): string {
  return operator === 'numeric' || operator === 'anything-but' ? TOO_MANY_NUMERIC : ONE_KEY;
}

/** A predicate over strings lifted to leaf values: non-strings never match. */
const valueTest = (onString: (v: string) => boolean): LeafMatcher => ({
  kind: 'value',
  test: (v) => isString(v) && onString(v),
});

function requireString(operand: unknown, message: string): string {
  if (typeof operand !== 'string') throw invalidPattern(message);
  return operand;
}

/** `prefix`/`suffix` take a string, or `{ "equals-ignore-case": string }`. */
function stringOrIgnoreCase(
  operand: unknown,
  operator: 'prefix' | 'suffix',
  exact: (s: string) => (v: string) => boolean,
  ignoreCase: (loweredOperand: string) => (v: string) => boolean,
): (v: string) => boolean {
  if (typeof operand === 'string') return exact(operand);
  if (!isPlainObject(operand)) throw invalidPattern(`${operator} match pattern must be a string`);
  const Name = operator === 'prefix' ? 'Prefix' : 'Suffix';
  const [inner, value] = firstKey(operand, `${Name} expression name not found`);
  if (inner !== 'equals-ignore-case') throw invalidPattern(`Unsupported ${operator} pattern: ${inner}`);
  return refuseMoreKeys(operand, ONE_KEY, ignoreCase(lower(requireString(value, 'equals-ignore-case match pattern must be a string'))));
}

/** A number of a pattern that event-ruler turns into a comparable number (ComparableNumber). */
function comparable(value: number): number {
  if (!inNumericRange(value)) throw invalidPattern('Value must be between -5.0E9 and 5.0E9, inclusive');
  return value;
}

type Bound = { value: number; open: boolean };

/**
 * `numeric`: `["=", n]`, `["<"|"<=", n]`, or `[">"|">=", n]` optionally followed by
 * `"<"|"<=", m` with n < m — the only shapes event-ruler's compiler accepts. As there, terms are
 * read (operator, type, arity) before the numbers are range-checked.
 */
function compileNumeric(operand: unknown): (v: LeafValue) => boolean {
  if (!Array.isArray(operand)) throw invalidPattern('Value of numeric must be an array.');
  const terms = operand as unknown[];
  const text = (i: number) => (i < terms.length ? String(terms[i]) : ']');
  const numberAt = (i: number, operator: string): number => {
    if (typeof terms[i] !== 'number') throw invalidPattern(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
    return terms[i] as number;
  };
  const op = terms[0];
  if (typeof op !== 'string') throw invalidPattern(`Invalid member in numeric match: ${text(0)}`);
  let lowerBound: Bound | undefined;
  let upperBound: Bound | undefined;
  switch (op) {
    case '=': {
      const n = numberAt(1, op);
      if (terms.length > 2) throw invalidPattern(TOO_MANY_NUMERIC);
      comparable(n);
      return (v) => isNumber(v) && v === n;
    }
    case '<':
    case '<=':
      upperBound = { value: numberAt(1, op), open: op === '<' };
      if (terms.length > 2) throw invalidPattern(TOO_MANY_NUMERIC);
      break;
    case '>':
    case '>=': {
      lowerBound = { value: numberAt(1, op), open: op === '>' };
      if (terms.length === 2) break;
      const op2 = terms[2];
      if (typeof op2 !== 'string') throw invalidPattern(`Bad value in numeric range: ${text(2)}`);
      if (op2 !== '<' && op2 !== '<=') throw invalidPattern(`Bad numeric range operator: ${op2}`);
      upperBound = { value: numberAt(3, op2), open: op2 === '<' };
      if (terms.length > 4) throw invalidPattern('Too many terms in numeric range expression');
      break;
    }
    default:
      throw invalidPattern(`Unrecognized numeric range operator: ${op}`);
  }
  if (lowerBound) comparable(lowerBound.value);
  if (upperBound) comparable(upperBound.value);
  if (lowerBound && upperBound && !(lowerBound.value < upperBound.value)) throw invalidPattern('Bottom must be less than top');
  const above = boundTest(lowerBound, (x, b) => x > b, (x, b) => x >= b);
  const below = boundTest(upperBound, (x, b) => x < b, (x, b) => x <= b);
  return (v) => isNumber(v) && inNumericRange(v) && above(v) && below(v);
}

function boundTest(bound: Bound | undefined, open: (x: number, b: number) => boolean, closed: (x: number, b: number) => boolean): (x: number) => boolean {
  if (bound === undefined) return () => true;
  const { value } = bound;
  return bound.open ? (x) => open(x, value) : (x) => closed(x, value);
}

type ExcludedBy = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

/** event-ruler's message for a non-string operand of `anything-but: {<kind>: …}`. */
const NOT_A_STRING: Record<ExcludedBy, string> = {
  'equals-ignore-case': 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  prefix: 'prefix/suffix match pattern must be a string',
  suffix: 'prefix/suffix match pattern must be a string',
  wildcard: 'wildcard match pattern must be a string',
};

/**
 * `anything-but`: a string, a number, a list of strings or of numbers (not mixed), or an object
 * `{prefix|suffix|equals-ignore-case|wildcard: string | string[]}`. A leaf matches when it is
 * present and not excluded; absence is not "anything but" (it is handled by the caller: no value,
 * no match).
 */
function compileAnythingBut(operand: unknown): (v: LeafValue) => boolean {
  if (isPlainObject(operand)) {
    const [kind, values] = firstKey(operand, 'Anything-But expression name not found');
    if (kind !== 'equals-ignore-case' && kind !== 'prefix' && kind !== 'suffix' && kind !== 'wildcard') {
      throw invalidPattern(`Unsupported anything-but pattern: ${kind}`);
    }
    const excluded = refuseMoreKeys(operand, TOO_MANY_NUMERIC, compileExclusions(kind, values));
    return (v) => !(isString(v) && excluded(v));
  }
  if (typeof operand === 'string') return (v) => v !== operand;
  if (typeof operand === 'number') {
    const n = comparable(operand);
    return (v) => !(isNumber(v) && v === n);
  }
  if (!Array.isArray(operand)) throw invalidPattern('Value of anything-but must be an array or single string/number value.');
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const x of operand) {
    if (typeof x === 'string') strings.push(x);
    else if (typeof x === 'number') numbers.push(comparable(x));
    else throw invalidPattern('Inside anything but list, start|null|boolean is not supported.');
  }
  if (strings.length > 0 === numbers.length > 0) {
    throw invalidPattern('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  const stringSet = new Set(strings);
  const numberSet = new Set(numbers);
  return (v) => !(isString(v) ? stringSet.has(v) : isNumber(v) && numberSet.has(v));
}

/** The strings `anything-but: {<kind>: …}` excludes, as one predicate. */
function compileExclusions(kind: ExcludedBy, operand: unknown): (v: string) => boolean {
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
    throw invalidPattern('Value of anything-but must be an array or single string/number value.');
  }
  const list = Array.isArray(operand) ? operand : [operand];
  const values = list.map((x) => requireString(x, NOT_A_STRING[kind]));
  if ((kind === 'prefix' || kind === 'suffix') && values.some((s) => s === '')) throw invalidPattern('Null prefix/suffix not allowed');
  switch (kind) {
    case 'prefix':
      return (v) => values.some((p) => v.startsWith(p));
    case 'suffix':
      return (v) => values.some((s) => v.endsWith(s));
    case 'equals-ignore-case': {
      const lowered = new Set(values.map(lower));
      return (v) => lowered.has(lower(v));
    }
    case 'wildcard': {
      const wildcards = values.map(compileWildcard);
      return (v) => wildcards.some((w) => w(v));
    }
  }
}
