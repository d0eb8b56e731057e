/**
 * Intrinsic functions of JSONPath states (`States.Format(...)` etc.), parsed once into an
 * evaluator. Semantics from https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html.
 */
import { createHash, randomUUID } from 'node:crypto';
import { StatesError, StatesErrors } from './errors.js';
import { compilePath, readPath, type PathScope } from './jsonpath.js';
import { deepEqual } from './json.js';

type Arg =
  | { kind: 'literal'; value: unknown; raw?: string }
  | { kind: 'path'; evaluate: (scope: PathScope) => unknown }
  | { kind: 'call'; evaluate: (scope: PathScope) => unknown };

/** An intrinsic function call compiled once. */
export type IntrinsicEvaluator = (scope: PathScope) => unknown;

/** True when a `.$` value is an intrinsic call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text);
}

/** Compiles `States.X(args…)`; throws a plain Error on bad syntax or an unknown function. */
export function compileIntrinsic(text: string): IntrinsicEvaluator {
  const parser = new Parser(text);
  const call = parser.parseCall();
  parser.expectEnd();
  return call.evaluate;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  expectEnd(): void {
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('unexpected trailing text');
  }

  parseCall(): Extract<Arg, { kind: 'call' }> {
    const m = /^States\.([A-Za-z0-9]+)\(/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected States.<Function>(');
    const name = m[1];
    const fn = FUNCTIONS[name];
    if (!fn) this.fail(`unknown intrinsic function States.${name}`);
    this.pos += m[0].length;
    const args: Arg[] = [];
    this.skipSpace();
    if (this.text[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.parseArg());
        this.skipSpace();
        const c = this.text[this.pos++];
        if (c === ')') break;
        if (c !== ',') this.fail("expected ',' or ')'");
      }
    }
    const [min, max] = fn.arity;
    if (args.length < min || args.length > max) this.fail(`States.${name} takes ${min === max ? min : `${min}–${max}`} arguments, got ${args.length}`);
    const evaluate = (scope: PathScope) => {
      const values = args.map((a) => (a.kind === 'literal' ? a.value : a.evaluate(scope)));
      try {
        return fn.run(values, args);
      } catch (e) {
        if (e instanceof StatesError) throw e;
        throw new StatesError(StatesErrors.IntrinsicFailure, `States.${name}: ${(e as Error).message}`);
      }
    };
    return { kind: 'call', evaluate };
  }

  private parseArg(): Arg {
    this.skipSpace();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) return this.parseString();
    if (rest.startsWith('States.')) return this.parseCall();
    if (rest.startsWith('$')) {
      const end = this.scanPathEnd();
      const path = compilePath(this.text.slice(this.pos, end).trim());
      this.pos = end;
      return { kind: 'path', evaluate: (scope) => readPath(path, scope) };
    }
    const lit = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(rest);
    if (!lit) this.fail('expected an argument');
    this.pos += lit[0].length;
    return { kind: 'literal', value: JSON.parse(lit[0]) };
  }

  /** A path argument ends at the first top-level ',' or ')'. */
  private scanPathEnd(): number {
    let depth = 0;
    let quote: string | undefined;
    for (let i = this.pos; i < this.text.length; i++) {
      const c = this.text[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']') depth--;
      else if (c === ')' && depth > 0) depth--;
      else if ((c === ',' || c === ')') && depth === 0) return i;
    }
    return this.text.length;
  }

  /** `'…'` with `\'`, `\{`, `\}`, `\\` escapes; `raw` keeps escapes for States.Format. */
  private parseString(): Arg {
    const start = ++this.pos;
    let value = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') {
        value += this.text[this.pos + 1] ?? '';
        this.pos += 2;
      } else if (c === "'") {
        const raw = this.text.slice(start, this.pos++);
        return { kind: 'literal', value, raw };
      } else {
        value += c;
        this.pos++;
      }
    }
    this.fail('unterminated string');
  }

  private skipSpace(): void {
    while (this.text[this.pos] === ' ') this.pos++;
  }

  private fail(message: string): never {
    throw new Error(`intrinsic '${this.text}': ${message} (at ${this.pos})`);
  }
}

interface IntrinsicFunction {
  arity: [number, number];
  run(values: unknown[], args: Arg[]): unknown;
}

function expectArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(`${what} must be an array`);
  return v;
}
function expectString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`${what} must be a string`);
  return v;
}
function expectNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a number`);
  return v;
}
function expectInteger(v: unknown, what: string): number {
  const n = expectNumber(v, what);
  if (!Number.isInteger(n)) throw new Error(`${what} must be an integer`);
  return n;
}
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Hex digest of `data` with an algorithm named as in States.Hash / $hash. */
export function hashHex(data: unknown, algorithm: unknown): string {
  const alg = HASH_ALGORITHMS[expectString(algorithm, 'algorithm')];
  if (!alg) throw new Error(`unsupported algorithm '${String(algorithm)}' (use ${Object.keys(HASH_ALGORITHMS).join(', ')})`);
  return createHash(alg).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
}

/** Deterministic [0,1) from an integer seed (mulberry32): States.MathRandom's and `$random`'s seeded form. */
export function seededRandom(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Inclusive range `start..end` by `step`, at most 1000 items (States.ArrayRange / $range). */
export function inclusiveRange(start: number, end: number, step: number): number[] {
  if (step === 0) throw new Error('step must not be 0');
  const out: number[] = [];
  for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
    out.push(v);
    if (out.length > 1000) throw new Error('the range has more than 1000 items');
  }
  return out;
}

/** Splits `array` into chunks of `size` (States.ArrayPartition / $partition). */
export function partition(array: unknown[], size: number): unknown[][] {
  if (size <= 0) throw new Error('chunk size must be positive');
  const out: unknown[][] = [];
  for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
  return out;
}

function formatValue(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') throw new Error('arguments must be strings, numbers, booleans or null');
  return String(v);
}

const FUNCTIONS: Record<string, IntrinsicFunction> = {
  Format: {
    arity: [1, Infinity],
    run([template, ...values], [templateArg]) {
      // An escaped brace (\{ \}) in a literal template is a literal brace, not a placeholder.
      const raw = templateArg.kind === 'literal' && templateArg.raw !== undefined ? templateArg.raw : expectString(template, 'template');
      let out = '';
      let next = 0;
      for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (c === '\\' && templateArg.kind === 'literal') out += raw[++i] ?? '';
        else if (c === '{' && raw[i + 1] === '}') {
          if (next >= values.length) throw new Error('more placeholders than arguments');
          out += formatValue(values[next++]);
          i++;
        } else out += c;
      }
      if (next !== values.length) throw new Error('more arguments than placeholders');
      return out;
    },
  },
  StringToJson: { arity: [1, 1], run: ([s]) => JSON.parse(expectString(s, 'argument')) },
  JsonToString: { arity: [1, 1], run: ([v]) => JSON.stringify(v) },
  Array: { arity: [0, Infinity], run: (values) => values },
  ArrayPartition: {
    arity: [2, 2],
    // "a non-integer chunk size is rounded to the nearest integer" (intrinsic-functions doc).
    run: ([a, size]) => partition(expectArray(a, 'array'), Math.round(expectNumber(size, 'chunk size'))),
  },
  ArrayContains: { arity: [2, 2], run: ([a, v]) => expectArray(a, 'array').some((x) => deepEqual(x, v)) },
  // "You must specify integer values for all of the arguments" (intrinsic-functions.html).
  ArrayRange: {
    arity: [3, 3],
    run: ([s, e, st]) => inclusiveRange(expectInteger(s, 'start'), expectInteger(e, 'end'), expectInteger(st, 'step')),
  },
  ArrayGetItem: {
    arity: [2, 2],
    run([a, i]) {
      const arr = expectArray(a, 'array');
      const index = expectInteger(i, 'index');
      if (index < 0 || index >= arr.length) throw new Error(`index ${index} is out of bounds`);
      return arr[index];
    },
  },
  ArrayLength: { arity: [1, 1], run: ([a]) => expectArray(a, 'array').length },
  ArrayUnique: {
    arity: [1, 1],
    run: ([a]) => expectArray(a, 'array').filter((v, i, arr) => arr.findIndex((w) => deepEqual(v, w)) === i),
  },
  Base64Encode: { arity: [1, 1], run: ([s]) => Buffer.from(expectString(s, 'argument'), 'utf8').toString('base64') },
  Base64Decode: { arity: [1, 1], run: ([s]) => Buffer.from(expectString(s, 'argument'), 'base64').toString('utf8') },
  Hash: { arity: [2, 2], run: ([d, alg]) => hashHex(d, alg) },
  // "Step Functions only supports the shallow merging mode; therefore, you must specify the
  // boolean value as false" (intrinsic-functions.html).
  JsonMerge: {
    arity: [3, 3],
    run([a, b, deep]) {
      if (!isPlainObject(a) || !isPlainObject(b)) throw new Error('both arguments must be JSON objects');
      if (deep !== false) throw new Error('only the shallow merge is supported: the third argument must be false');
      return { ...a, ...b };
    },
  },
  // "If you use this function with the same seed value, it returns an identical number."
  MathRandom: {
    arity: [2, 3],
    run([s, e, seed]) {
      const start = expectInteger(s, 'start');
      const end = expectInteger(e, 'end');
      const fraction = seed === undefined ? Math.random() : seededRandom(expectInteger(seed, 'seed'));
      return start + Math.floor(fraction * (end - start));
    },
  },
  MathAdd: { arity: [2, 2], run: ([a, b]) => expectInteger(a, 'first argument') + expectInteger(b, 'second argument') },
  StringSplit: {
    arity: [2, 2],
    // Every character of the delimiter string splits; empty pieces are dropped.
    run([s, d]) {
      const delims = new Set(expectString(d, 'delimiter'));
      const out: string[] = [];
      let piece = '';
      for (const c of expectString(s, 'string')) {
        if (delims.has(c)) {
          if (piece) out.push(piece);
          piece = '';
        } else piece += c;
      }
      if (piece) out.push(piece);
      return out;
    },
  },
  UUID: { arity: [0, 0], run: () => randomUUID() },
};
