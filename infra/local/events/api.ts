import type { LocalEventBus } from './bus.js';
import { EventBridgeError } from './errors.js';

/**
 * The EventBridge JSON API (protocol awsJson1_1, `X-Amz-Target: AWSEvents.<Operation>`) mapped
 * onto {@link LocalEventBus}. Request and response field names are the API's own, so an HTTP
 * server that forwards the target header and the parsed body here serves
 * `@aws-sdk/client-eventbridge` unchanged.
 */

const TARGET_PREFIX = 'AWSEvents.';

type Operation = (bus: LocalEventBus, body: any) => unknown;

const operations: Record<string, Operation> = {
  CreateEventBus: (bus, body) => bus.createEventBus(body),
  DescribeEventBus: (bus, body) => bus.describeEventBus(body),
  ListEventBuses: (bus, body) => bus.listEventBuses(body),
  PutRule: (bus, body) => bus.putRule(body),
  DescribeRule: (bus, body) => bus.describeRule(body),
  ListRules: (bus, body) => bus.listRules(body),
  EnableRule: (bus, body) => bus.enableRule(body),
  DisableRule: (bus, body) => bus.disableRule(body),
  DeleteRule: (bus, body) => bus.deleteRule(body),
  ListRuleNamesByTarget: (bus, body) => bus.listRuleNamesByTarget(body),
  PutTargets: (bus, body) => bus.putTargets(body),
  RemoveTargets: (bus, body) => bus.removeTargets(body),
  ListTargetsByRule: (bus, body) => bus.listTargetsByRule(body),
  TestEventPattern: (bus, body) => bus.testEventPattern(body),
  PutEvents: (bus, body) => bus.putEvents(body),
  CreateArchive: (bus, body) => bus.createArchive(body),
  DescribeArchive: (bus, body) => bus.describeArchive(body),
  ListArchives: (bus, body) => bus.listArchives(body),
  UpdateArchive: (bus, body) => bus.updateArchive(body),
  DeleteArchive: (bus, body) => bus.deleteArchive(body),
  StartReplay: (bus, body) => bus.startReplay(body),
  DescribeReplay: (bus, body) => bus.describeReplay(body),
  ListReplays: (bus, body) => bus.listReplays(body),
  CancelReplay: (bus, body) => bus.cancelReplay(body),
};

/** The operations the local bus serves, by API name. */
export const SUPPORTED_OPERATIONS = Object.keys(operations);

/**
 * Runs one API call. Rejects with an {@link EventBridgeError} (carrying `__type` and `message`)
 * for API errors, including unknown operations.
 */
export async function dispatchEventBridgeCall(bus: LocalEventBus, target: string, body: any): Promise<any> {
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  const operation = name === undefined ? undefined : operations[name];
  if (!operation) throw new EventBridgeError('UnknownOperationException', `Operation ${target} is not supported by the local event bus.`);
  return operation(bus, body);
}
