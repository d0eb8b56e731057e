/**
 * JSONPath as Step Functions uses it (Jayway-style): `$`, `.name`, `['name']`, `[n]`, `[a:b]`,
 * `[*]`, `..name`, unions `[0,2]` and filters `[?(@.a >= 5)]`. Compiled once into segments.
 *
 * A *definite* path (only names and indexes) selects one node and fails when it is missing; an
 * indefinite one returns an array of every match (possibly empty)
 * (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
 */
import { StatesError, StatesErrors } from './errors.js';

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'wildcard' }
  | { kind: 'union'; keys: (string | number)[] }
  | { kind: 'descendant'; name?: string }
  | { kind: 'filter'; test: (node: unknown) => boolean };

/** The document a path starts from: `$` (state data), `$$` (Context object) or `$name` (a variable). */
export type PathRoot = { kind: 'data' } | { kind: 'context' } | { kind: 'variable'; name: string };

/** A compiled JSONPath. */
export interface CompiledPath {
  readonly source: string;
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  /** True when the path can select at most one node (only names and indexes). */
  readonly definite: boolean;
}

const MISSING = Symbol('missing');

/** Compiles `source` (which must start with `$`); throws a plain Error describing the syntax problem. */
export function compilePath(source: string): CompiledPath {
  if (!source.startsWith('$')) throw new Error(`path '${source}' must start with '$'`);
  let pos = 1;
  let root: PathRoot = { kind: 'data' };
  if (source[1] === '$') {
    root = { kind: 'context' };
    pos = 2;
  } else if (/[A-Za-z_]/.test(source[1] ?? '')) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(1))!;
    root = { kind: 'variable', name: m[0] };
    pos = 1 + m[0].length;
  }
  const segments: Segment[] = [];
  while (pos < source.length) {
    const ch = source[pos];
    if (source.startsWith('..', pos)) {
      pos += 2;
      if (source[pos] === '*') {
        segments.push({ kind: 'descendant' });
        pos++;
      } else {
        const m = /^[^.[\]]+/.exec(source.slice(pos));
        if (!m) throw new Error(`path '${source}': expected a name after '..'`);
        segments.push({ kind: 'descendant', name: m[0] });
        pos += m[0].length;
      }
    } else if (ch === '.') {
      pos++;
      if (source[pos] === '*') {
        segments.push({ kind: 'wildcard' });
        pos++;
        continue;
      }
      const m = /^[^.[\]]+/.exec(source.slice(pos));
      if (!m) throw new Error(`path '${source}': expected a name after '.'`);
      segments.push({ kind: 'name', name: m[0] });
      pos += m[0].length;
    } else if (ch === '[') {
      const close = findClosingBracket(source, pos);
      segments.push(parseBracket(source, source.slice(pos + 1, close).trim()));
      pos = close + 1;
    } else {
      throw new Error(`path '${source}': unexpected '${ch}' at ${pos}`);
    }
  }
  const definite = segments.every((s) => s.kind === 'name' || s.kind === 'index');
  return { source, root, segments, definite };
}

function findClosingBracket(source: string, open: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  throw new Error(`path '${source}': unclosed '['`);
}

function parseBracket(source: string, inner: string): Segment {
  if (inner === '*') return { kind: 'wildcard' };
  if (inner.startsWith('?(') && inner.endsWith(')')) return { kind: 'filter', test: compileFilter(inner.slice(2, -1)) };
  const slice = /^(-?\d*)\s*:\s*(-?\d*)(?:\s*:\s*(-?\d+))?$/.exec(inner);
  if (slice) {
    return {
      kind: 'slice',
      start: slice[1] === '' ? undefined : Number(slice[1]),
      end: slice[2] === '' ? undefined : Number(slice[2]),
      step: slice[3] ? Number(slice[3]) : 1,
    };
  }
  const keys = splitTopLevel(inner, ',').map((part) => parseKey(source, part.trim()));
  if (keys.length === 1) {
    const [key] = keys;
    return typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'name', name: key };
  }
  return { kind: 'union', keys };
}

function parseKey(source: string, part: string): string | number {
  if (/^-?\d+$/.test(part)) return Number(part);
  const quoted = /^(['"])(.*)\1$/.exec(part);
  if (quoted) return quoted[2].replace(/\\(.)/g, '$1');
  throw new Error(`path '${source}': invalid bracket member '${part}'`);
}

function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Filter expressions: `@.a op literal`, `@.a` (exists), joined by `&&` / `||`. */
function compileFilter(expr: string): (node: unknown) => boolean {
  const ors = splitTopLevel(expr, '||');
  if (ors.length > 1) {
    const tests = ors.map((p) => compileFilter(p.trim()));
    return (node) => tests.some((t) => t(node));
  }
  const ands = splitTopLevel(expr, '&&');
  if (ands.length > 1) {
    const tests = ands.map((p) => compileFilter(p.trim()));
    return (node) => tests.every((t) => t(node));
  }
  const m = /^(@[^\s<>=!]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expr.trim());
  if (!m) {
    const operand = compileOperand(expr.trim());
    return (node) => operand(node) !== MISSING;
  }
  const left = compileOperand(m[1]);
  const right = compileOperand(m[3].trim());
  const op = m[2];
  return (node) => {
    const a = left(node);
    const b = right(node);
    if (a === MISSING || b === MISSING) return false;
    switch (op) {
      case '==':
        return JSON.stringify(a) === JSON.stringify(b);
      case '!=':
        return JSON.stringify(a) !== JSON.stringify(b);
      default:
        if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
        const [x, y] = [a as number, b as number];
        return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  };
}

function compileOperand(text: string): (node: unknown) => unknown {
  if (text.startsWith('@')) {
    const path = compilePath('$' + text.slice(1));
    return (node) => {
      const found = selectAll(path.segments, node);
      return path.definite ? (found.length ? found[0] : MISSING) : found;
    };
  }
  const quoted = /^(['"])(.*)\1$/.exec(text);
  const literal = quoted ? quoted[2] : JSON.parse(text);
  return () => literal;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function childrenOf(node: unknown): unknown[] {
  if (Array.isArray(node)) return node;
  if (isObject(node)) return Object.values(node);
  return [];
}

function step(segment: Segment, node: unknown, out: unknown[]): void {
  switch (segment.kind) {
    case 'name':
      if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment.name)) out.push(node[segment.name]);
      return;
    case 'index':
      if (Array.isArray(node)) {
        const i = segment.index < 0 ? node.length + segment.index : segment.index;
        if (i >= 0 && i < node.length) out.push(node[i]);
      }
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      const norm = (v: number | undefined, dflt: number) => (v === undefined ? dflt : v < 0 ? Math.max(0, len + v) : Math.min(len, v));
      for (let i = norm(segment.start, 0); i < norm(segment.end, len); i += segment.step) out.push(node[i]);
      return;
    }
    case 'wildcard':
      out.push(...childrenOf(node));
      return;
    case 'union':
      for (const key of segment.keys) step(typeof key === 'number' ? { kind: 'index', index: key } : { kind: 'name', name: key }, node, out);
      return;
    case 'filter':
      for (const child of childrenOf(node)) if (segment.test(child)) out.push(child);
      return;
    case 'descendant': {
      const visit = (n: unknown) => {
        if (segment.name === undefined) out.push(...childrenOf(n));
        else if (isObject(n) && Object.prototype.hasOwnProperty.call(n, segment.name)) out.push(n[segment.name]);
        for (const child of childrenOf(n)) if (typeof child === 'object' && child !== null) visit(child);
      };
      visit(node);
      return;
    }
  }
}

function selectAll(segments: readonly Segment[], root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const node of current) step(segment, node, next);
    current = next;
  }
  return current;
}

/** The documents a path may read. */
export interface PathScope {
  data: unknown;
  context?: unknown;
  variables?: (name: string) => unknown;
}

/**
 * Reads `path` from the scope. A definite path returns the node or throws `States.Runtime`
 * when it is missing; an indefinite one returns an array of matches.
 */
export function readPath(path: CompiledPath, scope: PathScope): unknown {
  let root: unknown;
  if (path.root.kind === 'data') root = scope.data;
  else if (path.root.kind === 'context') root = scope.context;
  else {
    root = scope.variables?.(path.root.name);
    if (root === undefined) throw new StatesError(StatesErrors.Runtime, `Invalid path '${path.source}': The variable '$${path.root.name}' is not defined`);
  }
  if (path.segments.length === 0) return root;
  const found = selectAll(path.segments, root);
  if (!path.definite) return found;
  if (found.length === 0) {
    throw new StatesError(StatesErrors.Runtime, `Invalid path '${path.source}': No results for path: ${path.source}`);
  }
  return found[0];
}

/** True when a definite path selects a node (used by `IsPresent`). */
export function pathExists(path: CompiledPath, scope: PathScope): boolean {
  try {
    const v = readPath(path, scope);
    return path.definite || (Array.isArray(v) && v.length > 0);
  } catch {
    return false;
  }
}

/**
 * Returns a copy of `document` with `value` placed at the reference path `path` (ResultPath).
 * Only the objects along the path are copied (structural sharing); missing objects are created.
 * Throws `States.ResultPathMatchFailure` when the path runs through a non-object.
 */
export function writePath(path: CompiledPath, document: unknown, value: unknown): unknown {
  if (path.segments.length === 0) return value;
  const write = (node: unknown, depth: number): unknown => {
    const segment = path.segments[depth];
    const last = depth === path.segments.length - 1;
    if (segment.kind === 'name') {
      const base = node === undefined ? {} : node;
      if (!isObject(base)) {
        throw new StatesError(
          StatesErrors.ResultPathMatchFailure,
          `Unable to apply ResultPath '${path.source}' to input: the node at segment '${segment.name}' is not an object`,
        );
      }
      return { ...base, [segment.name]: last ? value : write(base[segment.name], depth + 1) };
    }
    if (segment.kind === 'index' && Array.isArray(node) && segment.index < node.length) {
      const copy = node.slice();
      copy[segment.index] = last ? value : write(node[segment.index], depth + 1);
      return copy;
    }
    throw new StatesError(StatesErrors.ResultPathMatchFailure, `Unable to apply ResultPath '${path.source}' to input`);
  };
  return write(document, 0);
}
