import { expect } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import type { Api } from './platform.js';

/**
 * Replays a declaration (`POST /audits/replays`, as `auditor`) and answers the report, having
 * checked that every step came out as recorded and every recorded outside input went in, to the
 * step it answered, as it was.
 */
export async function replayedIdentically(auditor: Api, id: string): Promise<any> {
  const { status, body } = await auditor.post('/audits/replays', { declarationId: id });
  expect(status).toBe(200);
  expect(body.comparison.steps.filter((s: any) => s.status !== 'IDENTICAL')).toEqual([]);
  expect(body).toMatchObject({ mode: 'REPLAY', comparison: { outcome: 'IDENTICAL', diverged: 0 } });
  expect(body.inputs.filter((i: any) => i.how !== 'RECORDED')).toEqual([]);
  return body;
}

/** Polls a what-if until it is done; if it never is, fails with how its campaign executions ended. */
export async function finishedWhatIf(api: Api, runtime: Runtime, id: string): Promise<any> {
  for (let i = 0; i < 2000; i++) {
    const { body } = await api.get(`/audits/what-if/${id}`);
    if (body.status === 'DONE') return body;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const executions = runtime.stepFunctions.listExecutions({ stateMachineArn: runtime.stateMachineArns.auditReplay }) as any;
  const ended = executions.executions.map((e: any) => runtime.stepFunctions.describeExecution({ executionArn: e.executionArn }));
  throw new Error(`what-if ${id} did not finish: ${JSON.stringify(ended.map((f: any) => [f.status, f.error, f.cause]))}`);
}
