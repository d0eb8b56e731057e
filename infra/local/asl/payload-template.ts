/**
 * JSONPath payload templates — `Parameters`, `ItemSelector`, `ResultSelector`, JSONPath `Assign`:
 * a key ending in `.$` takes its value from a path (`$…`, `$$…`, `$var…`) or an intrinsic
 * function, the suffix is dropped; every other value is copied literally
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html).
 */
import { StatesError, StatesErrors } from './errors.js';
import { compileIntrinsic, isIntrinsic } from './intrinsics.js';
import { compilePath, readPath, type PathScope } from './jsonpath.js';

/** A compiled payload template. */
export type PayloadTemplate = (scope: PathScope) => unknown;

/** Compiles `template` once; throws a plain Error naming the bad field. */
export function compilePayloadTemplate(template: unknown, field: string): PayloadTemplate {
  if (Array.isArray(template)) {
    const items = template.map((t, i) => compilePayloadTemplate(t, `${field}[${i}]`));
    return (scope) => items.map((item) => item(scope));
  }
  if (typeof template !== 'object' || template === null) return () => template;
  const entries = Object.entries(template).map(([key, value]): [string, PayloadTemplate] => {
    if (!key.endsWith('.$')) return [key, compilePayloadTemplate(value, `${field}.${key}`)];
    if (typeof value !== 'string') throw new Error(`${field}.${key}: the value of a '.$' field must be a string`);
    return [key.slice(0, -2), compileDynamicValue(value, `${field}.${key}`)];
  });
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, build] of entries) out[key] = build(scope);
    return out;
  };
}

function compileDynamicValue(value: string, field: string): PayloadTemplate {
  if (isIntrinsic(value)) return compileIntrinsic(value);
  let path;
  try {
    path = compilePath(value);
  } catch (e) {
    throw new Error(`${field}: ${(e as Error).message}`);
  }
  return (scope) => {
    try {
      return readPath(path, scope);
    } catch (e) {
      // AWS: "The JSONPath '…' specified for the field '….$' could not be found in the input".
      if (e instanceof StatesError && e.error === StatesErrors.Runtime) {
        throw new StatesError(StatesErrors.Runtime, `The JSONPath '${value}' specified for the field '${field.split('.').pop()}' could not be found in the input`);
      }
      throw e;
    }
  };
}
