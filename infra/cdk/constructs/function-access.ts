import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { FunctionModel, TableModel } from '../../app-model.js';

export type Access = FunctionModel['access'][number];
/** The access kinds that concern a workflow, granted once the state machines exist. */
export type WorkflowAccess = Extract<Access, 'states:start' | 'states:stop' | 'states:callback' | 'states:history'>;
/** The access kinds that concern the chain-anchor bucket, granted once it exists. */
export type AnchorAccess = Extract<Access, 'anchors:read' | 'anchors:write'>;
export type DataAccess = Exclude<Access, WorkflowAccess | AnchorAccess>;

/** The resources an `access` entry of the app model refers to. */
export interface AccessTargets {
  table: Table;
  tableModel: TableModel;
  idempotencyTable: Table;
  /** The key both tables are encrypted with. */
  tableKey: IKey;
  bus: IEventBus;
}

/**
 * Item reads, on the table and its indexes (Query on a GSI is authorized on the index ARN).
 * Only what the adapters call: no Scan (no access pattern reads the whole table) and no batch
 * reads, so a compromised function cannot dump the table in one call.
 */
const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
/**
 * Item writes; GSIs are maintained by DynamoDB and need no grant of their own. No BatchWriteItem:
 * history events are written one conditional put at a time (DESIGN.md §5), and a batch write
 * cannot carry a condition. DeleteItem stays for consuming a pending task-token callback.
 */
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** What the Powertools idempotency utility calls (its docs, "IAM Permissions"). */
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** Task-token callbacks (SendTaskSuccess/Failure/Heartbeat). */
const CALLBACK_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];

/** Tells a workflow `access` entry from a data one. */
export const isWorkflowAccess = (access: Access): access is WorkflowAccess =>
  access === 'states:start' || access === 'states:stop' || access === 'states:callback' || access === 'states:history';

/** Tells an anchor-bucket `access` entry from the others. */
export const isAnchorAccess = (access: Access): access is AnchorAccess => access === 'anchors:read' || access === 'anchors:write';

/**
 * Grants one anchor `access` entry on the Object Lock bucket: reading lists and gets anchors;
 * writing adds objects (and reads the previous anchor, whose archive digests it carries on).
 * No delete: Object Lock forbids it anyway.
 */
export function grantAnchorAccess(grantee: IGrantable, access: AnchorAccess, bucket: IBucket): void {
  bucket.grantRead(grantee);
  if (access === 'anchors:write') Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [bucket.arnForObjects('anchors/*')] });
}

/** Grants one data `access` entry of the app model (tables, bus), and nothing more. */
export function grantDataAccess(grantee: IGrantable, access: DataAccess, targets: AccessTargets): void {
  const { table, tableModel, idempotencyTable, tableKey, bus } = targets;
  switch (access) {
    case 'table:read': {
      const indexArns = tableModel.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`);
      Grant.addToPrincipal({ grantee, actions: TABLE_READ_ACTIONS, resourceArns: [table.tableArn, ...indexArns] });
      tableKey.grantDecrypt(grantee);
      return;
    }
    case 'table:write':
      Grant.addToPrincipal({ grantee, actions: TABLE_WRITE_ACTIONS, resourceArns: [table.tableArn] });
      tableKey.grantEncryptDecrypt(grantee);
      return;
    case 'idempotency':
      Grant.addToPrincipal({ grantee, actions: IDEMPOTENCY_ACTIONS, resourceArns: [idempotencyTable.tableArn] });
      tableKey.grantEncryptDecrypt(grantee);
      return;
    case 'events:put':
      bus.grantPutEventsTo(grantee);
      return;
  }
}

/**
 * Grants one workflow `access` entry on the given state machine: `states:start` starts its
 * executions, `states:stop` stops them (on `executionsArn`, `…:execution:<name>:*`: execution
 * names are per declaration version), `states:callback` answers its task tokens.
 *
 * The Service Authorization Reference lists no resource type for the SendTask* actions, yet IAM
 * evaluates them against the ARN of the state machine that issued the token (AccessDenied
 * messages name `…:stateMachine:<name>`; verified by the aws-cdk maintainers in aws/aws-cdk#8486
 * for Lambda callbacks), so the grant is scoped to the state machine instead of `*`.
 */
export function grantWorkflowAccess(grantee: IGrantable, access: WorkflowAccess, stateMachine: IStateMachine, executionsArn: string): void {
  if (access === 'states:start') {
    stateMachine.grantStartExecution(grantee);
  } else if (access === 'states:stop') {
    Grant.addToPrincipal({ grantee, actions: ['states:StopExecution'], resourceArns: [executionsArn] });
  } else if (access === 'states:history') {
    // GetExecutionHistory is authorized on the execution ARNs of the state machine.
    Grant.addToPrincipal({ grantee, actions: ['states:GetExecutionHistory'], resourceArns: [executionsArn] });
  } else {
    Grant.addToPrincipal({ grantee, actions: CALLBACK_ACTIONS, resourceArns: [stateMachine.stateMachineArn] });
  }
}
