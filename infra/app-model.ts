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
    | 'states:callback'
    /** Read the execution history of the lifecycle's executions (to export it). */
    | 'states:history'
    /** Read / add chain-head anchors (the Object Lock bucket on AWS). */
    | 'anchors:read'
    | 'anchors:write'
  )[];
}

export interface RouteModel {
  method: 'GET' | 'POST';
  path: string;
  function: FunctionName;
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
  recordDecision: fn('record-decision', 'officer: decide a held declaration (resumes its workflow)', [
    'table:read', 'table:write', 'states:callback',
  ]),
  recordPayment: fn('record-payment', 'bank / e-payment callback for a tax notice (resumes its workflow)', [
    'table:read', 'table:write', 'states:callback',
  ]),
  acceptDeclaration: fn('accept-declaration', 'receipt: business checks, entry number, legal acceptance time', [
    'table:read', 'table:write',
  ]),
  screenRisk: fn('screen-risk', 'risk screening: channel from the profiles in force', ['table:read', 'table:write']),
  awaitCallback: fn('await-callback', 'park a declaration waiting for an officer or a payment, with its task token', [
    'table:read', 'table:write',
  ]),
  assessTax: fn('assess-tax', 'tax assessment: duty, consumption tax and VAT on the law in force', [
    'table:read', 'table:write',
  ]),
  settlePayment: fn('settle-payment', 'payment: settle by deferment/guarantee or wait for the bank', [
    'table:read', 'table:write',
  ]),
  endStandBy: fn('end-stand-by', 'risk: a GREEN declaration nobody picked during its stand-by goes on to assessment', [
    'table:read', 'table:write',
  ]),
  releaseDeclaration: fn('release-declaration', 'release: record the release of the goods', ['table:read', 'table:write']),
  selectForAudit: fn('select-for-audit', 'post-clearance: audit selection by sampling rule', ['table:read', 'table:write']),
  recordOutcome: fn('record-outcome', 'record a terminal outcome (rejection, seizure, failure) in the history', [
    'table:read', 'table:write',
  ]),
  listWorkItems: fn('list-work-items', 'officer: the work items of a queue (document review, inspection, query, supervisor)', ['table:read']),
  submitDocuments: fn('submit-documents', 'declarant: documents an officer requested; the work item returns to its queue', [
    'table:read', 'table:write',
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
} satisfies Record<string, FunctionModel>;
export type FunctionName = keyof typeof functions;

export const routes: RouteModel[] = [
  { method: 'POST', path: '/declarations', function: 'submitDeclaration' },
  { method: 'GET', path: '/declarations/{id}', function: 'getDeclaration' },
  { method: 'POST', path: '/declarations/{id}/decisions', function: 'recordDecision' },
  { method: 'POST', path: '/declarations/{id}/payments', function: 'recordPayment' },
  { method: 'POST', path: '/declarations/{id}/documents', function: 'submitDocuments' },
  { method: 'GET', path: '/work-items', function: 'listWorkItems' },
  { method: 'GET', path: '/risk/report', function: 'riskReport' },
  { method: 'POST', path: '/risk/profiles', function: 'draftRiskProfile' },
  { method: 'POST', path: '/risk/profiles/{id}/versions/{v}/approve', function: 'approveRiskProfile' },
  { method: 'GET', path: '/declarations/{id}/history/verify', function: 'verifyHistory' },
  { method: 'POST', path: '/audits/replays', function: 'replayDeclaration' },
  { method: 'POST', path: '/audits/what-if', function: 'startWhatIf' },
  { method: 'GET', path: '/audits/what-if/{id}', function: 'getWhatIf' },
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

/** Which workflow each function may start, as an env var (handlers read the ARN from env). */
export const functionWorkflowEnv: Partial<Record<FunctionName, WorkflowName>> = {
  submitDeclaration: 'lifecycle',
  startWhatIf: 'auditReplay',
};

export const appModel = { tables, functions, routes, eventBus, queues, rules, workflows, executionEndRules } as const;
