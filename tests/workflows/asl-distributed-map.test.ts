/**
 * The Map state in DISTRIBUTED mode on the local runtime
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html): items read
 * by an ItemReader from the local object store (JSON, JSONL, CSV, ListObjectsV2), batched by an
 * ItemBatcher, and a failure threshold (ToleratedFailureCount/Percentage) that fails the Map with
 * States.ExceedToleratedFailureThreshold only once exceeded.
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, StatesError, VirtualClock } from '../../infra/local/asl/index.js';
import { LocalObjectStore } from '../../infra/local/objects.js';

const distributed = { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' };
const echo = { StartAt: 'Echo', States: { Echo: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:echo', End: true } } };

function engine(objects = new LocalObjectStore(), failWhen: (payload: any) => boolean = () => false) {
  const seen: unknown[] = [];
  const sfn = new LocalStepFunctions({
    clock: new VirtualClock(),
    integrations: {
      invokeLambda: async (_fn, payload) => {
        seen.push(payload);
        if (failWhen(payload)) throw new StatesError('BadLine', JSON.stringify(payload));
        return payload;
      },
      callService: async (service, action, params) => {
        if (service !== 's3') throw new Error(`unexpected ${service}`);
        return (objects as unknown as Record<string, (p: unknown) => unknown>)[action](params);
      },
    },
  });
  return { sfn, seen, objects };
}

let machines = 0;
async function run(sfn: LocalStepFunctions, mapState: object, input: unknown = {}) {
  const { stateMachineArn } = sfn.createStateMachine({ name: `dmap-${++machines}`, definition: JSON.stringify({ StartAt: 'Lines', States: { Lines: { Type: 'Map', End: true, ...mapState } } }) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  const done = await sfn.awaitExecution(executionArn);
  return { done, output: done.output ? JSON.parse(done.output) : undefined, events: sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events };
}

describe('a distributed Map reading items with an ItemReader', () => {
  it('reads a CSV object with its header row, every value a string', async () => {
    const { sfn, objects } = engine();
    objects.putObject({ Bucket: 'audit-campaigns', Key: '2025/lines.csv', Body: 'declarationId,amount\nD-1,"1,200.50"\nD-2,80\n' });
    const { output, events } = await run(sfn, {
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'audit-campaigns', Key: '2025/lines.csv' } },
      ItemProcessor: { ProcessorConfig: distributed, ...echo },
    });
    expect(output).toEqual([{ declarationId: 'D-1', amount: '1,200.50' }, { declarationId: 'D-2', amount: '80' }]);
    const types = events.map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    expect(events[3].mapRunStartedEventDetails).toMatchObject({ mapRunArn: expect.stringMatching(/^arn:aws:states:us-east-1:000000000000:mapRun:dmap-\d+\/Lines:/) });
  });

  it('reads JSON and JSON Lines objects, up to ReaderConfig.MaxItems', async () => {
    const { sfn, objects } = engine();
    objects.putObject({ Bucket: 'b1', Key: 'items.json', Body: JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]) });
    objects.putObject({ Bucket: 'b1', Key: 'items.jsonl', Body: '{"n":1}\n{"n":2}\n' });
    const json = await run(sfn, { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON', MaxItems: 2 }, Parameters: { Bucket: 'b1', Key: 'items.json' } }, ItemProcessor: { ProcessorConfig: distributed, ...echo } });
    expect(json.output).toEqual([{ n: 1 }, { n: 2 }]);
    const jsonl = await run(sfn, { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSONL' }, Parameters: { Bucket: 'b1', 'Key.$': '$.key' } }, ItemProcessor: { ProcessorConfig: distributed, ...echo } }, { key: 'items.jsonl' });
    expect(jsonl.output).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('lists the objects under a prefix (s3:listObjectsV2)', async () => {
    const { sfn, objects } = engine();
    objects.putObject({ Bucket: 'b2', Key: 'in/a.xml', Body: '<a/>' });
    objects.putObject({ Bucket: 'b2', Key: 'in/b.xml', Body: '<bb/>' });
    objects.putObject({ Bucket: 'b2', Key: 'out/c.xml', Body: '' });
    const { output } = await run(sfn, {
      ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b2', Prefix: 'in/' } },
      ItemSelector: { 'key.$': '$$.Map.Item.Value.Key', 'size.$': '$$.Map.Item.Value.Size' },
      ItemProcessor: { ProcessorConfig: distributed, ...echo },
    });
    expect(output).toEqual([{ key: 'in/a.xml', size: 4 }, { key: 'in/b.xml', size: 5 }]);
  });

  it('fails with States.ItemReaderFailed, naming the S3 error, when the object cannot be read', async () => {
    const { sfn } = engine();
    const { done } = await run(sfn, { ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'nobucket', Key: 'k' } }, ItemProcessor: { ProcessorConfig: distributed, ...echo } });
    expect(done.status).toBe('FAILED');
    expect(done).toMatchObject({ error: 'States.ItemReaderFailed', cause: expect.stringContaining('NoSuchBucket') });
  });
});

describe('a distributed Map with an ItemBatcher', () => {
  it('hands each child a batch {Items, BatchInput}', async () => {
    const { sfn, seen } = engine();
    await run(sfn, {
      ItemsPath: '$.lines',
      ItemSelector: { 'n.$': '$$.Map.Item.Value' },
      ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'campaign.$': '$.campaign' } },
      ItemProcessor: { ProcessorConfig: distributed, ...echo },
    }, { campaign: 'C-7', lines: [1, 2, 3, 4, 5] });
    expect(seen).toEqual([
      { Items: [{ n: 1 }, { n: 2 }], BatchInput: { campaign: 'C-7' } },
      { Items: [{ n: 3 }, { n: 4 }], BatchInput: { campaign: 'C-7' } },
      { Items: [{ n: 5 }], BatchInput: { campaign: 'C-7' } },
    ]);
  });

  it('closes a batch before it would exceed MaxInputBytesPerBatch', async () => {
    const { sfn, seen } = engine();
    await run(sfn, { ItemsPath: '$.lines', ItemBatcher: { MaxInputBytesPerBatch: 20 }, ItemProcessor: { ProcessorConfig: distributed, ...echo } }, { lines: ['aaaaaaa', 'bbbbbbb', 'ccccccc'] });
    expect(seen).toEqual([{ Items: ['aaaaaaa', 'bbbbbbb'] }, { Items: ['ccccccc'] }]);
  });
});

describe('the failure threshold of a distributed Map', () => {
  const lines = { lines: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
  const processor = { ProcessorConfig: distributed, ...echo };

  it('succeeds while no more iterations failed than ToleratedFailureCount, with the failures in the output', async () => {
    const { sfn } = engine(undefined, (n) => n === 3 || n === 7);
    const { done, output } = await run(sfn, { ItemsPath: '$.lines', ToleratedFailureCount: 2, ItemProcessor: processor }, lines);
    expect(done.status).toBe('SUCCEEDED');
    expect(output[2]).toEqual({ Error: 'BadLine', Cause: '3' });
    expect(output[0]).toBe(1);
  });

  it('fails with States.ExceedToleratedFailureThreshold once the percentage is exceeded', async () => {
    const { sfn } = engine(undefined, (n) => n <= 3);
    const { done, events } = await run(sfn, { ItemsPath: '$.lines', ToleratedFailurePercentage: 20, MaxConcurrency: 1, ItemProcessor: processor }, lines);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect(events.map((e) => e.type)).toContain('MapRunFailed');
  });

  it('tolerates no failure by default, and reads its thresholds from the input with …Path', async () => {
    const { sfn } = engine(undefined, (n) => n === 1);
    expect((await run(sfn, { ItemsPath: '$.lines', ItemProcessor: processor }, lines)).done.error).toBe('States.ExceedToleratedFailureThreshold');
    expect((await run(sfn, { ItemsPath: '$.lines', ToleratedFailureCountPath: '$.tolerate', ItemProcessor: processor }, { ...lines, tolerate: 1 })).done.status).toBe('SUCCEEDED');
  });
});

describe('a distributed Map with a ResultWriter', () => {
  it('writes a manifest and the results of succeeded and failed children, and outputs where they are', async () => {
    const { sfn, objects } = engine(undefined, (n) => n === 2);
    const { output } = await run(sfn, {
      ItemsPath: '$.lines',
      ToleratedFailureCount: 1,
      Label: 'pricing',
      ItemProcessor: { ProcessorConfig: distributed, ...echo },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'campaign-7' } },
    }, { lines: [1, 2, 3] });
    expect(output).toEqual({ MapRunArn: expect.stringMatching(/:mapRun:dmap-\d+\/pricing:/), ResultWriterDetails: { Bucket: 'results', Key: expect.stringMatching(/^campaign-7\/[0-9a-f-]{36}\/manifest\.json$/) } });
    const manifest = JSON.parse(objects.getObject({ Bucket: 'results', Key: output.ResultWriterDetails.Key }).Body);
    expect(manifest).toMatchObject({ DestinationBucket: 'results', MapRunArn: output.MapRunArn, ResultFiles: { PENDING: [], SUCCEEDED: [{ Key: expect.stringMatching(/SUCCEEDED_0\.json$/) }], FAILED: [{ Key: expect.stringMatching(/FAILED_0\.json$/) }] } });
    const succeeded = JSON.parse(objects.getObject({ Bucket: 'results', Key: manifest.ResultFiles.SUCCEEDED[0].Key }).Body);
    expect(succeeded.map((e: { Input: string; Output: string; Status: string }) => [e.Input, e.Output, e.Status])).toEqual([['1', '1', 'SUCCEEDED'], ['3', '3', 'SUCCEEDED']]);
    const failed = JSON.parse(objects.getObject({ Bucket: 'results', Key: manifest.ResultFiles.FAILED[0].Key }).Body);
    expect(failed).toEqual([expect.objectContaining({ Input: '2', Status: 'FAILED', Error: 'BadLine', Cause: '2' })]);
  });

  it('writes only the outputs with WriterConfig COMPACT', async () => {
    const { sfn, objects } = engine();
    const { output } = await run(sfn, {
      ItemsPath: '$.lines',
      ItemProcessor: { ProcessorConfig: distributed, ...echo },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'compact' }, WriterConfig: { Transformation: 'COMPACT' } },
    }, { lines: [{ a: 1 }, { a: 2 }] });
    const manifest = JSON.parse(objects.getObject({ Bucket: 'results', Key: output.ResultWriterDetails.Key }).Body);
    expect(JSON.parse(objects.getObject({ Bucket: 'results', Key: manifest.ResultFiles.SUCCEEDED[0].Key }).Body)).toEqual([{ a: 1 }, { a: 2 }]);
  });
});
