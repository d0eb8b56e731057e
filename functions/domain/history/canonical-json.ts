/**
 * JSON Canonicalization Scheme (JCS), RFC 8785: the one byte sequence a JSON value hashes to,
 * so a history event's hash does not depend on who serialised it or in which key order.
 *
 * - §3.2.1: no whitespace between tokens.
 * - §3.2.2.2: strings as ECMAScript `JSON.stringify` writes them; the input must be I-JSON
 *   (RFC 7493 §2.1), so lone surrogates are rejected rather than escaped.
 * - §3.2.2.3: numbers as ECMAScript `Number.prototype.toString` / `JSON.stringify`; NaN and
 *   ±Infinity are not JSON and are rejected; -0 serialises as `0`.
 * - §3.2.3: object members sorted by their names as arrays of UTF-16 code units.
 */

/** A JSON value as this module accepts it. `undefined` members of objects are omitted. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

// With the `u` flag a well-formed surrogate pair is one code point, so only lone halves match.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Serialise `value` canonically (RFC 8785).
 *
 * Object members whose value is `undefined` are left out, as `JSON.stringify` does, so an
 * optional field that is absent and one that is `undefined` hash alike. Everything JSON cannot
 * represent faithfully is refused with a `TypeError` instead of being silently changed:
 * non-finite numbers, `undefined` inside arrays, bigint, functions, symbols, lone surrogates
 * and objects that are not plain (Date, Map, class instances).
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$');
}

function serialise(value: unknown, path: string): string {
  switch (typeof value) {
    case 'string':
      return serialiseString(value, path);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number (RFC 8785 §3.2.2.3)`);
      // ECMAScript Number::toString is exactly the serialisation RFC 8785 §3.2.2.3 prescribes.
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return serialiseArray(value, path);
      if (!isPlainObject(value)) {
        throw new TypeError(`${path}: ${Object.prototype.toString.call(value)} is not a plain JSON object`);
      }
      return serialiseObject(value, path);
    default:
      throw new TypeError(`${path}: ${typeof value} cannot be represented in JSON`);
  }
}

function serialiseString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new TypeError(`${path}: string holds a lone surrogate (not I-JSON, RFC 7493 §2.1)`);
  return JSON.stringify(value);
}

function serialiseArray(values: unknown[], path: string): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i++) {
    // JSON.stringify would turn a hole or undefined into null: a different value than was hashed.
    if (values[i] === undefined) throw new TypeError(`${path}[${i}]: undefined cannot be an array element`);
    parts.push(serialise(values[i], `${path}[${i}]`));
  }
  return `[${parts.join(',')}]`;
}

function serialiseObject(object: object, path: string): string {
  const members = Object.entries(object)
    .filter(([, member]) => member !== undefined)
    // String `<` compares UTF-16 code units, which is the order RFC 8785 §3.2.3 asks for.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = members.map(
    ([key, member]) => `${serialiseString(key, path)}:${serialise(member, `${path}.${key}`)}`,
  );
  return `{${parts.join(',')}}`;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
