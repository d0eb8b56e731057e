import { ENV } from '../../infra/app-model.js';
import { DynamoDeclarationStore } from '../adapters/dynamodb/declaration-store.js';
import { DynamoRiskStore } from '../adapters/dynamodb/risk-store.js';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher.js';
import { StepFunctionsWorkflows } from '../adapters/sfn/workflows.js';
import { DynamoSecurityAccounts } from '../adapters/dynamodb/security-accounts.js';
import { DynamoNotificationStore } from '../adapters/dynamodb/notification-store.js';
import type { NotificationStore } from '../ports/notification-store.js';
import { NotifyingDeclarationStore } from './notifying-store.js';
import type { SecurityAccounts } from '../ports/security-accounts.js';
import type { DeclarationStore } from '../ports/declaration-store.js';
import type { Publisher } from '../ports/publisher.js';
import type { RiskStore } from '../ports/risk-store.js';
import type { Workflows } from '../ports/workflows.js';
import { dynamoDocumentClient, eventBridge, stepFunctions } from './clients.js';
import { requireEnv } from './env.js';

/**
 * The adapters behind the ports, built once per container on first use (cold start pays for
 * what the function uses, nothing more).
 */
let store: DeclarationStore | undefined;
let publisher: Publisher | undefined;
let workflows: Workflows | undefined;
let accounts: SecurityAccounts | undefined;
let risk: RiskStore | undefined;
let notifications: NotificationStore | undefined;
let pushWorkflows: Workflows | undefined;

/** The system of record, telling the declarant of every change it records (see NotifyingDeclarationStore). */
export function declarationStore(): DeclarationStore {
  store ??= new NotifyingDeclarationStore(new DynamoDeclarationStore(dynamoDocumentClient(), requireEnv(ENV.tableName)), eventPublisher);
  return store;
}

export function notificationStore(): NotificationStore {
  notifications ??= new DynamoNotificationStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return notifications;
}

/** The workflow that pushes one notification to its organisation's webhook, retrying until delivered or expired. */
export function notificationPushWorkflows(): Workflows {
  pushWorkflows ??= new StepFunctionsWorkflows(stepFunctions(), requireEnv(ENV.notificationPushStateMachineArn));
  return pushWorkflows;
}

export function eventPublisher(): Publisher {
  publisher ??= new EventBridgePublisher(eventBridge(), requireEnv(ENV.eventBusName));
  return publisher;
}

export function lifecycleWorkflows(): Workflows {
  workflows ??= new StepFunctionsWorkflows(stepFunctions(), requireEnv(ENV.lifecycleStateMachineArn));
  return workflows;
}

export function securityAccounts(): SecurityAccounts {
  accounts ??= new DynamoSecurityAccounts(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return accounts;
}

export function riskStore(): RiskStore {
  risk ??= new DynamoRiskStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return risk;
}
