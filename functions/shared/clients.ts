import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * AWS SDK v3 clients, created once per container and shared by every handler in it.
 * Endpoints come from the standard SDK configuration (`AWS_ENDPOINT_URL`, region, credentials):
 * on AWS the defaults, locally the runtime's endpoint — there is no "if local" here.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let eventBridgeClient: EventBridgeClient | undefined;
let sfnClient: SFNClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return documentClient;
}

export function eventBridge(): EventBridgeClient {
  eventBridgeClient ??= new EventBridgeClient({});
  return eventBridgeClient;
}

export function stepFunctions(): SFNClient {
  sfnClient ??= new SFNClient({});
  return sfnClient;
}
