import { ENV } from '../../infra/app-model.js';
import { DynamoDeclarationStore } from '../adapters/dynamodb/declaration-store.js';
import { DynamoRiskStore } from '../adapters/dynamodb/risk-store.js';
import { EventBridgePublisher } from '../adapters/eventbridge/publisher.js';
import { StepFunctionsWorkflows } from '../adapters/sfn/workflows.js';
import { DynamoSecurityAccounts } from '../adapters/dynamodb/security-accounts.js';
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

export function declarationStore(): DeclarationStore {
  store ??= new DynamoDeclarationStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return store;
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
