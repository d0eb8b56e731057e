import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../functions/domain/history/index.js';

/**
 * Expected values are the examples RFC 8785 (JSON Canonicalization Scheme, June 2020) publishes:
 * https://www.rfc-editor.org/rfc/rfc8785
 */

/** The IEEE 754 double with the given bit pattern, as RFC 8785 Appendix B lists its samples. */
const fromBits = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the §3.2.2 sample: whitespace removed, numbers and strings in ECMAScript form, keys sorted', () => {
    const input = JSON.parse(
      String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`,
    );
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('sorts property names by UTF-16 code units, as in the §3.2.3 example (the emoji sorts before U+FB33)', () => {
    const input = JSON.parse(
      String.raw`{
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
      }`,
    );
    // Read the order from the text: Object.keys would move the integer-like key "1" to the front.
    const values = [...canonicalJson(input).matchAll(/":"([^"]+)"/g)].map((match) => match[1]);
    // RFC 8785 §3.2.3 lists the resulting order of the values:
    expect(values).toEqual([
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]);
  });

  it('sorts the members of nested objects too, and keeps array order (§3.2.3)', () => {
    expect(canonicalJson({ b: [{ z: 1, a: 2 }, 3], a: { d: true, c: null } })).toBe(
      '{"a":{"c":null,"d":true},"b":[{"a":2,"z":1},3]}',
    );
  });

  // RFC 8785 Appendix B, "Number Serialization Samples": IEEE 754 bit pattern → JSON text.
  const appendixB: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ];
  it.each(appendixB)('serialises the double 0x%s as %s (Appendix B)', (bits, expected) => {
    expect(canonicalJson(fromBits(bits))).toBe(expected);
  });

  it.each([
    ['7fffffffffffffff', 'NaN'],
    ['7ff0000000000000', 'Infinity'],
  ])('rejects 0x%s (%s), which Appendix B marks as an error', (bits) => {
    expect(() => canonicalJson({ n: fromBits(bits) })).toThrow(TypeError);
  });

  it('rejects a lone surrogate, which is not I-JSON (RFC 8785 §3.2.2.2 requires I-JSON, RFC 7493 §2.1)', () => {
    expect(() => canonicalJson({ s: 'a\ud800b' })).toThrow(TypeError);
    expect(() => canonicalJson({ ['\udc00']: 1 })).toThrow(TypeError);
  });

  it('rejects undefined in an array instead of turning it into null', () => {
    expect(() => canonicalJson([1, undefined, 3])).toThrow(/\$\[1\]/);
  });

  it('omits object members whose value is undefined, as an absent optional field', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it.each([
    ['a bigint', 1n],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a Date', new Date(0)],
    ['a Map', new Map()],
  ])('rejects %s, which JSON cannot represent faithfully', (_what, value) => {
    expect(() => canonicalJson({ value })).toThrow(TypeError);
  });
});
