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
/** InputTransformer API reference: InputTemplate length 1 to 8192. */
const MAX_TEMPLATE_LENGTH = 8192;
/** A `<name>` placeholder: "<" and ">" cannot be escaped, so every such pair is one. */
const PLACEHOLDER = /<([^<>\s]+)>/g;

/**
 * Checks a target's input settings the way PutTargets does (messages as AWS words them where
 * they were recorded: localstack's AWS-validated test_events_inputs snapshot).
 * @throws EventBridgeError `ValidationException`
 */
export function validateTargetInput(config: TargetInputConfig, targetId: string): void {
  const given = [config.Input, config.InputPath, config.InputTransformer].filter((x) => x !== undefined);
  if (given.length > 1) throw validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`);
  if (config.Input !== undefined) parseJson(config.Input, `Input for target ${targetId} is not valid JSON text.`);
  if (config.InputPath !== undefined) parseJsonPath(config.InputPath);
  const transformer = config.InputTransformer;
  if (transformer) {
    const template = transformer.InputTemplate;
    if (typeof template !== 'string' || template.length < 1 || template.length > MAX_TEMPLATE_LENGTH) {
      throw validation(`InputTemplate for target ${targetId} must be 1 to ${MAX_TEMPLATE_LENGTH} characters.`);
    }
    const names = Object.keys(transformer.InputPathsMap ?? {});
    if (names.length > MAX_VARIABLES) throw validation(`InputPathsMap for target ${targetId} has more than ${MAX_VARIABLES} variables.`);
    for (const name of names) {
      // Reserved: the predefined variables, and (PutTargets reference) any key starting with "AWS.".
      if (PREDEFINED.includes(name) || /^aws\./i.test(name)) throw validation(`InputPathsMap for target ${targetId} uses the reserved name ${name}.`);
      parseJsonPath(transformer.InputPathsMap![name]);
    }
    for (const [, name] of template.matchAll(PLACEHOLDER)) {
      if (!names.includes(name) && !PREDEFINED.includes(name)) throw validation(`InputTemplate for target ${targetId} contains invalid placeholder ${name}.`);
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

interface Variable {
  value: unknown;
  /** The predefined event variables go in as JSON text even inside a string ("not escaped"). */
  rawJson: boolean;
}

function renderTemplate(transformer: InputTransformer, event: Record<string, unknown>, context: DeliveryContext): unknown {
  const variables = new Map<string, Variable>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    variables.set(name, { value: evaluateJsonPath(event, path), rawJson: false });
  }
  variables.set('aws.events.rule-arn', { value: context.ruleArn, rawJson: false });
  variables.set('aws.events.rule-name', { value: context.ruleName, rawJson: false });
  variables.set('aws.events.event.ingestion-time', { value: context.ingestionTime, rawJson: false });
  variables.set('aws.events.event', { value: envelopeWithoutDetail(event), rawJson: true });
  variables.set('aws.events.event.json', { value: event, rawJson: true });

  const template = transformer.InputTemplate;
  // PutTargets reference: a template that is JSON (an object, an array or a string literal) gets
  // the JSON substitution rules; any other ("<instance> is in state <status>") is plain text.
  const jsonTemplate = /^\s*[[{"]/.test(template);
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const variable = end > i ? variables.get(template.slice(i + 1, end)) : undefined;
      if (variable) {
        out += !jsonTemplate ? asText(variable.value) : inString && !variable.rawJson ? insideJsonString(variable.value) : asJsonValue(variable.value);
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
 * `aws.events.event`: "the original event payload as JSON (without the detail field)". AWS names
 * the event type `detailType` in it (recorded in localstack's AWS-validated
 * test_input_transformer_predefined_variables snapshot).
 */
function envelopeWithoutDetail(event: Record<string, unknown>): Record<string, unknown> {
  const { detail: _detail, 'detail-type': detailType, ...rest } = event;
  return { ...rest, detailType };
}

/**
 * A value in a JSON position: strings get their quotes ("EventBridge automatically adds quotes
 * to string variable values"), objects and arrays go in as JSON. A path that selects nothing gives
 * an empty string (recorded from AWS: `"command": <command>` with no command gives `"command": ""`).
 */
function asJsonValue(value: unknown): string {
  return JSON.stringify(value === undefined ? '' : value);
}

/**
 * A value inside a JSON string of the template goes in as text, unescaped ("EventBridge doesn't
 * escape values extracted by Input Path"); an object or array loses its quotes ("EventBridge
 * removes any internal quotes to ensure a valid string").
 */
function insideJsonString(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return value !== null && typeof value === 'object' ? json.replaceAll('"', '') : json;
}

/** In a plain-text template values go in as text (strings without quotes). */
function asText(value: unknown): string {
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
