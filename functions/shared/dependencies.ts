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
import type { ChainAnchors } from '../ports/chain-anchors.js';
import { FileChainAnchors } from '../adapters/files/chain-anchors.js';
import { S3ChainAnchors } from '../adapters/s3/chain-anchors.js';
import { DynamoExecutionArchive } from '../adapters/dynamodb/execution-archive.js';
import type { ExecutionArchive } from '../ports/execution-archive.js';
import { DynamoWhatIfStore } from '../adapters/dynamodb/what-if-store.js';
import { DynamoAuditCaseStore } from '../adapters/dynamodb/audit-case-store.js';
import type { AuditCaseStore } from '../ports/audit-case-store.js';
import type { WhatIfStore } from '../ports/what-if-store.js';
import type { DeclarationStore } from '../ports/declaration-store.js';
import type { Publisher } from '../ports/publisher.js';
import type { RiskStore } from '../ports/risk-store.js';
import type { Workflows } from '../ports/workflows.js';
import { dynamoDocumentClient, eventBridge, s3, stepFunctions } from './clients.js';
import { requireEnv } from './env.js';
import { sandboxDependencies } from './sandbox.js';

/**
 * The adapters behind the ports, built once per container on first use (cold start pays for
 * what the function uses, nothing more). Inside a replay sandbox (`runInSandbox`) the sandbox's
 * adapters answer instead.
 */
let store: DeclarationStore | undefined;
let publisher: Publisher | undefined;
let workflows: Workflows | undefined;
let accounts: SecurityAccounts | undefined;
let risk: RiskStore | undefined;
let anchors: ChainAnchors | undefined;
let archive: ExecutionArchive | undefined;
let whatIfs: WhatIfStore | undefined;
let auditCases: AuditCaseStore | undefined;
let auditReplay: Workflows | undefined;
let notifications: NotificationStore | undefined;
let pushWorkflows: Workflows | undefined;

/** The system of record, telling the declarant of every change it records (see NotifyingDeclarationStore). */
export function declarationStore(): DeclarationStore {
  const sandboxed = sandboxDependencies()?.declarationStore;
  if (sandboxed) return sandboxed;
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
  const sandboxed = sandboxDependencies()?.eventPublisher;
  if (sandboxed) return sandboxed;
  publisher ??= new EventBridgePublisher(eventBridge(), requireEnv(ENV.eventBusName));
  return publisher;
}

export function lifecycleWorkflows(): Workflows {
  const sandboxed = sandboxDependencies()?.lifecycleWorkflows;
  if (sandboxed) return sandboxed;
  workflows ??= new StepFunctionsWorkflows(stepFunctions(), requireEnv(ENV.lifecycleStateMachineArn));
  return workflows;
}

export function securityAccounts(): SecurityAccounts {
  const sandboxed = sandboxDependencies()?.securityAccounts;
  if (sandboxed) return sandboxed;
  accounts ??= new DynamoSecurityAccounts(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return accounts;
}

export function riskStore(): RiskStore {
  const sandboxed = sandboxDependencies()?.riskStore;
  if (sandboxed) return sandboxed;
  risk ??= new DynamoRiskStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return risk;
}

/**
 * Where chain heads are anchored: the Object Lock bucket when the stack configured one,
 * otherwise the append-only file the local runtime configured (one or the other is deployed).
 */
export function chainAnchors(): ChainAnchors {
  const sandboxed = sandboxDependencies()?.chainAnchors;
  if (sandboxed) return sandboxed;
  const bucket = process.env[ENV.anchorBucket];
  anchors ??= bucket ? new S3ChainAnchors(s3(), bucket) : new FileChainAnchors(requireEnv(ENV.anchorFile));
  return anchors;
}

/** The auditors' case queue (a replay's selection step opens its case in the sandbox's). */
export function auditCaseStore(): AuditCaseStore {
  const sandboxed = sandboxDependencies()?.auditCases;
  if (sandboxed) return sandboxed;
  auditCases ??= new DynamoAuditCaseStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return auditCases;
}

export function executionArchive(): ExecutionArchive {
  archive ??= new DynamoExecutionArchive(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return archive;
}

export function whatIfStore(): WhatIfStore {
  whatIfs ??= new DynamoWhatIfStore(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return whatIfs;
}

/** The audit-replay (what-if) state machine. */
export function auditReplayWorkflows(): Workflows {
  auditReplay ??= new StepFunctionsWorkflows(stepFunctions(), requireEnv(ENV.auditReplayStateMachineArn));
  return auditReplay;
}
