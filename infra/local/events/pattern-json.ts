import { invalidPattern } from './errors.js';

/**
 * Parses the JSON text of an event pattern the way EventBridge reads it.
 *
 * `JSON.parse` is not enough for one reason: a key may appear twice in a pattern, and
 * EventBridge (event-ruler, in its overriding mode) keys a rule by the *flattened path* of each
 * leaf. So a repeated leaf key keeps the last value ("only the last one is used", AWS docs), while
 * two objects under the same key both contribute their leaves — they are merged here.
 */
export function parsePatternText(text: string): unknown {
  return new JsonTextParser(text).parseDocument();
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge rule for a repeated key: objects merge leaf by leaf, anything else is replaced. */
export function mergeRepeatedKey(previous: unknown, next: unknown): unknown {
  if (!isPlainObject(previous) || !isPlainObject(next)) return next;
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(next)) {
    merged[key] = key in merged ? mergeRepeatedKey(merged[key], value) : value;
  }
  return merged;
}

const STRING_TOKEN = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** A small recursive-descent JSON reader (RFC 8259) with the repeated-key rule above. */
class JsonTextParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseDocument(): unknown {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos !== this.text.length) this.unexpected('expected end of content');
    return value;
  }

  private fail(reason: string): never {
    throw invalidPattern(reason);
  }

  /** Jackson's wording for a character it did not expect (EventBridge returns it as the reason). */
  private unexpected(expecting: string): never {
    if (this.pos >= this.text.length) return this.fail(`Unexpected end-of-input: ${expecting}`);
    const c = this.text[this.pos];
    return this.fail(`Unexpected character ('${c}' (code ${c.codePointAt(0)})): ${expecting}`);
  }

  /** Matches a sticky token regex at the current position (no string copies). */
  private matchAt(token: RegExp): RegExpExecArray | null {
    token.lastIndex = this.pos;
    return token.exec(this.text);
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
  }

  private parseValue(): unknown {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === '{') return this.parseObject();
    if (c === '[') return this.parseArray();
    if (c === '"') return this.parseString();
    if (c === '-' || (c >= '0' && c <= '9')) return this.parseNumber();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    const word = /^[A-Za-z0-9_$]+/.exec(this.text.slice(this.pos))?.[0];
    if (word) return this.fail(`Unrecognized token '${word}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    return this.unexpected("expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')");
  }

  private parseObject(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.pos++; // {
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.unexpected('was expecting a colon to separate field name and value');
      this.pos++;
      const value = this.parseValue();
      // defineProperty: a key such as "__proto__" must stay an ordinary field.
      const stored = Object.prototype.hasOwnProperty.call(result, key) ? mergeRepeatedKey(result[key], value) : value;
      Object.defineProperty(result, key, { value: stored, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep !== ',' && sep !== '}') this.unexpected('was expecting comma to separate Object entries');
      this.pos++;
      if (sep === '}') return result;
    }
  }

  private parseArray(): unknown[] {
    const result: unknown[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipWhitespace();
      const sep = this.text[this.pos];
      if (sep !== ',' && sep !== ']') this.unexpected('was expecting comma to separate Array entries');
      this.pos++;
      if (sep === ']') return result;
    }
  }

  private parseString(): string {
    const match = this.matchAt(STRING_TOKEN);
    if (!match) return this.unexpected('malformed string');
    this.pos += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  private parseNumber(): number {
    const match = this.matchAt(NUMBER_TOKEN);
    if (!match) return this.unexpected('malformed number');
    this.pos += match[0].length;
    return Number(match[0]);
  }
}
