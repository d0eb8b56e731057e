/**
 * Definitions and engines the ASL benchmark runs: a 10-state JSONPath machine with no-op tasks
 * (the same definition on our interpreter and on aws-local-stepfunctions), the declaration
 * lifecycle with no-op handlers, and a Map-heavy machine for the memory run.
 */
import { readFileSync } from 'node:fs';
import { appModel } from '../../infra/app-model.js';
import { LocalStepFunctions, type Integrations } from '../../infra/local/asl/index.js';
import { substitute } from '../../infra/local/runtime.js';
import type { RunOne } from './asl-measure.js';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/**
 * Ten states, JSONPath only, every feature on the hot path of a typical machine: tasks with
 * Parameters/ResultSelector/ResultPath, a Pass with an intrinsic, a Choice, InputPath/OutputPath.
 */
export const tenStateJsonPath = {
  Comment: 'Benchmark: 10 states, JSONPath, no-op tasks',
  StartAt: 'Receive',
  States: {
    Receive: { Type: 'Task', Resource: fn('receive'), Parameters: { 'id.$': '$.id', 'amount.$': '$.amount' }, ResultPath: '$.received', Next: 'Tag' },
    Tag: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'amount.$': '$.amount', 'label.$': "States.Format('decl-{}', $.id)", 'received.$': '$.received' }, Next: 'Screen' },
    Screen: { Type: 'Task', Resource: fn('screen'), ResultSelector: { 'channel.$': '$.channel' }, ResultPath: '$.screening', Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.amount', NumericGreaterThan: 1000000, Next: 'Hold' },
        { Variable: '$.screening.channel', StringEquals: 'GREEN', Next: 'Assess' },
      ],
      Default: 'Hold',
    },
    Hold: { Type: 'Pass', Result: { held: true }, ResultPath: '$.hold', Next: 'Assess' },
    Assess: { Type: 'Task', Resource: fn('assess'), InputPath: '$', ResultPath: '$.tax', Next: 'Settle' },
    Settle: { Type: 'Task', Resource: fn('settle'), Parameters: { 'id.$': '$.id', 'tax.$': '$.tax' }, ResultPath: '$.payment', Next: 'Release' },
    Release: { Type: 'Task', Resource: fn('release'), ResultPath: null, Next: 'Audit' },
    Audit: { Type: 'Task', Resource: fn('audit'), ResultPath: '$.audit', Next: 'Done' },
    Done: { Type: 'Succeed', OutputPath: '$.screening' },
  },
};

/** The no-op task: what a task returns (the screening task answers a channel). */
export const noOpTask = async (input: any) => (input && typeof input === 'object' && 'received' in input ? { channel: 'GREEN' } : { ok: true });

/** A Map-heavy machine: 8 items, each through a Task and a Pass. */
export const mapMachine = {
  StartAt: 'Lines',
  States: {
    Lines: {
      Type: 'Map',
      ItemsPath: '$.lines',
      MaxConcurrency: 4,
      ItemSelector: { 'line.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
      ItemProcessor: {
        StartAt: 'Price',
        States: {
          Price: { Type: 'Task', Resource: fn('price'), ResultPath: '$.price', Next: 'Keep' },
          Keep: { Type: 'Pass', Parameters: { 'index.$': '$.index' }, End: true },
        },
      },
      ResultPath: '$.priced',
      Next: 'Total',
    },
    Total: { Type: 'Pass', Parameters: { 'count.$': 'States.ArrayLength($.priced)' }, End: true },
  },
};

/** Input of one execution of the 10-state machine. */
export const tenStateInput = (i: number) => ({ id: `D-${i}`, amount: 1000 + (i % 100) });

/** Input of one execution of the Map machine. */
export const mapInput = (i: number) => ({ lines: Array.from({ length: 8 }, (_, k) => ({ sku: `S-${i}-${k}`, qty: k + 1 })) });

/** Integrations that answer every task with {@link noOpTask}. */
export const noOpIntegrations: Integrations = {
  invokeLambda: (_fn, payload) => noOpTask(payload),
  callService: async () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }),
};

/** The lifecycle definition with the local runtime's substitutions. */
export function lifecycleDefinition(): string {
  const workflow = appModel.workflows.lifecycle;
  return substitute(readFileSync(workflow.file, 'utf8'), workflow);
}

/** No-op lifecycle handlers: a green, secured declaration (no wait). */
export const lifecycleIntegrations: Integrations = {
  invokeLambda: async (functionName) => {
    if (functionName.endsWith('acceptDeclaration')) return { entryNumber: '224820251000000001', paymentMethod: 'DEFERMENT' };
    if (functionName.endsWith('screenRisk')) return { channel: 'GREEN' };
    if (functionName.endsWith('settlePayment')) return { settled: true };
    return {};
  },
  callService: async () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] }),
};

/** A workload on our engine: one state machine, one execution per call, awaited. */
export function ourEngine(sfn: LocalStepFunctions, definition: object | string, input: (i: number) => unknown, name = 'bench'): RunOne {
  const { stateMachineArn } = sfn.createStateMachine({ name, definition: typeof definition === 'string' ? definition : JSON.stringify(definition) });
  return async (i) => {
    const { executionArn } = sfn.startExecution({ stateMachineArn, name: `x-${i}`, input: JSON.stringify(input(i)) });
    const done = await sfn.awaitExecution(executionArn);
    if (done.status !== 'SUCCEEDED') throw new Error(`${executionArn}: ${done.status} ${done.error} ${done.cause}`);
  };
}

/** States entered by one execution (read from its history). */
export async function statesEntered(sfn: LocalStepFunctions, definition: object | string, input: unknown): Promise<number> {
  const { stateMachineArn } = sfn.createStateMachine({ name: 'count', definition: typeof definition === 'string' ? definition : JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  await sfn.awaitExecution(executionArn);
  return sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events.filter((e) => e.type.endsWith('StateEntered')).length;
}
