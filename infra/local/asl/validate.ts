/**
 * Structural validation of a state machine definition with AWS's rules
 * (https://states-language.net/spec.html and the Step Functions developer guide): required and
 * allowed fields per state type and query language, Next targets, reachability, terminal states,
 * Retry/Catch shape, Choice rules. Returns every problem found; expression syntax is checked
 * when the definition is compiled.
 */

import { parseTimestamp } from './choice.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';
type Json = Record<string, any>;

/** Why a definition cannot be an Express state machine (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html). */
export function expressProblems(definition: unknown): string[] {
  const problems: string[] = [];
  const visit = (machine: Json, at: string) => {
    for (const [name, state] of Object.entries((machine?.States ?? {}) as Record<string, Json>)) {
      const path = `${at}/States/${name}`;
      const resource = typeof state.Resource === 'string' ? state.Resource : '';
      if (/\.(sync(:2)?|waitForTaskToken)$/.test(resource)) problems.push(`${path}/Resource: Express state machines support only the request-response pattern, not '${resource.split('.').pop()}'`);
      if (/:(activity|task):/.test(resource)) problems.push(`${path}/Resource: Express state machines do not support activities`);
      if (state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') problems.push(`${path}: Express state machines do not support a Map in DISTRIBUTED mode`);
      for (const branch of (state.Branches ?? []) as Json[]) visit(branch, path);
      if (state.ItemProcessor ?? state.Iterator) visit(state.ItemProcessor ?? state.Iterator, path);
    }
  };
  visit(definition as Json, '');
  return problems;
}

const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
/** Fields allowed per state type, in either language (https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html). */
const FIELDS: Record<string, { both: string[]; JSONPath: string[]; JSONata: string[] }> = {
  Task: {
    both: ['Resource', 'Next', 'End', 'Retry', 'Catch', 'TimeoutSeconds', 'HeartbeatSeconds', 'Assign', 'Credentials'],
    JSONPath: [...JSONPATH_IO, 'Parameters', 'ResultSelector', 'ResultPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
    JSONata: ['Arguments', 'Output'],
  },
  Pass: { both: ['Next', 'End', 'Assign'], JSONPath: [...JSONPATH_IO, 'Parameters', 'Result', 'ResultPath'], JSONata: ['Output'] },
  Choice: { both: ['Choices', 'Default', 'Assign'], JSONPath: [...JSONPATH_IO], JSONata: ['Output'] },
  Wait: { both: ['Next', 'End', 'Seconds', 'Timestamp', 'Assign'], JSONPath: [...JSONPATH_IO, 'SecondsPath', 'TimestampPath'], JSONata: ['Output'] },
  Succeed: { both: [], JSONPath: [...JSONPATH_IO], JSONata: ['Output'] },
  Fail: { both: ['Error', 'Cause'], JSONPath: ['ErrorPath', 'CausePath'], JSONata: [] },
  Parallel: {
    both: ['Branches', 'Next', 'End', 'Retry', 'Catch', 'Assign'],
    JSONPath: [...JSONPATH_IO, 'Parameters', 'ResultSelector', 'ResultPath'],
    JSONata: ['Arguments', 'Output'],
  },
  Map: {
    both: ['ItemProcessor', 'Iterator', 'Next', 'End', 'Retry', 'Catch', 'MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage', 'ItemSelector', 'Assign', 'Label', 'ItemReader', 'ItemBatcher', 'ResultWriter'],
    JSONPath: [...JSONPATH_IO, 'Parameters', 'ItemsPath', 'ResultSelector', 'ResultPath', 'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath'],
    JSONata: ['Items', 'Output'],
  },
};

const JSONPATH_COMPARATORS = [
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals', 'StringMatches',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
  'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp',
];
/** Every comparator name accepted in a JSONPath Choice rule (the `…Path` forms included). */
export const CHOICE_COMPARATORS = new Set([
  ...JSONPATH_COMPARATORS,
  ...JSONPATH_COMPARATORS.filter((c) => !c.startsWith('Is') && c !== 'StringMatches').map((c) => `${c}Path`),
]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const isNonNegativeInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

/** Validates a whole definition; returns the problems (empty when valid). */
export function validateDefinition(definition: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(definition)) return ['the definition must be a JSON object'];
  const language = definition.QueryLanguage ?? 'JSONPath';
  if (language !== 'JSONPath' && language !== 'JSONata') problems.push(`/QueryLanguage: must be 'JSONPath' or 'JSONata', got ${JSON.stringify(language)}`);
  if (definition.TimeoutSeconds !== undefined && !isPositiveInt(definition.TimeoutSeconds)) problems.push('/TimeoutSeconds: must be a positive integer');
  if (definition.Version !== undefined && definition.Version !== '1.0') problems.push(`/Version: must be '1.0', got ${JSON.stringify(definition.Version)}`);
  for (const key of Object.keys(definition)) {
    if (!['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'].includes(key)) problems.push(`/${key}: field is not supported at the top level`);
  }
  validateMachine(definition, '', language === 'JSONata' ? 'JSONata' : 'JSONPath', problems);
  return problems;
}

function validateMachine(machine: Json, at: string, language: QueryLanguage, problems: string[]): void {
  const states = machine.States;
  if (typeof machine.StartAt !== 'string') problems.push(`${at}/StartAt: required string`);
  if (!isObject(states) || Object.keys(states).length === 0) {
    problems.push(`${at}/States: must be a non-empty object`);
    return;
  }
  if (typeof machine.StartAt === 'string' && !(machine.StartAt in states)) problems.push(`${at}/StartAt: state '${machine.StartAt}' does not exist`);
  const edges = new Map<string, string[]>();
  let terminals = 0;
  for (const [name, state] of Object.entries(states)) {
    const path = `${at}/States/${name}`;
    if (name.length > 80) problems.push(`${path}: state names must be at most 80 characters`);
    if (!isObject(state)) {
      problems.push(`${path}: must be an object`);
      continue;
    }
    const targets = validateState(state, path, language, problems);
    for (const t of targets) if (!(t in states)) problems.push(`${path}: transition target '${t}' does not exist`);
    edges.set(name, targets);
    if (state.End === true || state.Type === 'Succeed' || state.Type === 'Fail') terminals++;
  }
  if (terminals === 0) problems.push(`${at}/States: no terminal state (End, Succeed or Fail)`);
  if (typeof machine.StartAt === 'string' && machine.StartAt in states) {
    const seen = new Set<string>([machine.StartAt]);
    const queue = [machine.StartAt];
    while (queue.length) for (const t of edges.get(queue.pop()!) ?? []) if (!seen.has(t) && t in states) queue.push(t), seen.add(t);
    for (const name of Object.keys(states)) if (!seen.has(name)) problems.push(`${at}/States/${name}: state is not reachable from StartAt`);
  }
}

/** Validates one state; returns the names it may transition to. */
function validateState(state: Json, path: string, inherited: QueryLanguage, problems: string[]): string[] {
  const type = state.Type;
  if (!STATE_TYPES.includes(type)) {
    problems.push(`${path}/Type: must be one of ${STATE_TYPES.join(', ')}`);
    return [];
  }
  let language = inherited;
  if (state.QueryLanguage !== undefined) {
    if (state.QueryLanguage !== 'JSONPath' && state.QueryLanguage !== 'JSONata') problems.push(`${path}/QueryLanguage: must be 'JSONPath' or 'JSONata'`);
    // A JSONata state machine cannot contain JSONPath states; the reverse is allowed.
    else if (inherited === 'JSONata' && state.QueryLanguage === 'JSONPath') problems.push(`${path}/QueryLanguage: a JSONPath state is not allowed in a JSONata state machine`);
    else language = state.QueryLanguage;
  }
  const fields = FIELDS[type];
  const other: QueryLanguage = language === 'JSONata' ? 'JSONPath' : 'JSONata';
  for (const key of Object.keys(state)) {
    if (COMMON.includes(key) || fields.both.includes(key) || fields[language].includes(key)) continue;
    if (fields[other].includes(key)) problems.push(`${path}/${key}: field is not supported by ${language} states`);
    else problems.push(`${path}/${key}: field is not supported by ${type} states`);
  }
  const targets: string[] = [];
  const transitions = type !== 'Choice' && type !== 'Succeed' && type !== 'Fail';
  if (transitions) {
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End !== undefined;
    if (hasNext === hasEnd) problems.push(`${path}: exactly one of 'Next' or 'End' is required`);
    if (hasEnd && state.End !== true) problems.push(`${path}/End: must be true`);
    if (hasNext) {
      if (typeof state.Next !== 'string') problems.push(`${path}/Next: must be a string`);
      else targets.push(state.Next);
    }
  }
  if (state.Assign !== undefined) validateAssign(state.Assign, `${path}/Assign`, problems);
  if (language === 'JSONata') {
    for (const field of ['Arguments', 'Output', 'Assign', 'ItemSelector']) if (state[field] !== undefined) noPathKeys(state[field], `${path}/${field}`, problems);
  }
  switch (type) {
    case 'Task':
      if (typeof state.Resource !== 'string') problems.push(`${path}/Resource: required string`);
      exclusive(state, path, 'TimeoutSeconds', 'TimeoutSecondsPath', problems);
      exclusive(state, path, 'HeartbeatSeconds', 'HeartbeatSecondsPath', problems);
      for (const f of ['TimeoutSeconds', 'HeartbeatSeconds']) {
        if (typeof state[f] === 'number' && !isPositiveInt(state[f])) problems.push(`${path}/${f}: must be a positive integer`);
      }
      if (typeof state.TimeoutSeconds === 'number' && typeof state.HeartbeatSeconds === 'number' && state.HeartbeatSeconds >= state.TimeoutSeconds) {
        problems.push(`${path}/HeartbeatSeconds: must be smaller than TimeoutSeconds`);
      }
      break;
    case 'Wait': {
      const present = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => state[f] !== undefined);
      if (present.length !== 1) problems.push(`${path}: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath is required`);
      if (typeof state.Seconds === 'number' && !isNonNegativeInt(state.Seconds)) problems.push(`${path}/Seconds: must be a non-negative integer`);
      if (language === 'JSONPath' && state.Seconds !== undefined && typeof state.Seconds !== 'number') problems.push(`${path}/Seconds: must be a non-negative integer`);
      if (typeof state.Timestamp === 'string' && !state.Timestamp.startsWith('{%') && !parseTimestamp(state.Timestamp)) problems.push(`${path}/Timestamp: must be an RFC 3339 timestamp`);
      break;
    }
    case 'Fail':
      exclusive(state, path, 'Error', 'ErrorPath', problems);
      exclusive(state, path, 'Cause', 'CausePath', problems);
      break;
    case 'Choice':
      if (!Array.isArray(state.Choices) || state.Choices.length === 0) problems.push(`${path}/Choices: must be a non-empty array`);
      else state.Choices.forEach((rule: unknown, i: number) => targets.push(...validateChoiceRule(rule, `${path}/Choices/${i}`, language, true, problems)));
      if (state.Default !== undefined) {
        if (typeof state.Default !== 'string') problems.push(`${path}/Default: must be a string`);
        else targets.push(state.Default);
      }
      break;
    case 'Parallel':
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) problems.push(`${path}/Branches: must be a non-empty array`);
      else state.Branches.forEach((b: unknown, i: number) => (isObject(b) ? validateMachine(b, `${path}/Branches/${i}`, language, problems) : problems.push(`${path}/Branches/${i}: must be an object`)));
      break;
    case 'Map':
      validateMap(state, path, language, problems);
      break;
  }
  if (state.Retry !== undefined) validateRetriers(state.Retry, `${path}/Retry`, problems);
  if (state.Catch !== undefined) targets.push(...validateCatchers(state.Catch, `${path}/Catch`, language, problems));
  return targets;
}

/** Fields only a distributed Map may have (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html). */
const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter', 'Label', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'];

function validateMap(state: Json, path: string, language: QueryLanguage, problems: string[]): void {
  const processor = state.ItemProcessor ?? state.Iterator;
  if ((state.ItemProcessor === undefined) === (state.Iterator === undefined)) problems.push(`${path}: exactly one of ItemProcessor or Iterator is required`);
  let distributed = false;
  if (isObject(processor)) {
    const { ProcessorConfig: config, ...machine } = processor;
    const at = `${path}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`;
    if (config !== undefined) {
      if (state.Iterator !== undefined) problems.push(`${at}/ProcessorConfig: field is not supported in an Iterator (use ItemProcessor)`);
      else if (!isObject(config)) problems.push(`${at}/ProcessorConfig: must be an object`);
      else {
        if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') problems.push(`${at}/ProcessorConfig/Mode: must be INLINE or DISTRIBUTED`);
        distributed = config.Mode === 'DISTRIBUTED';
        if (distributed && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') problems.push(`${at}/ProcessorConfig/ExecutionType: required for DISTRIBUTED mode, STANDARD or EXPRESS`);
        if (!distributed && config.ExecutionType !== undefined) problems.push(`${at}/ProcessorConfig/ExecutionType: only a DISTRIBUTED Map has an ExecutionType`);
      }
    }
    validateMachine(machine, at, language, problems);
  }
  if (!distributed) for (const field of DISTRIBUTED_ONLY) if (state[field] !== undefined) problems.push(`${path}/${field}: field is only supported by a Map in DISTRIBUTED mode`);
  exclusive(state, path, 'ItemSelector', 'Parameters', problems);
  for (const field of ['MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage']) exclusive(state, path, field, `${field}Path`, problems);
  if (typeof state.MaxConcurrency === 'number' && !isNonNegativeInt(state.MaxConcurrency)) problems.push(`${path}/MaxConcurrency: must be a non-negative integer`);
  if (typeof state.ToleratedFailureCount === 'number' && !isNonNegativeInt(state.ToleratedFailureCount)) problems.push(`${path}/ToleratedFailureCount: must be a non-negative integer`);
  if (typeof state.ToleratedFailurePercentage === 'number' && (state.ToleratedFailurePercentage < 0 || state.ToleratedFailurePercentage > 100)) {
    problems.push(`${path}/ToleratedFailurePercentage: must be between 0 and 100`);
  }
  if (state.ItemReader !== undefined) validateItemReader(state.ItemReader, `${path}/ItemReader`, language, problems);
  if (state.ItemBatcher !== undefined) validateItemBatcher(state.ItemBatcher, `${path}/ItemBatcher`, language, problems);
  if (state.ResultWriter !== undefined) validateResultWriter(state.ResultWriter, `${path}/ResultWriter`, language, problems);
}

function validateResultWriter(writer: unknown, path: string, language: QueryLanguage, problems: string[]): void {
  if (!isObject(writer)) return void problems.push(`${path}: must be an object`);
  if (writer.Resource !== undefined && !/^arn:aws[a-z-]*:states:::s3:putObject$/.test(writer.Resource)) problems.push(`${path}/Resource: must be arn:aws:states:::s3:putObject`);
  const args = language === 'JSONata' ? 'Arguments' : 'Parameters';
  for (const key of Object.keys(writer)) if (!['Resource', 'WriterConfig', args].includes(key)) problems.push(`${path}/${key}: field is not supported in a ${language} ResultWriter`);
  const transformation = writer.WriterConfig?.Transformation;
  if (transformation !== undefined && !['NONE', 'COMPACT', 'FLATTEN'].includes(transformation)) problems.push(`${path}/WriterConfig/Transformation: must be NONE, COMPACT or FLATTEN`);
}

function validateItemReader(reader: unknown, path: string, language: QueryLanguage, problems: string[]): void {
  if (!isObject(reader)) return void problems.push(`${path}: must be an object`);
  if (typeof reader.Resource !== 'string' || !/^arn:aws[a-z-]*:states:::s3:(getObject|listObjectsV2)$/.test(reader.Resource)) {
    problems.push(`${path}/Resource: must be arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2`);
  }
  const args = language === 'JSONata' ? 'Arguments' : 'Parameters';
  for (const key of Object.keys(reader)) if (!['Resource', 'ReaderConfig', args].includes(key)) problems.push(`${path}/${key}: field is not supported in a ${language} ItemReader`);
  const config = reader.ReaderConfig;
  if (config === undefined) {
    if (String(reader.Resource).endsWith(':getObject')) problems.push(`${path}/ReaderConfig: required to read an object (InputType)`);
    return;
  }
  if (!isObject(config)) return void problems.push(`${path}/ReaderConfig: must be an object`);
  if (config.InputType !== undefined && !['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET'].includes(config.InputType)) problems.push(`${path}/ReaderConfig/InputType: must be CSV, JSON, JSONL, MANIFEST or PARQUET`);
  if (config.CSVHeaderLocation !== undefined && config.CSVHeaderLocation !== 'FIRST_ROW' && config.CSVHeaderLocation !== 'GIVEN') problems.push(`${path}/ReaderConfig/CSVHeaderLocation: must be FIRST_ROW or GIVEN`);
  if (config.CSVHeaderLocation === 'GIVEN' && (!Array.isArray(config.CSVHeaders) || config.CSVHeaders.length === 0)) problems.push(`${path}/ReaderConfig/CSVHeaders: required when CSVHeaderLocation is GIVEN`);
  if (config.MaxItems !== undefined && !isNonNegativeInt(config.MaxItems)) problems.push(`${path}/ReaderConfig/MaxItems: must be a non-negative integer`);
}

function validateItemBatcher(batcher: unknown, path: string, language: QueryLanguage, problems: string[]): void {
  if (!isObject(batcher)) return void problems.push(`${path}: must be an object`);
  const sizes = ['MaxItemsPerBatch', 'MaxInputBytesPerBatch'];
  const allowed = [...sizes, 'BatchInput', ...(language === 'JSONPath' ? sizes.map((f) => `${f}Path`) : [])];
  for (const key of Object.keys(batcher)) if (!allowed.includes(key)) problems.push(`${path}/${key}: field is not supported in a ${language} ItemBatcher`);
  if (![...sizes, ...sizes.map((f) => `${f}Path`)].some((f) => batcher[f] !== undefined)) problems.push(`${path}: one of MaxItemsPerBatch or MaxInputBytesPerBatch is required`);
  for (const field of sizes) {
    exclusive(batcher, path, field, `${field}Path`, problems);
    if (typeof batcher[field] === 'number' && !isPositiveInt(batcher[field])) problems.push(`${path}/${field}: must be a positive integer`);
  }
  if (typeof batcher.MaxInputBytesPerBatch === 'number' && batcher.MaxInputBytesPerBatch > 256 * 1024) problems.push(`${path}/MaxInputBytesPerBatch: must be at most 262144 (256 KiB)`);
}

/** JSONata states have no `.$` keys: values are literals or `{% %}` expressions. */
function noPathKeys(value: unknown, path: string, problems: string[]): void {
  if (Array.isArray(value)) return value.forEach((v, i) => noPathKeys(v, `${path}/${i}`, problems));
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('.$')) problems.push(`${path}/${key}: a '.$' key is JSONPath; JSONata states use '{% %}' expressions`);
    noPathKeys(v, `${path}/${key}`, problems);
  }
}

function exclusive(state: Json, path: string, a: string, b: string, problems: string[]): void {
  if (state[a] !== undefined && state[b] !== undefined) problems.push(`${path}: '${a}' and '${b}' are mutually exclusive`);
}

function validateAssign(assign: unknown, path: string, problems: string[]): void {
  if (!isObject(assign)) {
    problems.push(`${path}: must be an object`);
    return;
  }
  for (const key of Object.keys(assign)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`${path}/${key}: invalid variable name`);
    else if (name === 'states') problems.push(`${path}/${key}: 'states' is a reserved variable name`);
  }
}

function validateErrorEquals(list: unknown, path: string, problems: string[]): boolean {
  if (!Array.isArray(list) || list.length === 0 || list.some((e) => typeof e !== 'string')) {
    problems.push(`${path}/ErrorEquals: must be a non-empty array of strings`);
    return false;
  }
  if (list.includes('States.ALL') && list.length > 1) problems.push(`${path}/ErrorEquals: 'States.ALL' must appear alone`);
  return list.includes('States.ALL');
}

function validateRetriers(retry: unknown, path: string, problems: string[]): void {
  if (!Array.isArray(retry)) {
    problems.push(`${path}: must be an array`);
    return;
  }
  retry.forEach((r, i) => {
    const at = `${path}/${i}`;
    if (!isObject(r)) return problems.push(`${at}: must be an object`);
    const all = validateErrorEquals(r.ErrorEquals, at, problems);
    if (all && i !== retry.length - 1) problems.push(`${at}: a retrier with 'States.ALL' must be the last one`);
    if (r.IntervalSeconds !== undefined && !isPositiveInt(r.IntervalSeconds)) problems.push(`${at}/IntervalSeconds: must be a positive integer`);
    if (r.MaxAttempts !== undefined && !isNonNegativeInt(r.MaxAttempts)) problems.push(`${at}/MaxAttempts: must be a non-negative integer`);
    if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) problems.push(`${at}/BackoffRate: must be a number >= 1.0`);
    if (r.MaxDelaySeconds !== undefined && !isPositiveInt(r.MaxDelaySeconds)) problems.push(`${at}/MaxDelaySeconds: must be a positive integer`);
    if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') problems.push(`${at}/JitterStrategy: must be FULL or NONE`);
    for (const key of Object.keys(r)) {
      if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(key)) problems.push(`${at}/${key}: field is not supported in a retrier`);
    }
  });
}

function validateCatchers(catchers: unknown, path: string, language: QueryLanguage, problems: string[]): string[] {
  if (!Array.isArray(catchers)) {
    problems.push(`${path}: must be an array`);
    return [];
  }
  const targets: string[] = [];
  catchers.forEach((c, i) => {
    const at = `${path}/${i}`;
    if (!isObject(c)) return problems.push(`${at}: must be an object`);
    const all = validateErrorEquals(c.ErrorEquals, at, problems);
    if (all && i !== catchers.length - 1) problems.push(`${at}: a catcher with 'States.ALL' must be the last one`);
    if (typeof c.Next !== 'string') problems.push(`${at}/Next: required string`);
    else targets.push(c.Next);
    if (c.Assign !== undefined) validateAssign(c.Assign, `${at}/Assign`, problems);
    if (language === 'JSONata') for (const field of ['Assign', 'Output']) if (c[field] !== undefined) noPathKeys(c[field], `${at}/${field}`, problems);
    const allowed = ['ErrorEquals', 'Next', 'Comment', 'Assign', language === 'JSONata' ? 'Output' : 'ResultPath'];
    for (const key of Object.keys(c)) if (!allowed.includes(key)) problems.push(`${at}/${key}: field is not supported in a ${language} catcher`);
  });
  return targets;
}

function validateChoiceRule(rule: unknown, path: string, language: QueryLanguage, topLevel: boolean, problems: string[]): string[] {
  if (!isObject(rule)) {
    problems.push(`${path}: must be an object`);
    return [];
  }
  const targets: string[] = [];
  if (topLevel) {
    if (typeof rule.Next !== 'string') problems.push(`${path}/Next: required in a top-level Choice rule`);
    else targets.push(rule.Next);
    if (rule.Assign !== undefined) validateAssign(rule.Assign, `${path}/Assign`, problems);
  } else if (rule.Next !== undefined) problems.push(`${path}/Next: only top-level Choice rules may have Next`);
  if (language === 'JSONata') {
    if (typeof rule.Condition !== 'string' && typeof rule.Condition !== 'boolean') problems.push(`${path}/Condition: required in a JSONata Choice rule`);
    for (const key of Object.keys(rule)) if (!['Condition', 'Next', 'Comment', 'Assign', 'Output'].includes(key)) problems.push(`${path}/${key}: field is not supported in a JSONata Choice rule`);
    return targets;
  }
  const operators = ['And', 'Or', 'Not'].filter((k) => rule[k] !== undefined);
  const comparators = Object.keys(rule).filter((k) => CHOICE_COMPARATORS.has(k));
  for (const key of Object.keys(rule)) {
    if (!['Variable', 'Next', 'Comment', 'Assign', 'And', 'Or', 'Not'].includes(key) && !CHOICE_COMPARATORS.has(key)) problems.push(`${path}/${key}: field is not supported in a JSONPath Choice rule`);
  }
  if (operators.length + comparators.length !== 1) {
    problems.push(`${path}: a Choice rule needs exactly one comparison operator or one of And/Or/Not`);
    return targets;
  }
  if (operators.length === 1) {
    const op = operators[0];
    if (rule.Variable !== undefined) problems.push(`${path}/Variable: not allowed together with ${op}`);
    if (op === 'Not') validateChoiceRule(rule.Not, `${path}/Not`, language, false, problems);
    else if (!Array.isArray(rule[op]) || rule[op].length === 0) problems.push(`${path}/${op}: must be a non-empty array`);
    else rule[op].forEach((r: unknown, i: number) => validateChoiceRule(r, `${path}/${op}/${i}`, language, false, problems));
  } else {
    if (typeof rule.Variable !== 'string') problems.push(`${path}/Variable: required string`);
    const comparator = comparators[0];
    const problem = operandProblem(comparator, rule[comparator]);
    if (problem) problems.push(`${path}/${comparator}: ${problem}`);
  }
  return targets;
}

/** What is wrong with the operand of a JSONPath Choice comparator, if anything. */
function operandProblem(comparator: string, operand: unknown): string | undefined {
  if (comparator.startsWith('Is')) return typeof operand === 'boolean' ? undefined : 'must be true or false';
  if (comparator.endsWith('Path')) return typeof operand === 'string' && operand.startsWith('$') ? undefined : 'must be a path';
  if (comparator.startsWith('String')) return typeof operand === 'string' ? undefined : 'must be a string';
  if (comparator.startsWith('Numeric')) return typeof operand === 'number' ? undefined : 'must be a number';
  if (comparator.startsWith('Boolean')) return typeof operand === 'boolean' ? undefined : 'must be true or false';
  if (comparator.startsWith('Timestamp')) return parseTimestamp(operand) ? undefined : 'must be an RFC 3339 timestamp';
  return undefined;
}
