import { EventBridgeError } from './errors.js';

/**
 * What a rule target receives (AWS "Amazon EventBridge input transformation" and the PutTargets
 * reference): the whole event, a constant `Input`, the part selected by `InputPath`, or an
 * `InputTransformer` rendering of the event.
 */

export interface InputTransformer {
  /** Variable name → JSON path into the event (at most 100). */
  InputPathsMap?: Record<string, string>;
  /** Text with `<variable>` placeholders. */
  InputTemplate: string;
}

export interface TargetInputConfig {
  Input?: string;
  InputPath?: string;
  InputTransformer?: InputTransformer;
}

/** Facts about the delivery that the predefined template variables expose. */
export interface DeliveryContext {
  ruleArn: string;
  ruleName: string;
  /** ISO 8601 time at which the bus received the event. */
  ingestionTime: string;
}

/** Predefined variables; reserved, so InputPathsMap may not use these names. */
const PREDEFINED = ['aws.events.rule-arn', 'aws.events.rule-name', 'aws.events.event.ingestion-time', 'aws.events.event', 'aws.events.event.json'];
const MAX_VARIABLES = 100;

/**
 * Checks a target's input settings the way PutTargets does.
 * @throws EventBridgeError `ValidationException`
 */
export function validateTargetInput(config: TargetInputConfig, targetId: string): void {
  const given = [config.Input, config.InputPath, config.InputTransformer].filter((x) => x !== undefined);
  if (given.length > 1) throw validation(`target ${targetId}: only one of Input, InputPath and InputTransformer may be set`);
  if (config.Input !== undefined) parseJson(config.Input, `target ${targetId}: Input must be valid JSON text`);
  if (config.InputPath !== undefined) parseJsonPath(config.InputPath);
  const transformer = config.InputTransformer;
  if (transformer) {
    if (typeof transformer.InputTemplate !== 'string') throw validation(`target ${targetId}: InputTransformer.InputTemplate is required`);
    const names = Object.keys(transformer.InputPathsMap ?? {});
    if (names.length > MAX_VARIABLES) throw validation(`target ${targetId}: InputPathsMap has more than ${MAX_VARIABLES} variables`);
    for (const name of names) {
      // Reserved: the predefined variables, and (PutTargets reference) any key starting with "AWS.".
      if (PREDEFINED.includes(name) || /^aws\./i.test(name)) throw validation(`target ${targetId}: ${name} is a reserved variable name`);
      parseJsonPath(transformer.InputPathsMap![name]);
    }
  }
}

/**
 * Builds what the target receives for one event. A text result that is valid JSON is handed
 * over parsed; any other text (a plain-text template) as a string.
 */
export function renderTargetInput(config: TargetInputConfig, event: Record<string, unknown>, context: DeliveryContext): unknown {
  if (config.Input !== undefined) return JSON.parse(config.Input);
  if (config.InputPath !== undefined) return evaluateJsonPath(event, config.InputPath) ?? null;
  if (config.InputTransformer) return renderTemplate(config.InputTransformer, event, context);
  return event;
}

function renderTemplate(transformer: InputTransformer, event: Record<string, unknown>, context: DeliveryContext): unknown {
  const variables = new Map<string, { value: unknown; rawJson: boolean }>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    variables.set(name, { value: evaluateJsonPath(event, path), rawJson: false });
  }
  const { detail: _detail, ...withoutDetail } = event;
  variables.set('aws.events.rule-arn', { value: context.ruleArn, rawJson: false });
  variables.set('aws.events.rule-name', { value: context.ruleName, rawJson: false });
  variables.set('aws.events.event.ingestion-time', { value: context.ingestionTime, rawJson: false });
  // Documented as "the original event payload as JSON, without / with the detail field; can only
  // be used as the value of a JSON field, as its contents are not escaped".
  variables.set('aws.events.event', { value: withoutDetail, rawJson: true });
  variables.set('aws.events.event.json', { value: event, rawJson: true });

  const template = transformer.InputTemplate;
  // PutTargets reference: JSON substitution rules apply when the template is a JSON object;
  // any other template ("<instance> is in state <status>") is plain text.
  const jsonTemplate = /^\s*[[{]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const variable = end > i ? variables.get(template.slice(i + 1, end)) : undefined;
      if (variable) {
        out += jsonTemplate ? substituteJson(variable.value, inString && !variable.rawJson) : substituteText(variable.value);
        i = end;
        continue;
      }
    }
    if (c === '"' && !isEscaped(template, i)) inString = !inString;
    out += c;
  }
  try {
    return JSON.parse(out);
  } catch {
    return out;
  }
}

/**
 * Inside a JSON string a value is inserted as escaped text (a string without its quotes);
 * elsewhere as JSON, so the template stays valid JSON (AWS: "EventBridge replaces input
 * transformers at runtime to ensure a valid JSON output"). A path that selects nothing gives
 * `null` outside strings and empty text inside.
 */
function substituteJson(value: unknown, insideString: boolean): string {
  if (insideString) {
    if (value === undefined) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return JSON.stringify(text).slice(1, -1);
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** In a plain-text template values go in as text (strings without quotes). */
function substituteText(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let j = index - 1; j >= 0 && text[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

type PathStep = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

const STEP = /\.([^.[\]]+)|\[(\d+)\]|\[\*\]|\['([^']*)'\]|\["([^"]*)"\]/y;

/**
 * The JSON path subset EventBridge documents: `$`, dot notation (names with dashes,
 * underscores, slashes…), array indices and `*` wildcards.
 */
function parseJsonPath(path: string): PathStep[] {
  if (typeof path !== 'string' || !path.startsWith('$')) throw validation(`invalid JSON path ${JSON.stringify(path)}: must start with $`);
  const steps: PathStep[] = [];
  let pos = 1;
  while (pos < path.length) {
    STEP.lastIndex = pos;
    const m = STEP.exec(path);
    if (!m) throw validation(`invalid JSON path ${JSON.stringify(path)} at position ${pos}`);
    if (m[1] === '*' || m[0] === '[*]') steps.push({ kind: 'all' });
    else if (m[1] !== undefined) steps.push({ kind: 'name', name: m[1] });
    else if (m[2] !== undefined) steps.push({ kind: 'index', index: Number(m[2]) });
    else steps.push({ kind: 'name', name: m[3] ?? m[4] });
    pos = STEP.lastIndex;
  }
  return steps;
}

/** Evaluates a JSON path; `undefined` when nothing is selected, an array when a wildcard is used. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  let current: unknown[] = [document];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'all') {
        if (Array.isArray(value)) next.push(...value);
        else if (value && typeof value === 'object') next.push(...Object.values(value));
      } else if (step.kind === 'index') {
        if (Array.isArray(value) && step.index < value.length) next.push(value[step.index]);
      } else if (value && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, step.name)) {
        next.push((value as Record<string, unknown>)[step.name]);
      }
    }
    current = next;
  }
  return steps.some((s) => s.kind === 'all') ? current : current[0];
}

function parseJson(text: string, message: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw validation(message);
  }
}

const validation = (message: string) => new EventBridgeError('ValidationException', message);
