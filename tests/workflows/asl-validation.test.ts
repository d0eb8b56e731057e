/**
 * Definition validation: what CreateStateMachine rejects with `InvalidDefinition`
 * (https://states-language.net/spec.html; field exclusivity per query language:
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
 */
import { describe, expect, it } from 'vitest';
import { compileStateMachine, LocalStepFunctions } from '../../infra/local/asl/index.js';

const problemsOf = (definition: object): string => {
  try {
    compileStateMachine(definition);
  } catch (e) {
    expect((e as { __type: string }).__type).toBe('InvalidDefinition');
    return (e as Error).message;
  }
  throw new Error('the definition was accepted');
};

describe('compileStateMachine', () => {
  it('accepts a valid definition given as JSON text', () => {
    const compiled = compileStateMachine('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}');
    expect(compiled.states.get('A')?.type).toBe('Pass');
  });

  it('rejects a StartAt that names no state', () => {
    expect(problemsOf({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).toMatch(/StartAt: state 'Nope' does not exist/);
  });

  it('rejects a Next target that does not exist', () => {
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Ghost' } } })).toMatch(/transition target 'Ghost' does not exist/);
  });

  it('rejects unreachable states', () => {
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', End: true }, Orphan: { Type: 'Succeed' } } })).toMatch(/Orphan: state is not reachable/);
  });

  it('rejects a state with both Next and End, or neither', () => {
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Succeed' } } })).toMatch(/exactly one of 'Next' or 'End'/);
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass' } } })).toMatch(/exactly one of 'Next' or 'End'/);
  });

  it('rejects JSONPath-only fields in JSONata states and JSONata-only fields in JSONPath states', () => {
    expect(problemsOf({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', InputPath: '$.x', End: true } } })).toMatch(/InputPath: field is not supported by JSONata states/);
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% 1 %}', End: true } } })).toMatch(/Output: field is not supported by JSONPath states/);
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, End: true } } })).toMatch(/Arguments/);
  });

  it('rejects a JSONPath state inside a JSONata state machine', () => {
    expect(problemsOf({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } })).toMatch(/JSONPath state is not allowed/);
  });

  it('rejects States.ALL that is not alone or not last in Retry/Catch', () => {
    const task = (Catch: object[]) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:f', Catch, End: true }, Z: { Type: 'Succeed' } } });
    expect(problemsOf(task([{ ErrorEquals: ['States.ALL', 'X'], Next: 'Z' }]))).toMatch(/'States.ALL' must appear alone/);
    expect(problemsOf(task([{ ErrorEquals: ['States.ALL'], Next: 'Z' }, { ErrorEquals: ['X'], Next: 'Z' }]))).toMatch(/must be the last one/);
  });

  it('rejects malformed Choice rules and a Choice without rules', () => {
    expect(problemsOf({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [] } } })).toMatch(/Choices: must be a non-empty array/);
    expect(problemsOf({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } } })).toMatch(/exactly one comparison operator/);
  });

  it('rejects bad path, intrinsic and JSONata syntax', () => {
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', InputPath: 'foo', End: true } } })).toMatch(/InputPath/);
    expect(problemsOf({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'States.Nope(1)' }, End: true } } })).toMatch(/unknown intrinsic function States.Nope/);
    expect(problemsOf({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } } })).toMatch(/invalid JSONata expression/);
  });

  it('lists every problem at once', () => {
    const message = problemsOf({ StartAt: 'A', States: { A: { Type: 'Wait', Next: 'Ghost' }, B: { Type: 'Bogus' } } });
    expect(message).toMatch(/exactly one of Seconds, Timestamp/);
    expect(message).toMatch(/Ghost/);
    expect(message).toMatch(/Type: must be one of/);
  });
});

describe('LocalStepFunctions.createStateMachine', () => {
  it('answers InvalidDefinition through the JSON API', async () => {
    const sfn = new LocalStepFunctions({ integrations: { invokeLambda: async () => ({}), callService: async () => ({}) } });
    await expect(sfn.handle('AWSStepFunctions.CreateStateMachine', { name: 'bad', definition: '{"StartAt":"X","States":{}}', roleArn: 'arn:aws:iam::000000000000:role/r' })).rejects.toMatchObject({
      __type: 'InvalidDefinition',
    });
  });
});

describe('AWS rules added for parity', () => {
  const map = (extra: object, config?: object) => ({
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemProcessor: { ...(config ? { ProcessorConfig: config } : {}), StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true, ...extra } },
  });
  const distributed = { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' };

  it('allows ItemReader, ItemBatcher and tolerated failures only in a DISTRIBUTED Map', () => {
    expect(problemsOf(map({ ToleratedFailureCount: 1 }))).toMatch(/ToleratedFailureCount: field is only supported by a Map in DISTRIBUTED mode/);
    expect(problemsOf(map({ ItemBatcher: { MaxItemsPerBatch: 2 } }, { Mode: 'INLINE' }))).toMatch(/ItemBatcher: field is only supported by a Map in DISTRIBUTED mode/);
    expect(() => compileStateMachine(map({ ToleratedFailureCount: 1, ItemBatcher: { MaxItemsPerBatch: 2 } }, distributed))).not.toThrow();
  });

  it('requires an ExecutionType in DISTRIBUTED mode and a readable ItemReader', () => {
    expect(problemsOf(map({}, { Mode: 'DISTRIBUTED' }))).toMatch(/ExecutionType: required for DISTRIBUTED mode/);
    expect(problemsOf(map({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } } }, distributed))).toMatch(/ReaderConfig: required to read an object/);
    expect(problemsOf(map({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN' } } }, distributed))).toMatch(/CSVHeaders: required when CSVHeaderLocation is GIVEN/);
    expect(problemsOf(map({ ItemBatcher: {} }, distributed))).toMatch(/one of MaxItemsPerBatch or MaxInputBytesPerBatch is required/);
  });

  it('rejects a Choice operand of the wrong type', () => {
    const choice = (rule: object) => ({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.x', ...rule, Next: 'D' }] }, D: { Type: 'Succeed' } } });
    expect(problemsOf(choice({ StringEquals: 5 }))).toMatch(/StringEquals: must be a string/);
    expect(problemsOf(choice({ NumericGreaterThan: '5' }))).toMatch(/NumericGreaterThan: must be a number/);
    expect(problemsOf(choice({ TimestampEquals: '2024-02-30' }))).toMatch(/TimestampEquals: must be an RFC 3339 timestamp/);
    expect(problemsOf(choice({ IsPresent: 'yes' }))).toMatch(/IsPresent: must be true or false/);
  });

  it("rejects a Version other than '1.0' and a Wait Timestamp that is not RFC 3339", () => {
    expect(problemsOf({ Version: '2.0', StartAt: 'A', States: { A: { Type: 'Succeed' } } })).toMatch(/Version: must be '1.0'/);
    expect(problemsOf({ StartAt: 'W', States: { W: { Type: 'Wait', Timestamp: '20 May 2025', End: true } } })).toMatch(/Timestamp: must be an RFC 3339 timestamp/);
  });

  it('rejects callback, .sync and distributed patterns in an Express state machine', async () => {
    const sfn = new LocalStepFunctions({ integrations: { invokeLambda: async () => ({}), callService: async () => ({}) } });
    const callback = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f' }, End: true } } };
    expect(() => sfn.createStateMachine({ name: 'express', type: 'EXPRESS', definition: JSON.stringify(callback) })).toThrow(/Express state machines support only the request-response pattern, not 'waitForTaskToken'/);
    expect(() => sfn.createStateMachine({ name: 'standard', type: 'STANDARD', definition: JSON.stringify(callback) })).not.toThrow();
  });
});

describe('JSONata states', () => {
  it("reject JSONPath '.$' keys in Arguments, Output and Assign", () => {
    expect(problemsOf({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: { 'total.$': '$.total' }, End: true } } })).toMatch(/Output\/total\.\$: a '\.\$' key is JSONPath/);
    expect(problemsOf({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { 'x.$': '$.x' }, End: true } } })).toMatch(/Assign\/x\.\$/);
  });
});
