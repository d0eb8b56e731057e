/**
 * What the local Step Functions engine's Task states reach in `npm start`: the same in-process
 * services the SDK reaches through the local endpoint.
 * - `lambda:invoke` and Lambda ARNs → the handler modules (LocalLambda);
 * - optimized DynamoDB (getItem, putItem, updateItem, deleteItem, query) and every DynamoDB
 *   action through `aws-sdk:dynamodb:*` → dynalite;
 * - `events:putEvents` / `aws-sdk:eventbridge:*` → the local bus;
 * - `sqs:sendMessage` / `aws-sdk:sqs:sendMessage` → the local queues;
 * - `states:*` / `aws-sdk:sfn:*` → the engine's own API (nested executions have their own path);
 * - `aws-sdk:s3:getObject|putObject|listObjectsV2` (and distributed Map `ItemReader`s) → the
 *   local object store;
 * - `aws-sdk:lambda:invoke` → the handler modules, answered as the SDK does (Payload as JSON text).
 * AWS SDK results carry no `$metadata` (Step Functions returns the response body only).
 */
import type { DynamoDB } from '@aws-sdk/client-dynamodb';
import type { Integrations, LocalStepFunctions, TaskContext } from './asl/index.js';
import type { LocalEventBus, LocalQueues } from './events/index.js';
import type { LocalLambda } from './lambda/invoker.js';
import type { LocalObjectStore } from './objects.js';

/** The services Task states can call. */
export interface LocalServicesForTasks {
  lambda: LocalLambda;
  bus: LocalEventBus;
  queues: LocalQueues;
  objects: LocalObjectStore;
  /** Resolved lazily: the DynamoDB client exists once the endpoint listens. */
  dynamo: () => DynamoDB;
  stepFunctions: () => LocalStepFunctions;
}

/** The DynamoDB actions of the optimized integration (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html). */
const OPTIMIZED_DYNAMO_ACTIONS = new Set(['putItem', 'getItem', 'updateItem', 'deleteItem', 'query']);

/** An error Step Functions reports for a call it cannot make (fails the task as States.TaskFailed). */
function unavailable(what: string): Error {
  return Object.assign(new Error(`${what} is not available locally`), { name: 'States.TaskFailed' });
}

const capitalise = (action: string) => action.charAt(0).toUpperCase() + action.slice(1);

/** Drops the SDK's `$metadata` (Step Functions hands the task only the response body). */
function body<T>(response: T): T {
  if (response && typeof response === 'object' && '$metadata' in response) {
    const { $metadata: _metadata, ...rest } = response as Record<string, unknown>;
    return rest as T;
  }
  return response;
}

/** Step Functions serialises an object `Detail` of an optimized putEvents call to JSON text. */
function withJsonDetail(params: any) {
  if (!params?.Entries) return params;
  return {
    ...params,
    Entries: params.Entries.map((e: any) => (e.Detail !== undefined && typeof e.Detail !== 'string' ? { ...e, Detail: JSON.stringify(e.Detail) } : e)),
  };
}

/** The Integrations of the local runtime. */
export function localTaskIntegrations(services: LocalServicesForTasks): Integrations {
  const callService = async (service: string, action: string, params: any, ctx: TaskContext): Promise<unknown> => {
    const sdk = ctx.resource.includes(':aws-sdk:');
    switch (service) {
      case 'lambda':
        if (action !== 'invoke') throw unavailable(`Lambda action ${action}`);
        return {
          StatusCode: 200,
          ExecutedVersion: '$LATEST',
          Payload: JSON.stringify(await services.lambda.invoke(String(params.FunctionName), typeof params.Payload === 'string' ? JSON.parse(params.Payload) : params.Payload)),
        };
      case 'dynamodb': {
        if (!sdk && !OPTIMIZED_DYNAMO_ACTIONS.has(action)) throw unavailable(`DynamoDB action ${action} (optimized integration)`);
        const client = services.dynamo() as unknown as Record<string, (p: unknown) => Promise<unknown>>;
        if (typeof client[action] !== 'function') throw unavailable(`DynamoDB action ${action}`);
        return body(await client[action](params));
      }
      case 'eventbridge':
        return services.bus.handle(`AWSEvents.${capitalise(action)}`, sdk ? params : withJsonDetail(params));
      case 'sqs': {
        if (action !== 'sendMessage') throw unavailable(`SQS action ${action}`);
        const name = String(params.QueueUrl ?? '').split('/').pop()!;
        const arn = services.queues.arn(name);
        if (!services.queues.nameOf(arn)) throw Object.assign(new Error(`The specified queue does not exist: ${params.QueueUrl}`), { name: 'QueueDoesNotExist' });
        const messageBody = params.MessageBody;
        await services.queues.send(arn, typeof messageBody === 'string' ? tryJson(messageBody) : messageBody);
        return { MessageId: `${name}-${Date.now().toString(36)}`, MD5OfMessageBody: '' };
      }
      case 'sfn':
        return services.stepFunctions().handle(`AWSStepFunctions.${capitalise(action)}`, params);
      case 's3': {
        const objects = services.objects as unknown as Record<string, (p: unknown) => unknown>;
        if (!['getObject', 'putObject', 'listObjectsV2'].includes(action)) throw unavailable(`S3 action ${action}`);
        return objects[action](params);
      }
      default:
        throw unavailable(`Service ${service}`);
    }
  };
  return {
    invokeLambda: (functionName, payload) => services.lambda.invoke(functionName, payload),
    callService,
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
