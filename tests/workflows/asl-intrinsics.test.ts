/**
 * Intrinsic functions and Choice timestamps where AWS's documentation is stricter than a
 * permissive reading (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html;
 * https://states-language.net/spec.html#timestamps). Found by re-running the conformance cases
 * with AWS's documented behaviour beside them.
 */
import { describe, expect, it } from 'vitest';
import { LocalStepFunctions, VirtualClock } from '../../infra/local/asl/index.js';

/** Runs one Pass state whose `result.$` is `expression` over `input`. */
async function pass(expression: string, input: object = {}) {
  const sfn = new LocalStepFunctions({ clock: new VirtualClock(), integrations: { invokeLambda: async () => ({}), callService: async () => ({}) } });
  const definition = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'result.$': expression }, End: true } } };
  const { stateMachineArn } = sfn.createStateMachine({ name: 'intrinsics', definition: JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return sfn.awaitExecution(executionArn);
}

/** Runs a Choice on `$.t` with `rule` (e.g. `{IsTimestamp: true}`): which branch it took. */
async function choose(rule: object, t: string) {
  const sfn = new LocalStepFunctions({ clock: new VirtualClock(), integrations: { invokeLambda: async () => ({}), callService: async () => ({}) } });
  const definition = {
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: [{ Variable: '$.t', ...rule, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Pass', Result: 'yes', End: true }, No: { Type: 'Pass', Result: 'no', End: true } },
  };
  const { stateMachineArn } = sfn.createStateMachine({ name: 'choice', definition: JSON.stringify(definition) });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify({ t }) });
  return JSON.parse((await sfn.awaitExecution(executionArn)).output!);
}

describe('intrinsic functions', () => {
  it('States.JsonMerge supports only the shallow merge: `true` is an intrinsic failure', async () => {
    const input = { a: { x: { p: 1 } }, b: { x: { q: 2 } } };
    expect(JSON.parse((await pass('States.JsonMerge($.a, $.b, false)', input)).output!)).toEqual({ result: { x: { q: 2 } } });
    expect(await pass('States.JsonMerge($.a, $.b, true)', input)).toMatchObject({ status: 'FAILED', error: 'States.IntrinsicFailure' });
  });

  it('States.MathRandom with a seed returns the same number every time, within [start, end)', async () => {
    const draws = await Promise.all([1, 2, 3].map(() => pass('States.MathRandom(1, 1000000, 7)')));
    const values = draws.map((d) => JSON.parse(d.output!).result);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toBeGreaterThanOrEqual(1);
    expect(values[0]).toBeLessThan(1000000);
  });

  it('States.ArrayRange takes integers only', async () => {
    expect(JSON.parse((await pass('States.ArrayRange(1, 9, 2)')).output!).result).toEqual([1, 3, 5, 7, 9]);
    expect(await pass('States.ArrayRange(1, 2, 0.5)')).toMatchObject({ status: 'FAILED', error: 'States.IntrinsicFailure' });
  });
});

describe('Choice timestamps (RFC 3339 profile: uppercase T and Z, fields in range)', () => {
  it.each([
    ['2016-03-14T01:59:00Z', 'yes'],
    ['2016-03-14T01:59:00.123456789+08:00', 'yes'],
    ['2016-03-14t01:59:00Z', 'no'],
    ['2016-03-14T01:59:00z', 'no'],
    ['2016-13-45T25:61:00Z', 'no'],
    ['2023-02-29T00:00:00Z', 'no'],
    ['2024-02-29T00:00:00Z', 'yes'],
  ])('IsTimestamp %s → %s', async (t, branch) => {
    expect(await choose({ IsTimestamp: true }, t)).toBe(branch);
  });

  it('does not compare a lowercase spelling equal to the timestamp', async () => {
    expect(await choose({ TimestampEquals: '2016-03-14T01:59:00Z' }, '2016-03-14T01:59:00Z')).toBe('yes');
    expect(await choose({ TimestampEquals: '2016-03-14T01:59:00Z' }, '2016-03-14t01:59:00z')).toBe('no');
  });
});
