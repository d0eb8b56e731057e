import { invalidPattern } from './errors.js';
import { cidrContains, parseCidr, parseIp, sameIp } from './ip.js';
import { compileWildcard } from './wildcard.js';

/**
 * The values one element of a leaf array in an event pattern can test (everything after
 * `"field": [ ... ]`), compiled once into plain predicates.
 *
 * Semantics follow the AWS "Content filtering in event patterns" page and event-ruler, which
 * EventBridge patterns follow. Type rules that emulators often get wrong:
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
export function compileLeafElement(element: unknown, field: string): LeafMatcher {
  if (element === null || typeof element === 'boolean') return { kind: 'value', test: (v) => v === element };
  if (typeof element === 'number') return { kind: 'value', test: (v) => v === element };
  if (typeof element === 'string') return { kind: 'value', test: exactString(element) };
  if (isPlainObject(element)) return compileOperator(element, field);
  throw invalidPattern(`match value of "${field}" must be a string, number, true, false, null or an operator object`);
}

/** Exact string; a pattern string that is an IP address also matches other spellings of it. */
function exactString(expected: string): (v: LeafValue) => boolean {
  const ip = parseIp(expected);
  if (!ip) return (v) => v === expected;
  return (v) => {
    if (v === expected) return true;
    const other = isString(v) ? parseIp(v) : undefined;
    return other !== undefined && sameIp(other, ip);
  };
}

function compileOperator(expression: Record<string, unknown>, field: string): LeafMatcher {
  const keys = Object.keys(expression);
  if (keys.length !== 1) throw invalidPattern(`only one key allowed in match expression of "${field}"`);
  const [operator] = keys;
  const operand = expression[operator];
  const where = `${operator} in "${field}"`;
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw invalidPattern(`exists match pattern must be either true or false (${field})`);
      return { kind: 'exists', exists: operand };
    case 'prefix':
      return valueTest(stringOrIgnoreCase(operand, where, (p) => (v) => v.startsWith(p), (p) => (v) => lower(v).startsWith(p)));
    case 'suffix':
      return valueTest(stringOrIgnoreCase(operand, where, (s) => (v) => v.endsWith(s), (s) => (v) => lower(v).endsWith(s)));
    case 'equals-ignore-case': {
      const expected = lower(requireString(operand, where));
      return valueTest((v) => lower(v) === expected);
    }
    case 'wildcard':
      return valueTest(compileWildcard(requireString(operand, where)));
    case 'cidr': {
      const block = parseCidr(requireString(operand, where));
      if (!block) throw invalidPattern(`nonstandard IP address or CIDR block: ${JSON.stringify(operand)} (${field})`);
      return valueTest((v) => {
        const ip = parseIp(v);
        return ip !== undefined && cidrContains(block, ip);
      });
    }
    case 'numeric':
      return { kind: 'value', test: compileNumeric(operand, field) };
    case 'anything-but':
      return { kind: 'value', test: compileAnythingBut(operand, field) };
    default:
      throw invalidPattern(`unrecognized match type ${operator} (${field})`);
  }
}

/** A predicate over strings lifted to leaf values: non-strings never match. */
const valueTest = (onString: (v: string) => boolean): LeafMatcher => ({
  kind: 'value',
  test: (v) => isString(v) && onString(v),
});

function requireString(operand: unknown, where: string): string {
  if (typeof operand !== 'string') throw invalidPattern(`${where} must be a string`);
  return operand;
}

/** `prefix`/`suffix` take a string, or `{ "equals-ignore-case": string }`. */
function stringOrIgnoreCase(
  operand: unknown,
  where: string,
  exact: (s: string) => (v: string) => boolean,
  ignoreCase: (loweredOperand: string) => (v: string) => boolean,
): (v: string) => boolean {
  if (typeof operand === 'string') return exact(operand);
  if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    return ignoreCase(lower(requireString(operand['equals-ignore-case'], `equals-ignore-case of ${where}`)));
  }
  throw invalidPattern(`${where} must be a string or {"equals-ignore-case": string}`);
}

const NUMERIC_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function requirePatternNumber(value: unknown, where: string): number {
  if (typeof value !== 'number') throw invalidPattern(`${where} must be numeric`);
  if (!inNumericRange(value)) throw invalidPattern(`${where}: value must be between -5.0E9 and 5.0E9, inclusive`);
  return value;
}

/**
 * `numeric`: `["=", n]`, `["<"|"<=", n]`, or `[">"|">=", n]` optionally followed by
 * `"<"|"<=", m` with n < m — the only shapes event-ruler's compiler accepts.
 */
function compileNumeric(operand: unknown, field: string): (v: LeafValue) => boolean {
  const where = `numeric in "${field}"`;
  if (!Array.isArray(operand) || operand.length === 0) throw invalidPattern(`value of ${where} must be a non-empty array`);
  const [op, value, op2, value2, ...rest] = operand;
  if (typeof op !== 'string' || !NUMERIC_OPERATORS.has(op)) throw invalidPattern(`unrecognized numeric range operator ${JSON.stringify(op)} (${field})`);
  const n = requirePatternNumber(value, `value of ${op} in "${field}"`);
  let test: (x: number) => boolean;
  if (operand.length === 2) {
    test = { '=': (x: number) => x === n, '<': (x: number) => x < n, '<=': (x: number) => x <= n, '>': (x: number) => x > n, '>=': (x: number) => x >= n }[
      op as '=' | '<' | '<=' | '>' | '>='
    ];
  } else {
    if (op !== '>' && op !== '>=') throw invalidPattern(`too many elements in ${where}`);
    if (operand.length !== 4 || rest.length > 0) throw invalidPattern(`too many or too few terms in ${where}`);
    if (op2 !== '<' && op2 !== '<=') throw invalidPattern(`bad numeric range operator ${JSON.stringify(op2)} (${field})`);
    const m = requirePatternNumber(value2, `value of ${op2} in "${field}"`);
    if (!(n < m)) throw invalidPattern(`bottom must be less than top in ${where}`);
    const above = op === '>' ? (x: number) => x > n : (x: number) => x >= n;
    const below = op2 === '<' ? (x: number) => x < m : (x: number) => x <= m;
    test = (x) => above(x) && below(x);
  }
  return (v) => isNumber(v) && inNumericRange(v) && test(v);
}

/**
 * `anything-but`: a string, a number, a list of strings or of numbers (not mixed), or an object
 * `{prefix|suffix|equals-ignore-case|wildcard: string | string[]}`. A leaf matches when it is
 * present and not excluded; absence is not "anything but" (it is handled by the caller: no value,
 * no match).
 */
function compileAnythingBut(operand: unknown, field: string): (v: LeafValue) => boolean {
  const where = `anything-but in "${field}"`;
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length !== 1) throw invalidPattern(`only one key allowed in ${where}`);
    const [op] = keys;
    const values = stringList(operand[op], `${op} of ${where}`);
    let excluded: (v: string) => boolean;
    switch (op) {
      case 'prefix':
      case 'suffix': {
        if (values.some((s) => s === '')) throw invalidPattern(`null prefix/suffix not allowed in ${where}`);
        excluded = op === 'prefix' ? (v) => values.some((p) => v.startsWith(p)) : (v) => values.some((s) => v.endsWith(s));
        break;
      }
      case 'equals-ignore-case': {
        const lowered = new Set(values.map(lower));
        excluded = (v) => lowered.has(lower(v));
        break;
      }
      case 'wildcard': {
        const wildcards = values.map(compileWildcard);
        excluded = (v) => wildcards.some((w) => w(v));
        break;
      }
      default:
        throw invalidPattern(`unsupported anything-but pattern: ${op} (${field})`);
    }
    return (v) => !(isString(v) && excluded(v));
  }
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length > 0 && list.every((x) => typeof x === 'string')) {
    const strings = new Set(list as string[]);
    return (v) => !(isString(v) && strings.has(v));
  }
  if (list.length > 0 && list.every((x) => typeof x === 'number')) {
    const numbers = new Set(list.map((x) => requirePatternNumber(x, where)));
    return (v) => !(isNumber(v) && numbers.has(v));
  }
  throw invalidPattern(`${where} must be a string, a number, or a non-empty list of all strings or all numbers`);
}

function stringList(operand: unknown, where: string): string[] {
  const list = Array.isArray(operand) ? operand : [operand];
  if (list.length === 0 || !list.every((x) => typeof x === 'string')) throw invalidPattern(`${where} must be a string or a non-empty list of strings`);
  return list as string[];
}
