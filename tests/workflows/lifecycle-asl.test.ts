/**
 * workflows/declaration-lifecycle.asl.json on the local interpreter, with the same `${…}`
 * substitution CDK performs and stub Lambdas standing in for the handlers: every path of the
 * lifecycle — green, held, rejected, paid late, failed — takes the states the design says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { appModel } from '../../infra/app-model.js';
import { LocalStepFunctions, VirtualClock, type TaskContext } from '../../infra/local/asl/index.js';
import { substitute } from '../../infra/local/runtime.js';

type Stub = (payload: any, ctx: TaskContext) => unknown;

const definition = substitute(readFileSync(appModel.workflows.lifecycle.file, 'utf8'), appModel.workflows.lifecycle);

/** Runs one execution with the given stub per function (by model name); returns what happened. */
function run(stubs: Partial<Record<keyof typeof appModel.functions, Stub>>, clock = new VirtualClock({ start: Date.parse('2025-05-20T02:00:00Z') })) {
  const invoked: string[] = [];
  const events: string[] = [];
  const tokens: Record<string, string> = {};
  const sfn = new LocalStepFunctions({
    clock,
    integrations: {
      invokeLambda: async (fn, payload: any, ctx) => {
        const name = Object.keys(appModel.functions).find((n) => String(fn).endsWith(`clearway-${n}`))! as keyof typeof appModel.functions;
        invoked.push(name);
        if (ctx.taskToken) tokens[payload.kind] = ctx.taskToken;
        const stub = stubs[name];
        return stub ? stub(payload, ctx) : {};
      },
      callService: async (service, action, params: any) => {
        if (service === 'eventbridge' && action === 'putEvents') events.push(...params.Entries.map((e: any) => e.DetailType));
        return { FailedEntryCount: 0, Entries: [{ EventId: '1' }] };
      },
    },
  });
  const { stateMachineArn } = sfn.createStateMachine({ name: 'lifecycle', definition });
  const { executionArn } = sfn.startExecution({ stateMachineArn, name: 'D-1-v1', input: JSON.stringify({ declarationId: 'D-1', version: 1 }) });
  const states = () =>
    (sfn.getExecutionHistory({ executionArn, maxResults: 1000 }) as any).events
      .filter((e: any) => e.type.endsWith('StateEntered'))
      .map((e: any) => e.stateEnteredEventDetails.name);
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 10_000 && !condition(); i++) await new Promise((r) => setImmediate(r));
  };
  return { sfn, executionArn, invoked, events, tokens, states, until, clock };
}

const green: Partial<Record<keyof typeof appModel.functions, Stub>> = {
  acceptDeclaration: () => ({ entryNumber: '224820251000000001', paymentMethod: 'DEFERMENT' }),
  screenRisk: () => ({ channel: 'GREEN' }),
  settlePayment: () => ({ settled: true }),
};

describe('the declaration lifecycle definition', () => {
  it('passes AWS validation rules on the local interpreter', () => {
    expect(() => new LocalStepFunctions({ integrations: { invokeLambda: async () => ({}), callService: async () => ({}) } })
      .createStateMachine({ name: 'lifecycle', definition })).not.toThrow();
  });

  it('takes a green, secured declaration from receipt to post-clearance selection', async () => {
    const { sfn, executionArn, invoked, events, states } = run(green);
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(invoked).toEqual(['acceptDeclaration', 'screenRisk', 'assessTax', 'settlePayment', 'releaseDeclaration', 'selectForAudit']);
    expect(events).toEqual(['DeclarationReleased']);
    expect(states().at(-1)).toBe('Cleared');
  });

  it('hands every step the declaration, its version, the clock reading and a correlation id', async () => {
    const payloads: any[] = [];
    const { sfn, executionArn } = run({ ...green, screenRisk: (p) => (payloads.push(p), { channel: 'GREEN' }) });
    await sfn.awaitExecution(executionArn);
    expect(payloads[0]).toEqual({ declarationId: 'D-1', version: 1, at: '2025-05-20T02:00:00.000Z', correlationId: 'D-1-v1/ScreenRisk' });
  });

  it('holds a yellow declaration, announces it, and waits for the officer token', async () => {
    const { sfn, executionArn, events, tokens, until, invoked } = run({ ...green, screenRisk: () => ({ channel: 'YELLOW' }) });
    await until(() => !!tokens.officer);
    expect(events).toEqual(['DeclarationHeld']);
    expect(invoked.at(-1)).toBe('awaitCallback');
    sfn.sendTaskSuccess({ taskToken: tokens.officer, output: JSON.stringify({ decision: 'RELEASE', reason: null }) });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(invoked).toContain('releaseDeclaration');
  });

  describe('a GREEN declaration in a lane with a stand-by', () => {
    const standingBy = { ...green, screenRisk: () => ({ channel: 'GREEN', standBySeconds: 900 }) };

    it('parks it in the stand-by queue for the lane\'s seconds, then goes on to release unselected', async () => {
      const payloads: any[] = [];
      const { sfn, executionArn, tokens, until, clock, invoked, states } = run({ ...standingBy, awaitCallback: (p) => (payloads.push(p), {}) });
      await until(() => !!tokens.officer);
      expect(payloads[0]).toMatchObject({ kind: 'officer', channel: 'GREEN', standBySeconds: 900 });
      clock.advance(900_000 + 1000);
      expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(invoked).toEqual(['acceptDeclaration', 'screenRisk', 'awaitCallback', 'endStandBy', 'assessTax', 'settlePayment', 'releaseDeclaration', 'selectForAudit']);
      expect(states()).toContain('EndStandBy');
    });

    it('holds it in the channel an officer selects during the stand-by, like a screened hit', async () => {
      const payloads: any[] = [];
      const { sfn, tokens, until, events } = run({ ...standingBy, awaitCallback: (p) => (payloads.push(p), {}) });
      await until(() => !!tokens.officer);
      const standByToken = tokens.officer;
      delete tokens.officer;
      sfn.sendTaskSuccess({ taskToken: standByToken, output: JSON.stringify({ decision: 'SELECT', reason: 'intelligence', channel: 'RED' }) });
      await until(() => !!tokens.officer);
      expect(events).toEqual(['DeclarationHeld']);
      expect(payloads.map((p) => [p.channel, p.standBySeconds])).toEqual([['GREEN', 900], ['RED', undefined]]);
    });

    it('goes on at once when an officer releases it during the stand-by', async () => {
      const { sfn, executionArn, tokens, until, invoked } = run(standingBy);
      await until(() => !!tokens.officer);
      sfn.sendTaskSuccess({ taskToken: tokens.officer, output: JSON.stringify({ decision: 'RELEASE', reason: null, channel: null }) });
      expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(invoked).not.toContain('endStandBy');
    });
  });

  it('escalates an officer decision that takes longer than two days, and keeps waiting', async () => {
    const { events, tokens, until, clock } = run({ ...green, screenRisk: () => ({ channel: 'RED' }) });
    await until(() => !!tokens.officer);
    delete tokens.officer;
    clock.advance(2 * 86_400_000 + 1000);
    await until(() => !!tokens.officer);
    expect(events).toEqual(['DeclarationHeld', 'OfficerDecisionOverdue']);
  });

  it('records and announces a rejection when the officer rejects', async () => {
    const outcomes: any[] = [];
    const { sfn, executionArn, events, tokens, until } = run({
      ...green,
      screenRisk: () => ({ channel: 'RED' }),
      recordOutcome: (p) => (outcomes.push(p), { status: p.outcome }),
    });
    await until(() => !!tokens.officer);
    sfn.sendTaskSuccess({ taskToken: tokens.officer, output: JSON.stringify({ decision: 'REJECT', reason: 'prohibited goods' }) });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(outcomes[0]).toMatchObject({ outcome: 'REJECTED', error: { Error: 'RejectedByOfficer', Cause: 'prohibited goods' } });
    expect(events).toEqual(['DeclarationHeld', 'DeclarationRejected']);
  });

  it('hands the officer wait its escalation: not escalated first, escalated after the two-day deadline', async () => {
    const payloads: any[] = [];
    const { tokens, until, clock } = run({ ...green, screenRisk: () => ({ channel: 'RED' }), awaitCallback: (p) => (payloads.push(p), {}) });
    await until(() => !!tokens.officer);
    delete tokens.officer;
    clock.advance(2 * 86_400_000 + 1000);
    await until(() => !!tokens.officer);
    expect(payloads.map((p) => [p.kind, p.channel, p.escalated])).toEqual([['officer', 'RED', false], ['officer', 'RED', true]]);
  });

  it('announces an inspection discrepancy to enforcement and reassesses the tax on the found facts', async () => {
    const { sfn, executionArn, events, tokens, until, invoked } = run({ ...green, screenRisk: () => ({ channel: 'RED' }) });
    await until(() => !!tokens.officer);
    sfn.sendTaskSuccess({ taskToken: tokens.officer, output: JSON.stringify({ decision: 'AMEND', reason: 'second invoice' }) });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(events).toEqual(['DeclarationHeld', 'InspectionDiscrepancy', 'DeclarationReleased']);
    expect(invoked).toEqual(expect.arrayContaining(['assessTax', 'releaseDeclaration']));
  });

  it('ends in Seized, with the seizure recorded and announced, when prohibited goods are found', async () => {
    const outcomes: any[] = [];
    const { sfn, executionArn, events, tokens, until, invoked, states } = run({
      ...green,
      screenRisk: () => ({ channel: 'RED' }),
      recordOutcome: (p) => (outcomes.push(p), { status: p.outcome }),
    });
    await until(() => !!tokens.officer);
    sfn.sendTaskSuccess({ taskToken: tokens.officer, output: JSON.stringify({ decision: 'SEIZE', reason: 'firearms' }) });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(states().at(-1)).toBe('Seized');
    expect(outcomes[0]).toMatchObject({ outcome: 'SEIZED', error: { Error: 'GoodsSeized', Cause: 'firearms' } });
    expect(events).toEqual(['DeclarationHeld', 'InspectionDiscrepancy']);
    expect(invoked).not.toContain('assessTax');
  });

  it('routes a receipt rejection (DeclarationRejected) to the rejection outcome', async () => {
    const outcomes: any[] = [];
    const rejected = Object.assign(new Error('CWY-REF-001 /items/0: no tariff line'), { name: 'DeclarationRejected' });
    const { sfn, executionArn, events } = run({
      acceptDeclaration: () => { throw rejected; },
      recordOutcome: (p) => (outcomes.push(p), { status: p.outcome }),
    });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(outcomes[0]).toMatchObject({ outcome: 'REJECTED', error: { Error: 'DeclarationRejected' } });
    expect(events).toEqual(['DeclarationRejected']);
  });

  it('waits for the bank until the deadline, then raises PaymentOverdue and keeps waiting', async () => {
    const { sfn, executionArn, events, tokens, until, clock } = run({
      ...green,
      settlePayment: () => ({ settled: false, deadline: '2025-06-04T16:00:00.000Z' }),
    });
    await until(() => !!tokens.payment);
    delete tokens.payment;
    clock.set(Date.parse('2025-06-04T16:00:01Z'));
    await until(() => !!tokens.payment);
    expect(events).toEqual(['PaymentOverdue']);
    sfn.sendTaskSuccess({ taskToken: tokens.payment, output: JSON.stringify({ paid: true }) });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
  });

  it('records an unexpected failure, announces it and fails the execution with the original error', async () => {
    const outcomes: any[] = [];
    const { sfn, executionArn, events } = run({
      ...green,
      assessTax: () => { throw Object.assign(new Error('tariff file corrupt'), { name: 'ReferenceDataMissing' }); },
      recordOutcome: (p) => (outcomes.push(p), { status: p.outcome }),
    });
    const done = await sfn.awaitExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'ReferenceDataMissing' });
    expect(outcomes[0]).toMatchObject({ outcome: 'FAILED', state: 'AssessTax' });
    expect(events).toEqual(['DeclarationFailed']);
  });

  it('retries a throttled Lambda before giving up', async () => {
    let attempts = 0;
    const { sfn, executionArn } = run({
      ...green,
      screenRisk: () => {
        attempts += 1;
        if (attempts < 3) throw Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' });
        return { channel: 'GREEN' };
      },
    });
    expect((await sfn.awaitExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(attempts).toBe(3);
  });
});
