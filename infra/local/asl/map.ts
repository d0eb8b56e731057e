/**
 * The Map state (https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html), inline
 * and distributed. Locally both run their iterations in this process as threads of the
 * execution (DESIGN.md §3: "the same Map state, inline, locally"); distributed mode adds what
 * only it has on AWS:
 * - `ItemReader`: items read from the local object store (`s3:getObject` of a JSON, JSONL or
 *   CSV file, or `s3:listObjectsV2`), `ReaderConfig.MaxItems`;
 * - `ItemBatcher`: items grouped into `{Items, BatchInput}` batches by `MaxItemsPerBatch` and
 *   `MaxInputBytesPerBatch`;
 * - `ToleratedFailureCount`/`ToleratedFailurePercentage`: the Map fails with
 *   `States.ExceedToleratedFailureThreshold` only once more iterations failed than tolerated;
 * - `MapRunStarted`/`MapRunSucceeded`/`MapRunFailed` history events; the iterations' own
 *   events belong to their child executions on AWS and are not recorded in the parent's history.
 */
import { createHash } from 'node:crypto';
import type { CompiledState, ItemReader } from './compile.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import { NO_HISTORY } from './history.js';
import { inputPathOnly } from './io.js';
import { childController, childThread, runThread, SIBLING_FAILED, type RunContext } from './interpreter.js';
import { Frame, type Scope } from './scope.js';
import type { Thread } from './thread.js';

/** Reads the items a distributed Map's `ItemReader` names. */
export async function readItems(state: CompiledState, scope: Scope, rc: RunContext): Promise<unknown[]> {
  const reader = state.itemReader!;
  const params = ((await reader.parameters?.(scope)) ?? {}) as Record<string, any>;
  const call = (action: string, p: unknown) =>
    rc.integrations.callService('s3', action, p, { stateName: state.name, executionArn: rc.execution.Id, attempt: 0, resource: reader.resource, integrationPattern: 'requestResponse', signal: new AbortController().signal });
  try {
    return await readAll(reader, params, call);
  } catch (e) {
    // AWS fails a distributed Map whose items cannot be read with States.ItemReaderFailed.
    if (e instanceof StatesError && e.error === StatesErrors.ItemReaderFailed) throw e;
    throw new StatesError(StatesErrors.ItemReaderFailed, `${(e as Error).name}: ${(e as Error).message}`);
  }
}

async function readAll(reader: ItemReader, params: Record<string, any>, call: (action: string, p: unknown) => Promise<unknown>): Promise<unknown[]> {
  let items: unknown[];
  if (reader.action === 'listObjectsV2') {
    items = [];
    let token: string | undefined;
    do {
      const page = (await call('listObjectsV2', { ...params, ...(token ? { ContinuationToken: token } : {}) })) as { Contents?: unknown[]; NextContinuationToken?: string };
      items.push(...(page.Contents ?? []));
      token = page.NextContinuationToken;
    } while (token);
  } else {
    const object = (await call('getObject', params)) as { Body?: unknown };
    items = parseObject(String(object.Body ?? ''), reader.config, params.Key);
  }
  const max = reader.config.MaxItems;
  return typeof max === 'number' && max > 0 ? items.slice(0, max) : items;
}

/** Items of a file by `ReaderConfig.InputType` (JSON array, JSON Lines, CSV with headers). */
function parseObject(text: string, config: Record<string, any>, key: string): unknown[] {
  const type = config.InputType ?? 'JSON';
  const fail = (why: string): never => {
    throw new StatesError(StatesErrors.ItemReaderFailed, `Cannot read items from '${key}': ${why}`);
  };
  if (type === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      fail(`not JSON (${(e as Error).message})`);
    }
    if (!Array.isArray(parsed)) fail('a JSON input must be an array');
    return parsed as unknown[];
  }
  if (type === 'JSONL') {
    return text.split(/\r?\n/).filter((line) => line.trim() !== '').map((line, i) => {
      try {
        return JSON.parse(line);
      } catch {
        return fail(`line ${i + 1} is not JSON`);
      }
    });
  }
  if (type === 'CSV') {
    const delimiter = ({ COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' } as Record<string, string>)[config.CSVDelimiter ?? 'COMMA'] ?? ',';
    const rows = parseCsv(text, delimiter);
    const headers: string[] = config.CSVHeaderLocation === 'GIVEN' ? config.CSVHeaders : (rows.shift() ?? fail('the file has no header row'));
    return rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ?? ''])));
  }
  return fail(`InputType ${type} is not supported locally`);
}

/** RFC 4180 CSV: quoted fields may hold delimiters, quotes ("") and line breaks. */
function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      (row = []), (field = '');
    } else field += c;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  return rows;
}

/** Groups `items` into `{Items, BatchInput}` batches (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html). */
async function batch(state: CompiledState, items: unknown[], scope: Scope): Promise<unknown[]> {
  const batcher = state.itemBatcher!;
  const maxItems = (await batcher.maxItems?.(scope)) ?? Infinity;
  const maxBytes = (await batcher.maxBytes?.(scope)) ?? Infinity;
  const batchInput = await batcher.batchInput?.(scope);
  const batches: unknown[] = [];
  let current: unknown[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length && (current.length >= maxItems || bytes + size > maxBytes)) {
      batches.push(current);
      (current = []), (bytes = 0);
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) batches.push(current);
  return batches.map((Items) => (batchInput === undefined ? { Items } : { Items, BatchInput: batchInput }));
}

/** How many failed iterations a distributed Map tolerates (count and percentage: the stricter wins). */
async function toleratedFailures(state: CompiledState, scope: Scope, itemCount: number): Promise<number> {
  const count = await state.toleratedFailureCount?.(scope);
  const percentage = await state.toleratedFailurePercentage?.(scope);
  const byCount = count ?? Infinity;
  const byPercent = percentage === undefined ? Infinity : Math.floor((percentage / 100) * itemCount);
  const limit = Math.min(byCount, byPercent);
  return limit === Infinity ? 0 : limit;
}

/** One attempt of a Map state; ends with the thread in phase `result` (or throws). */
export async function runMap(state: CompiledState, thread: Thread, rc: RunContext, signal: AbortSignal): Promise<void> {
  const frame = new Frame(rc, thread, state.name);
  const scope = frame.scope();
  const mapInput = inputPathOnly(state, thread.input, scope);
  const inputScope = scope.withData(mapInput);
  const distributed = state.distributed === true;
  const found = state.itemReader ? await readItems(state, inputScope, rc) : await state.items!(inputScope);
  if (!Array.isArray(found)) throw new StatesError(StatesErrors.Runtime, `Map state '${state.name}': the items to iterate over must be an array, got ${JSON.stringify(found)}`);
  let items: unknown[] = found;
  const select = (index: number, item: unknown) => state.itemSelector!(frame.with({ Map: { Item: { Index: index, Value: item } } }).scope().withData(mapInput));
  // A batcher groups the selected items; otherwise each iteration selects its own item as it starts.
  if (state.itemBatcher) items = await batch(state, state.itemSelector ? await Promise.all(items.map((item, i) => select(i, item))) : items, inputScope);
  const selectsItems = state.itemSelector !== undefined && !state.itemBatcher;
  const maxConcurrency = (await state.maxConcurrency?.(inputScope)) ?? 0;
  const tolerated = distributed ? await toleratedFailures(state, inputScope, items.length) : 0;
  const limit = maxConcurrency > 0 ? maxConcurrency : items.length;
  // Distributed iterations are child executions on AWS: their events are not in this history.
  const childRc: RunContext = distributed ? { ...rc, history: NO_HISTORY } : rc;

  if (thread.phase !== 'fanout') {
    thread.started = rc.history.add('MapStateStarted', thread, { length: items.length });
    if (distributed) rc.history.add('MapRunStarted', thread, { mapRunArn: mapRunArn(rc, state, thread) });
    thread.phase = 'fanout';
    thread.children = new Array(items.length);
    rc.durable?.moved(thread);
  }
  const children = (thread.children ??= new Array(items.length));
  const iterationEvent = (type: string, child: Thread, index: number) => {
    if (!distributed) rc.history.add(type, child, { name: state.name, index });
  };
  let failures = 0;
  let firstError: StatesError | undefined;
  const { controller, release } = childController(signal);
  const iterate = async (index: number) => {
    let child = children[index];
    const fresh = !child;
    if (!child) {
      child = children[index] = childThread(thread, index, state.processor!, items[index]);
      iterationEvent('MapIterationStarted', child, index);
    }
    try {
      if (fresh) {
        if (selectsItems) child.input = await select(index, items[index]);
        rc.durable?.moved(child);
      }
      await runThread(state.processor!, child, childRc, controller.signal);
      iterationEvent('MapIterationSucceeded', child, index);
      rc.durable?.moved(child);
    } catch (e) {
      if (controller.signal.aborted) {
        iterationEvent('MapIterationAborted', child, index);
        return;
      }
      child.fail(toStatesError(e));
      iterationEvent('MapIterationFailed', child, index);
      rc.durable?.moved(child);
      countFailure(child.value as StatesError);
    }
  };
  const countFailure = (error: StatesError) => {
    failures++;
    if (failures > tolerated) {
      firstError ??= error;
      controller.abort(SIBLING_FAILED);
    }
  };
  // Iterations already over (a resumed or redriven Map) keep their outcome.
  const pending: number[] = [];
  for (let index = 0; index < items.length; index++) {
    const phase = children[index]?.phase;
    if (phase === 'failed') countFailure(children[index]!.value as StatesError);
    else if (phase !== 'done') pending.push(index);
  }
  let next = 0;
  const worker = async () => {
    while (next < pending.length && !controller.signal.aborted) await iterate(pending[next++]);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(limit, pending.length) }, worker));
  } finally {
    release();
  }
  if (signal.aborted) throw signal.reason;
  if (firstError !== undefined) {
    const error = distributed
      ? new StatesError(StatesErrors.ExceedToleratedFailureThreshold, `The Map state '${state.name}' exceeded its tolerated failure threshold (${failures} of ${items.length} iterations failed, ${tolerated} tolerated)`)
      : firstError;
    if (distributed) rc.history.add('MapRunFailed', thread, { error: error.error, cause: error.cause });
    rc.history.add('MapStateFailed', thread);
    thread.phase = 'error';
    thread.value = error;
    rc.durable?.moved(thread);
    throw error;
  }
  const results = children.map((child) => (child!.phase === 'done' ? child!.value : (child!.value as StatesError).toErrorOutput()));
  const written = state.resultWriter ? await writeResults(state, thread, rc, inputScope, items, children as Thread[]) : undefined;
  if (distributed) rc.history.add('MapRunSucceeded', thread);
  rc.history.add('MapStateSucceeded', thread);
  thread.phase = 'result';
  thread.value = written ?? results;
  thread.children = undefined;
  rc.durable?.moved(thread);
}

/** A UUID-shaped id that stays the same when the Map is resumed after a restart. */
function stableId(...parts: (string | number | undefined)[]): string {
  const hex = createHash('sha256').update(parts.join('|')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `arn:aws:states:<region>:<account>:mapRun:<stateMachine>/<label>:<id>`. */
function mapRunArn(rc: RunContext, state: CompiledState, thread: Thread): string {
  return `arn:aws:states:${rc.region}:${rc.accountId}:mapRun:${rc.stateMachine.Name}/${state.label ?? state.name}:${stableId(rc.execution.Id, thread.id, thread.started)}`;
}

/**
 * `ResultWriter`: the child executions' results are written to the object store — a
 * `manifest.json` and `SUCCEEDED_0.json` / `FAILED_0.json` under `<Prefix>/<map run id>/` — and the
 * state's result is `{MapRunArn, ResultWriterDetails: {Bucket, Key}}`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html).
 * `WriterConfig.Transformation`: `COMPACT` writes the outputs only, `FLATTEN` also spreads array
 * outputs into one array; `OutputType` is always JSON locally.
 */
async function writeResults(state: CompiledState, thread: Thread, rc: RunContext, scope: Scope, items: unknown[], children: Thread[]): Promise<unknown> {
  const writer = state.resultWriter!;
  const params = ((await writer.parameters?.(scope)) ?? {}) as { Bucket?: string; Prefix?: string };
  const runArn = mapRunArn(rc, state, thread);
  const runId = runArn.split(':').pop()!;
  const folder = `${params.Prefix ? `${params.Prefix.replace(/\/$/, '')}/` : ''}${runId}`;
  const put = (Key: string, Body: unknown) =>
    rc.integrations.callService('s3', 'putObject', { Bucket: params.Bucket, Key, Body: JSON.stringify(Body) }, { stateName: state.name, executionArn: rc.execution.Id, attempt: thread.retryCount, resource: 'arn:aws:states:::s3:putObject', integrationPattern: 'requestResponse', signal: new AbortController().signal });
  const at = new Date(thread.entered).toISOString();
  const now = new Date(rc.clock.now()).toISOString();
  const entry = (child: Thread, index: number) => {
    const name = stableId(runArn, index);
    const ok = child.phase === 'done';
    if (writer.transformation !== 'NONE') return ok ? child.value : (child.value as StatesError).toErrorOutput();
    const error = ok ? undefined : (child.value as StatesError);
    return {
      ExecutionArn: `arn:aws:states:${rc.region}:${rc.accountId}:execution:${rc.stateMachine.Name}/${state.label ?? state.name}:${name}`,
      Input: JSON.stringify(items[index]),
      InputDetails: { Included: true },
      Name: name,
      ...(ok ? { Output: JSON.stringify(child.value), OutputDetails: { Included: true } } : { Error: error!.error, Cause: error!.cause }),
      RedriveCount: 0,
      RedriveStatus: 'NOT_REDRIVABLE',
      StartDate: at,
      StateMachineArn: rc.stateMachine.Id,
      Status: ok ? 'SUCCEEDED' : 'FAILED',
      StopDate: now,
    };
  };
  const files: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    let entries = children.map((child, index) => ((child.phase === 'done') === (status === 'SUCCEEDED') ? entry(child, index) : undefined)).filter((e) => e !== undefined);
    // FLATTEN: outputs that are arrays (a batch's results) are spread into one array.
    if (writer.transformation === 'FLATTEN') entries = entries.flatMap((e) => (Array.isArray(e) ? e : [e]));
    if (!entries.length) continue;
    const Key = `${folder}/${status}_0.json`;
    await put(Key, entries);
    files[status].push({ Key, Size: Buffer.byteLength(JSON.stringify(entries)) });
  }
  const manifest = `${folder}/manifest.json`;
  await put(manifest, { DestinationBucket: params.Bucket, MapRunArn: runArn, ResultFiles: files });
  return { MapRunArn: runArn, ResultWriterDetails: { Bucket: params.Bucket, Key: manifest } };
}

