/**
 * Choice rules of JSONPath states, compiled once into predicates
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). A comparison on a
 * missing `Variable` is a `States.Runtime` error unless guarded (e.g. by `IsPresent`); a value
 * of the wrong type simply does not match — there is no coercion.
 */
import { StatesError, StatesErrors } from './errors.js';
import { compilePath, pathExists, readPath, type PathScope } from './jsonpath.js';

/** A compiled Choice rule. */
export type ChoicePredicate = (scope: PathScope) => boolean;

/** Parses an RFC 3339 timestamp into a comparable [epoch seconds, nanoseconds] pair, or undefined. */
export function parseTimestamp(text: unknown): [number, number] | undefined {
  if (typeof text !== 'string') return undefined;
  // "an uppercase T character MUST be used to separate date and time, and an uppercase Z
  // character MUST be present in the absence of a numeric time zone offset" (ASL, Timestamps).
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  // A field out of its range (month 13, 30 February, hour 25) is no timestamp: Date.UTC would roll it over.
  const fields = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
  if (fields.some((value, i) => value !== Number([y, mo, d, h, mi, s][i]))) return undefined;
  if (zone.length > 1 && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  let seconds = date.getTime() / 1000;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  return [seconds, frac ? Number(frac.padEnd(9, '0')) : 0];
}

function compareTimestamps(a: [number, number], b: [number, number]): number {
  return a[0] !== b[0] ? a[0] - b[0] : a[1] - b[1];
}

/** `*` matches any run of characters (also none); `\*` and `\\` are literal; nothing else is special. */
function wildcardMatches(pattern: string, value: string): boolean {
  const tokens: (string | typeof STAR)[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) tokens.push(pattern[++i]);
    else tokens.push(c === '*' ? STAR : c);
  }
  // Classic two-pointer glob match with backtracking to the last star.
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < tokens.length && tokens[p] !== STAR && tokens[p] === value[v]) p++, v++;
    else if (p < tokens.length && tokens[p] === STAR) (star = p++), (mark = v);
    else if (star >= 0) (p = star + 1), (v = ++mark);
    else return false;
  }
  while (p < tokens.length && tokens[p] === STAR) p++;
  return p === tokens.length;
}
const STAR = Symbol('*');

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

function holds(relation: Relation, cmp: number): boolean {
  switch (relation) {
    case 'Equals':
      return cmp === 0;
    case 'LessThan':
      return cmp < 0;
    case 'GreaterThan':
      return cmp > 0;
    case 'LessThanEquals':
      return cmp <= 0;
    case 'GreaterThanEquals':
      return cmp >= 0;
  }
}

/** Compares two values of a kind; undefined when either is not of that kind. */
function compare(kind: Kind, a: unknown, b: unknown): number | undefined {
  switch (kind) {
    case 'String':
      // Java String.compareTo: UTF-16 code-unit order, which is what JS `<` does.
      return typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : undefined;
    case 'Numeric':
      return typeof a === 'number' && typeof b === 'number' ? a - b : undefined;
    case 'Boolean':
      return typeof a === 'boolean' && typeof b === 'boolean' ? (a === b ? 0 : 1) : undefined;
    case 'Timestamp': {
      const ta = parseTimestamp(a);
      const tb = parseTimestamp(b);
      return ta && tb ? compareTimestamps(ta, tb) : undefined;
    }
  }
}

/** Compiles a JSONPath Choice rule (already structurally validated). */
export function compileChoiceRule(rule: Record<string, any>): ChoicePredicate {
  if (rule.And) {
    const parts = (rule.And as Record<string, any>[]).map(compileChoiceRule);
    return (scope) => parts.every((p) => p(scope));
  }
  if (rule.Or) {
    const parts = (rule.Or as Record<string, any>[]).map(compileChoiceRule);
    return (scope) => parts.some((p) => p(scope));
  }
  if (rule.Not) {
    const inner = compileChoiceRule(rule.Not);
    return (scope) => !inner(scope);
  }
  const variable = compilePath(rule.Variable);
  const comparator = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && k !== 'Assign')!;
  const operand = rule[comparator];
  if (comparator === 'IsPresent') return (scope) => pathExists(variable, scope) === operand;
  const read = (scope: PathScope) => readPath(variable, scope);
  const typeTests: Record<string, (v: unknown) => boolean> = {
    IsNull: (v) => v === null,
    IsNumeric: (v) => typeof v === 'number',
    IsString: (v) => typeof v === 'string',
    IsBoolean: (v) => typeof v === 'boolean',
    IsTimestamp: (v) => parseTimestamp(v) !== undefined,
  };
  if (typeTests[comparator]) return (scope) => typeTests[comparator](read(scope)) === operand;
  if (comparator === 'StringMatches') {
    return (scope) => {
      const v = read(scope);
      return typeof v === 'string' && wildcardMatches(operand, v);
    };
  }
  const m = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(comparator);
  if (!m) throw new Error(`unknown Choice comparator ${comparator}`);
  const kind = m[1] as Kind;
  const relation = m[2] as Relation;
  const other = m[3] ? compilePath(operand) : undefined;
  return (scope) => {
    const value = read(scope);
    const expected = other ? readPath(other, scope) : operand;
    const cmp = compare(kind, value, expected);
    return cmp !== undefined && holds(relation, cmp);
  };
}

/** Evaluates a JSONata `Condition` result, which must be a boolean. */
export function expectBoolean(value: unknown, stateName: string): boolean {
  if (typeof value !== 'boolean') {
    throw new StatesError(StatesErrors.QueryEvaluationError, `The Condition of a Choice rule in state '${stateName}' returned ${JSON.stringify(value)}, not a boolean`);
  }
  return value;
}
