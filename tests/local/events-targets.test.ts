import { describe, expect, it } from 'vitest';
import { LocalQueues, TargetDeliveryError, targetDeliverer } from '../../infra/local/events/index.js';

/**
 * What a rule target is to the local runtime. EventBridge invokes Lambda functions asynchronously
 * (Lambda developer guide, "Invoking a Lambda function asynchronously", lists EventBridge among the
 * services that do), so a failing function is not a failed delivery; a target that does not exist
 * is NO_RESOURCE, which EventBridge does not retry (EventBridge user guide, "Event retry policy and
 * using dead-letter queues").
 */
describe('targetDeliverer', () => {
  function setUp(functions: Record<string, () => Promise<unknown>> = {}) {
    const queues = new LocalQueues({ now: () => 0 });
    queues.create('q');
    const executions: { arn: string; input: string }[] = [];
    const lambdaErrors: unknown[] = [];
    const deliver = targetDeliverer({
      queues,
      lambda: {
        resolveName: (arn) => {
          if (!functions[arn]) throw new Error(`Function not found: ${arn}`);
          return arn;
        },
        invoke: (arn) => functions[arn](),
      },
      startExecution: (arn, input) => {
        if (!arn.endsWith(':stateMachine:known')) throw new Error(`State Machine Does Not Exist: '${arn}'`);
        executions.push({ arn, input });
      },
      onLambdaError: (_arn, error) => lambdaErrors.push(error),
    });
    return { deliver, queues, executions, lambdaErrors };
  }
  const fn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
  const noResource = expect.objectContaining({ errorCode: 'NO_RESOURCE', retryable: false });

  it('sends to a queue, with message attributes', async () => {
    const { deliver, queues } = setUp();
    await deliver(queues.arn('q'), { a: 1 }, { ERROR_CODE: 'X' });
    expect(queues.receive('q')).toMatchObject([{ body: { a: 1 }, attributes: { ERROR_CODE: 'X' } }]);
  });

  it('counts a Lambda invocation as delivered once accepted, whatever the function then does', async () => {
    const { deliver, lambdaErrors } = setUp({ [fn]: async () => Promise.reject(new Error('boom')) });
    await expect(deliver(fn, {})).resolves.toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lambdaErrors).toEqual([new Error('boom')]);
  });

  it('starts an execution of a state machine target with the payload as input', async () => {
    const { deliver, executions } = setUp();
    await deliver('arn:aws:states:us-east-1:000000000000:stateMachine:known', { id: 'D1' });
    expect(executions).toEqual([{ arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:known', input: '{"id":"D1"}' }]);
  });

  it.each([
    ['a queue', 'arn:aws:sqs:us-east-1:000000000000:nope'],
    ['a function', 'arn:aws:lambda:us-east-1:000000000000:function:nope'],
    ['a state machine', 'arn:aws:states:us-east-1:000000000000:stateMachine:nope'],
    ['a service the runtime does not have', 'arn:aws:sns:us-east-1:000000000000:topic'],
  ])('fails with NO_RESOURCE for %s that does not exist', async (_what, arn) => {
    const { deliver } = setUp();
    const failure = deliver(arn, {});
    await expect(failure).rejects.toBeInstanceOf(TargetDeliveryError);
    await expect(failure).rejects.toEqual(noResource);
  });
});
