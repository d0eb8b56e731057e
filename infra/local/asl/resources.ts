/**
 * Task `Resource` ARNs, parsed once per definition
 * (https://docs.aws.amazon.com/step-functions/latest/dg/integrate-services.html):
 * - `arn:aws:lambda:<region>:<account>:function:<name>` — a Lambda function; result = its payload;
 * - `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]` — an optimized integration;
 * - `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]` — an AWS SDK integration;
 * - `arn:aws:states:<region>:<account>:activity:<name>` (or the old `task:` form) — an activity.
 */

/** How Step Functions waits for a task (the resource suffix). */
export type IntegrationPattern = 'requestResponse' | 'sync' | 'sync:2' | 'waitForTaskToken';

/** A parsed Task resource. */
export type TaskResource =
  | { kind: 'lambdaFunction'; arn: string }
  | { kind: 'optimized'; service: string; action: string; pattern: IntegrationPattern }
  | { kind: 'sdk'; service: string; action: string; pattern: IntegrationPattern }
  | { kind: 'activity'; arn: string; name: string };

/**
 * Service names as the engine's `callService` receives them: the ARN's service name, except
 * where the JS SDK client is named differently (`events` → `eventbridge`, `states` → `sfn`).
 */
const SERVICE_ALIASES: Record<string, string> = { events: 'eventbridge', states: 'sfn' };

function splitPattern(action: string): [string, IntegrationPattern] {
  for (const suffix of ['.waitForTaskToken', '.sync:2', '.sync'] as const) {
    if (action.endsWith(suffix)) return [action.slice(0, -suffix.length), suffix.slice(1) as IntegrationPattern];
  }
  return [action, 'requestResponse'];
}

/** Parses a resource ARN; throws a plain Error when it is not one Step Functions accepts. */
export function parseResource(resource: string): TaskResource {
  const lambda = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.exec(resource);
  if (lambda) return { kind: 'lambdaFunction', arn: resource };
  const sdk = /^arn:aws[a-z-]*:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9.:]+)$/.exec(resource);
  if (sdk) {
    const [action, pattern] = splitPattern(sdk[2]);
    return { kind: 'sdk', service: SERVICE_ALIASES[sdk[1]] ?? sdk[1], action, pattern };
  }
  const optimized = /^arn:aws[a-z-]*:states:::([a-z0-9-]+):([A-Za-z0-9.:]+)$/.exec(resource);
  if (optimized) {
    const [action, pattern] = splitPattern(optimized[2]);
    return { kind: 'optimized', service: SERVICE_ALIASES[optimized[1]] ?? optimized[1], action, pattern };
  }
  const activity = /^arn:aws[a-z-]*:states:[^:]+:[^:]+:(?:activity|task):(.+)$/.exec(resource);
  if (activity) return { kind: 'activity', arn: resource, name: activity[1] };
  throw new Error(`'${resource}' is not a supported Task resource ARN`);
}

/** `resourceType` / `resource` as the Task* history events name them (e.g. `lambda` / `invoke.waitForTaskToken`). */
export function describeResource(resource: TaskResource, original: string): { resourceType: string; resource: string } {
  switch (resource.kind) {
    case 'lambdaFunction':
    case 'activity':
      return { resourceType: resource.kind === 'activity' ? 'activity' : 'lambda', resource: original };
    default: {
      const [, service, action] = /^arn:[^:]+:states:::(aws-sdk:[^:]+|[^:]+):(.+)$/.exec(original)!;
      return { resourceType: service, resource: action };
    }
  }
}

/**
 * Prefix of error names raised by an integration when the service's error is not already
 * qualified (`DynamoDB.ConditionalCheckFailedException` for the optimized integration,
 * `DynamoDb.…` for `aws-sdk:dynamodb`; https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 */
export function serviceErrorPrefix(resource: TaskResource): string | undefined {
  if (resource.kind === 'optimized') {
    return { dynamodb: 'DynamoDB', eventbridge: 'EventBridge', sqs: 'SQS', sns: 'SNS', sfn: 'StepFunctions' }[resource.service];
  }
  if (resource.kind === 'sdk') {
    const known: Record<string, string> = { dynamodb: 'DynamoDb', eventbridge: 'EventBridge', sfn: 'Sfn', s3: 'S3', sqs: 'Sqs', sns: 'Sns', lambda: 'Lambda' };
    return known[resource.service] ?? resource.service.charAt(0).toUpperCase() + resource.service.slice(1);
  }
  return undefined;
}
