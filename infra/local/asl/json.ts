/** Small JSON helpers shared by the engine. */

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bArr = b as unknown[];
    return a.length === bArr.length && a.every((v, i) => deepEqual(v, bArr[i]));
  }
  const aKeys = Object.keys(a);
  const bObj = b as Record<string, unknown>;
  return aKeys.length === Object.keys(bObj).length && aKeys.every((k) => k in bObj && deepEqual((a as Record<string, unknown>)[k], bObj[k]));
}

/** Parses JSON text given to the API, or `undefined` when it is not valid JSON. */
export function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}
