/**
 * The single declaration of Clearway's resources (DESIGN.md §3). `infra/cdk` turns it into
 * CloudFormation, `infra/local` into in-process services; neither invents a resource of its own.
 */

/** Environment variable names every handler reads (set by CDK on AWS, by the runtime locally). */
export const ENV = {
  tableName: 'CLEARWAY_TABLE',
  idempotencyTableName: 'CLEARWAY_IDEMPOTENCY_TABLE',
  eventBusName: 'CLEARWAY_EVENT_BUS',
  lifecycleStateMachineArn: 'CLEARWAY_LIFECYCLE_ARN',
  notificationPushStateMachineArn: 'CLEARWAY_NOTIFICATION_PUSH_ARN',
  jurisdictionOffice: 'CLEARWAY_OFFICE',
  /** Where chain heads are anchored: an S3 bucket with Object Lock (AWS)… */
  anchorBucket: 'CLEARWAY_ANCHOR_BUCKET',
  /** …or an append-only file (locally, under the data directory). */
  anchorFile: 'CLEARWAY_ANCHOR_FILE',
  /** The audit-replay (what-if) state machine, started by the what-if API. */
  auditReplayStateMachineArn: 'CLEARWAY_AUDIT_REPLAY_ARN',
} as const;

export interface TableModel {
  /** Logical name; the physical name is derived per stage. */
  name: string;
  partitionKey: string;
  sortKey?: string;
  /** Attribute holding an epoch-seconds expiry (TTL). */
  timeToLiveAttribute?: string;
  globalIndexes: { name: string; partitionKey: string; sortKey: string }[];
}

export interface FunctionModel {
  /** Module path relative to the repository root. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** What the function may touch (least privilege on AWS). */
  access: (
    | 'table:read'
    | 'table:write'
    | 'idempotency'
    | 'events:put'
    | 'states:start'
    | 'states:stop'
    | 'states:callback'
    /** Read the execution history of the lifecycle's executions (to export it). */
    | 'states:history'
    /** Read / add chain-head anchors (the Object Lock bucket on AWS). */
    | 'anchors:read'
    | 'anchors:write'
  )[];
}

/**
 * Who calls the API (DESIGN.md §1). A token carries its roles as OAuth scopes `clearway/<role>`;
 * a declarant's token also names its organisation (`org`), and it sees only that organisation's
 * declarations. Auditors read; admins administer reference data (risk profiles); the bank (the
 * e-payment system, a client of its own) confirms that taxes were paid — a declarant pays through
 * its bank, it cannot declare its own taxes paid.
 */
export const ROLES = ['declarant', 'officer', 'auditor', 'admin', 'bank'] as const;
export type Role = (typeof ROLES)[number];

/** The OAuth scope of a role: what API Gateway's JWT authorizer (and the local API) check per route. */
export const scopeOf = (role: Role) => `clearway/${role}`;

export interface RouteModel {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  function: FunctionName;
  /** The roles that may call the route: declared once here, enforced by the gateway and again by the handler. */
  roles: readonly Role[];
  /** One line for the OpenAPI document. */
  summary: string;
}

export interface WorkflowModel {
  /** ASL file relative to the repository root (JSONata query language). */
  file: string;
  type: 'STANDARD' | 'EXPRESS';
  /** `${Name}` in the ASL → the resource it stands for. */
  substitutions: Record<string, { functionArn: FunctionName } | { tableName: string } | { eventBusName: string }>;
}

export interface RuleModel {
  description: string;
  /** EventBridge event pattern. */
  pattern: Record<string, unknown>;
  /** Exception queue the matched events land in (SQS on AWS, a readable queue locally). */
  queue: QueueName;
}

export const SOURCE = 'clearway.declarations';

export const tables = {
  main: {
    name: 'main',
    partitionKey: 'PK',
    sortKey: 'SK',
    // Notifications expire two weeks after they are issued (entities.ts: `ttl`).
    timeToLiveAttribute: 'ttl',
    globalIndexes: [
      // Declarations by trader and by status: projections are derived and rebuildable.
      { name: 'byTrader', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
      { name: 'byStatus', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    ],
  },
  idempotency: {
    name: 'idempotency',
    partitionKey: 'id',
    timeToLiveAttribute: 'expiration',
    globalIndexes: [],
  },
} satisfies Record<string, TableModel>;

const fn = (
  entry: string,
  description: string,
  access: FunctionModel['access'],
  timeoutSeconds = 10,
): FunctionModel => ({ entry: `functions/handlers/${entry}.ts`, description, memoryMb: 512, timeoutSeconds, access });

export const functions = {
  submitDeclaration: fn('submit-declaration', 'e-port: validate and receive a declaration (JSON or WCO DMS XML)', [
    'table:read', 'table:write', 'idempotency', 'events:put', 'states:start',
  ]),
  getDeclaration: fn('get-declaration', 'e-port: status, channel, tax lines and history of a declaration', ['table:read']),
  recordDecision: fn('record-decision', 'officer: decide a held declaration (resumes its workflow) or a request made after release', [
    'table:read', 'table:write', 'events:put', 'states:callback', 'states:start', 'states:stop',
  ]),
  amendDeclaration: fn('amend-declaration', 'e-port: amend a declaration (JSON or WCO COR): a new version, or a request after release', [
    'table:read', 'table:write', 'idempotency', 'events:put', 'states:start', 'states:stop',
  ]),
  cancelDeclaration: fn('cancel-declaration', 'e-port: cancel a declaration (JSON or WCO INV), or ask an officer after release', [
    'table:read', 'table:write', 'idempotency', 'events:put', 'states:stop',
  ]),
  recordPayment: fn('record-payment', 'bank / e-payment callback for a tax notice (resumes its workflow) or a balance owed after release', [
    'table:read', 'table:write', 'events:put', 'states:callback',
  ]),
  acceptDeclaration: fn('accept-declaration', 'receipt: business checks, entry number, legal acceptance time', [
    'table:read', 'table:write', 'events:put',
  ]),
  screenRisk: fn('screen-risk', 'risk screening: channel from the profiles in force', ['table:read', 'table:write', 'events:put']),
  awaitCallback: fn('await-callback', 'park a declaration waiting for an officer or a payment, with its task token', [
    'table:read', 'table:write', 'events:put',
  ]),
  assessTax: fn('assess-tax', 'tax assessment: duty, consumption tax and VAT on the law in force', [
    'table:read', 'table:write', 'events:put',
  ]),
  settlePayment: fn('settle-payment', 'payment: settle by deferment/guarantee or wait for the bank', [
    'table:read', 'table:write', 'events:put',
  ]),
  endStandBy: fn('end-stand-by', 'risk: a GREEN declaration nobody picked during its stand-by goes on to assessment', [
    'table:read', 'table:write', 'events:put',
  ]),
  releaseDeclaration: fn('release-declaration', 'release: record the release of the goods', ['table:read', 'table:write', 'events:put']),
  selectForAudit: fn('select-for-audit', 'post-clearance: audit selection by rules and sampling; opens the audit case', ['table:read', 'table:write', 'events:put']),
  recordOutcome: fn('record-outcome', 'record a terminal outcome (rejection, seizure, failure) in the history', [
    'table:read', 'table:write', 'events:put',
  ]),
  listWorkItems: fn('list-work-items', 'officer: the work items of a queue (document review, inspection, query, supervisor)', ['table:read']),
  submitDocuments: fn('submit-documents', 'declarant: documents an officer requested; the work item returns to its queue', [
    'table:read', 'table:write', 'events:put',
  ]),
  draftRiskProfile: fn('draft-risk-profile', 'risk analyst: draft the next version of a risk profile', ['table:read', 'table:write']),
  approveRiskProfile: fn('approve-risk-profile', 'head of risk: approve a drafted profile version (four eyes)', [
    'table:read', 'table:write',
  ]),
  riskReport: fn('risk-report', 'risk measurement: hit rates, revenue found and lift per profile, channel rates per lane', ['table:read']),
  verifyHistory: fn('verify-history', 'auditor: recompute a declaration\'s hash chain and archives against the anchored head', ['table:read', 'anchors:read']),
  exportExecutionHistory: fn('export-execution-history', 'archive an ended lifecycle execution\'s Step Functions history and anchor the chain head', [
    'table:read', 'table:write', 'states:history', 'anchors:write',
  ], 60),
  replayDeclaration: fn('replay-declaration', 'auditor: replay a declaration\'s lifecycle in a sandbox from its recorded history', ['table:read'], 60),
  startWhatIf: fn('start-what-if', 'auditor: start a what-if replay of a selection with other reference data', ['table:read', 'table:write', 'states:start']),
  getWhatIf: fn('get-what-if', 'auditor: progress and result of a what-if replay', ['table:read']),
  whatIfSelect: fn('what-if-select', 'audit replay: select the declarations of a what-if', ['table:read', 'table:write'], 60),
  whatIfReplay: fn('what-if-replay', 'audit replay: replay one declaration with the what-if reference data', ['table:read', 'table:write'], 60),
  whatIfSummarise: fn('what-if-summarise', 'audit replay: add up a what-if (channel changes, revenue effect, hits)', ['table:read', 'table:write'], 60),
  notify: fn('notify', 'notifications: queue one for pulling and start its push to the webhook', ['table:read', 'table:write', 'states:start']),
  pushNotification: fn('push-notification', 'notifications: one attempt to push a notification to its webhook', ['table:read', 'table:write'], 15),
  listNotifications: fn('list-notifications', 'e-port: the organisation\'s notifications (pull)', ['table:read']),
  acknowledgeNotification: fn('acknowledge-notification', 'e-port: acknowledge a pulled notification', ['table:read', 'table:write']),
  registerWebhook: fn('register-webhook', 'e-port: register the organisation\'s webhook for pushed notifications', ['table:write']),
  deleteWebhook: fn('delete-webhook', 'e-port: stop pushing notifications to the organisation\'s webhook', ['table:write']),
  getOpenApi: fn('get-openapi', 'e-port: the OpenAPI 3.1 document of the API', []),
  listAuditCases: fn('list-audit-cases', 'auditor: the audit cases by status, due soonest first', ['table:read']),
  getAuditCase: fn('get-audit-case', 'auditor: one audit case, its findings and what they led to', ['table:read']),
  recordAuditFindings: fn('record-audit-findings', 'auditor: findings → supplementary assessment or refund, within the limitation clock', [
    'table:read', 'table:write', 'events:put', 'anchors:read', 'anchors:write',
  ]),
  closeAuditCase: fn('close-audit-case', 'auditor: close an audit case with its conclusion', [
    'table:read', 'table:write', 'events:put', 'anchors:read', 'anchors:write',
  ]),
  overrideReport: fn('override-report', 'auditor: officers\' decisions against the risk engine\'s advice over a period', ['table:read']),
} satisfies Record<string, FunctionModel>;
export type FunctionName = keyof typeof functions;

/** Role groups the routes share. */
const EVERYONE: readonly Role[] = ROLES;
const DECLARANT: readonly Role[] = ['declarant'];
const OFFICER: readonly Role[] = ['officer'];
const ADMIN: readonly Role[] = ['admin'];
const AUDITOR: readonly Role[] = ['auditor'];

export const routes: RouteModel[] = [
  { method: 'POST', path: '/declarations', function: 'submitDeclaration', roles: DECLARANT, summary: 'Submit a declaration (canonical JSON or WCO DMS 3.6 XML)' },
  { method: 'GET', path: '/declarations/{id}', function: 'getDeclaration', roles: EVERYONE, summary: 'Status, entry number, channel, tax lines and history of a declaration' },
  { method: 'POST', path: '/declarations/{id}/amendments', function: 'amendDeclaration', roles: DECLARANT, summary: 'Amend a declaration (JSON Patch, or a WCO DMS COR message): the next version, or a request for an officer after release' },
  { method: 'POST', path: '/declarations/{id}/cancellation', function: 'cancelDeclaration', roles: DECLARANT, summary: 'Cancel a declaration (JSON, or a WCO DMS INV message): invalidated, or a request for an officer after release' },
  { method: 'POST', path: '/declarations/{id}/decisions', function: 'recordDecision', roles: OFFICER, summary: 'Decide a held declaration or a request made after release' },
  { method: 'POST', path: '/declarations/{id}/payments', function: 'recordPayment', roles: ['bank', 'officer'], summary: 'Confirm the payment of a tax notice or of a balance owed after release (the bank\'s e-payment notification, or the customs cashier)' },
  { method: 'POST', path: '/declarations/{id}/documents', function: 'submitDocuments', roles: DECLARANT, summary: 'Answer an officer\'s request for documents' },
  { method: 'GET', path: '/notifications', function: 'listNotifications', roles: DECLARANT, summary: 'The organisation\'s notifications (CDS DMS codes), oldest first' },
  { method: 'POST', path: '/notifications/{id}/acknowledgement', function: 'acknowledgeNotification', roles: DECLARANT, summary: 'Acknowledge a notification' },
  { method: 'PUT', path: '/notifications/webhook', function: 'registerWebhook', roles: DECLARANT, summary: 'Register the webhook notifications are pushed to' },
  { method: 'DELETE', path: '/notifications/webhook', function: 'deleteWebhook', roles: DECLARANT, summary: 'Stop pushing notifications' },
  { method: 'GET', path: '/work-items', function: 'listWorkItems', roles: ['officer', 'auditor'], summary: 'The work items of an officer queue' },
  { method: 'GET', path: '/risk/report', function: 'riskReport', roles: ['officer', 'auditor', 'admin'], summary: 'Risk measurement over a period' },
  { method: 'POST', path: '/risk/profiles', function: 'draftRiskProfile', roles: ADMIN, summary: 'Draft the next version of a risk profile' },
  { method: 'GET', path: '/openapi.json', function: 'getOpenApi', roles: EVERYONE, summary: 'The OpenAPI 3.1 document of this API' },
  { method: 'POST', path: '/risk/profiles/{id}/versions/{v}/approve', function: 'approveRiskProfile', roles: ADMIN, summary: 'Approve a drafted risk profile version (four eyes)' },
  { method: 'GET', path: '/declarations/{id}/history/verify', function: 'verifyHistory', roles: AUDITOR, summary: 'Recompute the hash chain of a declaration\'s history against its anchored head' },
  { method: 'POST', path: '/audits/replays', function: 'replayDeclaration', roles: AUDITOR, summary: 'Replay a declaration\'s lifecycle in a sandbox from its recorded history, step by step' },
  { method: 'POST', path: '/audits/what-if', function: 'startWhatIf', roles: ['auditor', 'admin'], summary: 'Start a what-if replay of a selection of declarations with other reference data' },
  { method: 'GET', path: '/audits/what-if/{id}', function: 'getWhatIf', roles: ['auditor', 'admin'], summary: 'Progress and result of a what-if replay' },
  { method: 'GET', path: '/audits/cases', function: 'listAuditCases', roles: AUDITOR, summary: 'Audit cases by status, due soonest first' },
  { method: 'GET', path: '/audits/cases/{id}', function: 'getAuditCase', roles: AUDITOR, summary: 'An audit case: selection, due date, findings and what they led to' },
  { method: 'POST', path: '/audits/cases/{id}/findings', function: 'recordAuditFindings', roles: AUDITOR, summary: 'Record audit findings: a supplementary assessment or a refund, within the limitation clock in force' },
  { method: 'POST', path: '/audits/cases/{id}/closure', function: 'closeAuditCase', roles: AUDITOR, summary: 'Close an audit case with its conclusion' },
  { method: 'GET', path: '/audits/overrides', function: 'overrideReport', roles: ['auditor', 'admin'], summary: 'Officers\' overrides of the risk engine over a period' },
];

export const eventBus = { name: 'clearway', archiveRetentionDays: 365 } as const;

export const queues = {
  rejections: 'Declarations rejected at receipt (DMSREJ)',
  officerHolds: 'Declarations held for document review or inspection',
  paymentOverdue: 'Tax notices unpaid after the deadline',
  insufficientGuarantee: 'Declarations whose guarantee or deferment account could not secure the taxes',
  failures: 'Executions that failed and need ops attention',
  releases: 'Release notices for port systems',
  enforcement: 'Inspection discrepancies and seizures for the enforcement (anti-smuggling) unit',
} as const;
export type QueueName = keyof typeof queues;

/** A rule whose target is a function of the model (EventBridge → Lambda, invoked asynchronously). */
export interface HandlerRuleModel {
  description: string;
  pattern: Record<string, unknown>;
  function: FunctionName;
}

/** The detail-type the declaration store publishes each notification under (functions/shared/notifying-store.ts). */
export const NOTIFICATION_DETAIL_TYPE = 'DeclarationNotification';

export const handlerRules: Record<string, HandlerRuleModel> = {
  notifications: {
    description: 'Notifications of every change of a declaration: to the pull queue and the webhook push',
    pattern: { source: [SOURCE], 'detail-type': [NOTIFICATION_DETAIL_TYPE] },
    function: 'notify',
  },
};

export const rules: Record<string, RuleModel> = {
  rejections: {
    description: 'Rejected submissions and declarations',
    pattern: { source: [SOURCE], 'detail-type': ['DeclarationRejected'] },
    queue: 'rejections',
  },
  officerHolds: {
    description: 'Declarations waiting for an officer (yellow, red, query channels)',
    pattern: { source: [SOURCE], 'detail-type': ['DeclarationHeld', 'OfficerDecisionOverdue'] },
    queue: 'officerHolds',
  },
  paymentOverdue: {
    description: 'Payment deadlines passed',
    pattern: { source: [SOURCE], 'detail-type': ['PaymentOverdue'] },
    queue: 'paymentOverdue',
  },
  insufficientGuarantee: {
    description: 'Guarantee or deferment account without room for the taxes (the declaration waits for payment)',
    pattern: { source: [SOURCE], 'detail-type': ['InsufficientGuarantee'] },
    queue: 'insufficientGuarantee',
  },
  failures: {
    description: 'Workflow failures',
    pattern: { source: [SOURCE], 'detail-type': ['DeclarationFailed'] },
    queue: 'failures',
  },
  releases: {
    description: 'Release notices',
    pattern: { source: [SOURCE], 'detail-type': ['DeclarationReleased'] },
    queue: 'releases',
  },
  enforcement: {
    description: 'Discrepancies an officer found at inspection (amended or seized)',
    pattern: { source: [SOURCE], 'detail-type': ['InspectionDiscrepancy'] },
    queue: 'enforcement',
  },
};

export const workflows = {
  lifecycle: {
    file: 'workflows/declaration-lifecycle.asl.json',
    type: 'STANDARD',
    substitutions: {
      AcceptDeclarationArn: { functionArn: 'acceptDeclaration' },
      ScreenRiskArn: { functionArn: 'screenRisk' },
      AwaitCallbackArn: { functionArn: 'awaitCallback' },
      EndStandByArn: { functionArn: 'endStandBy' },
      AssessTaxArn: { functionArn: 'assessTax' },
      SettlePaymentArn: { functionArn: 'settlePayment' },
      ReleaseDeclarationArn: { functionArn: 'releaseDeclaration' },
      SelectForAuditArn: { functionArn: 'selectForAudit' },
      RecordOutcomeArn: { functionArn: 'recordOutcome' },
      EventBusName: { eventBusName: eventBus.name },
    },
  },
  auditReplay: {
    file: 'workflows/audit-replay.asl.json',
    type: 'STANDARD',
    substitutions: {
      WhatIfSelectArn: { functionArn: 'whatIfSelect' },
      WhatIfReplayArn: { functionArn: 'whatIfReplay' },
      WhatIfSummariseArn: { functionArn: 'whatIfSummarise' },
    },
  },
  notificationPush: {
    file: 'workflows/notification-push.asl.json',
    type: 'STANDARD',
    substitutions: {
      PushNotificationArn: { functionArn: 'pushNotification' },
    },
  },
} satisfies Record<string, WorkflowModel>;
export type WorkflowName = keyof typeof workflows;

/** The status-change event Step Functions puts on the account's default bus (source `aws.states`). */
export const EXECUTION_STATUS_CHANGE = 'Step Functions Execution Status Change';
/** The statuses that end an execution. */
export const EXECUTION_END_STATUSES = ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;

/** A function invoked when an execution of a workflow ends (a rule on the default bus). */
export interface ExecutionEndRuleModel {
  description: string;
  workflow: WorkflowName;
  function: FunctionName;
}

export const executionEndRules: Record<string, ExecutionEndRuleModel> = {
  exportLifecycleHistory: {
    description: 'Archive each ended lifecycle execution\'s history in the store (Step Functions keeps it 90 days)',
    workflow: 'lifecycle',
    function: 'exportExecutionHistory',
  },
};

/** The EventBridge pattern of an execution-end rule, given the state machine's ARN. */
export function executionEndPattern(stateMachineArn: string): Record<string, unknown> {
  return {
    source: ['aws.states'],
    'detail-type': [EXECUTION_STATUS_CHANGE],
    detail: { status: [...EXECUTION_END_STATUSES], stateMachineArn: [stateMachineArn] },
  };
}

/** Chain-head anchors: kept immutable this many years (Object Lock default retention, prod). */
export const anchorStore = { retentionYears: 10 } as const;

/**
 * What CDK does with `definitionSubstitutions`: every `${Name}` in an ASL text becomes what
 * `resolve` makes of the resource the model names (an ARN on AWS and locally, a handler name
 * in a replay sandbox).
 */
export function substituteDefinition(
  definition: string,
  workflow: WorkflowModel,
  resolve: (target: WorkflowModel['substitutions'][string]) => string,
): string {
  return definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_whole, name: string) => {
    const target = workflow.substitutions[name];
    if (!target) throw new Error(`${workflow.file}: no substitution for \${${name}}`);
    return resolve(target);
  });
}

/** Which workflow each function may start or stop, as an env var (handlers read the ARN from env). */
export const functionWorkflowEnv: Partial<Record<FunctionName, WorkflowName>> = {
  submitDeclaration: 'lifecycle',
  amendDeclaration: 'lifecycle',
  cancelDeclaration: 'lifecycle',
  recordDecision: 'lifecycle',
  startWhatIf: 'auditReplay',
  notify: 'notificationPush',
};

export const appModel = { tables, functions, routes, eventBus, queues, rules, handlerRules, workflows, executionEndRules } as const;
