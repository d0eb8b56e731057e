import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  eventBus as busModel,
  tables as tableModels,
  workflows as workflowModels,
  type FunctionName,
  type WorkflowModel,
  type WorkflowName,
} from '../../app-model.js';
import type { TableKey } from './data-tables.js';
import { stateMachinePhysicalName } from '../naming.js';
import { repositoryPath } from '../source-files.js';
import type { StageConfig } from '../stage-config.js';

/** The resources an ASL `${Name}` substitution of the app model may stand for. */
export interface WorkflowResources {
  functions: Record<FunctionName, IFunction>;
  tables: Record<TableKey, Table>;
  tableKey: IKey;
  bus: IEventBus;
}

export interface LifecycleWorkflowsProps {
  config: StageConfig;
  resources: WorkflowResources;
}

/** Optimized DynamoDB integration actions (Step Functions developer guide, "DynamoDB" integration). */
const DYNAMODB_TASK_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/**
 * One Standard (or Express) state machine per workflow of the app model, loaded from its ASL file
 * with `definitionSubstitutions` built from the model's `substitutions`; logs ALL with execution
 * data, X-Ray tracing. Its role may invoke exactly the substituted functions and reach exactly
 * the substituted bus and tables.
 */
export class LifecycleWorkflows extends Construct {
  readonly stateMachines: Record<WorkflowName, StateMachine>;

  constructor(scope: Construct, id: string, props: LifecycleWorkflowsProps) {
    super(scope, id);
    const entries = Object.entries(workflowModels) as [WorkflowName, WorkflowModel][];
    this.stateMachines = Object.fromEntries(
      entries.map(([name, model]) => [name, this.stateMachine(name, model, props)]),
    ) as Record<WorkflowName, StateMachine>;
  }

  private stateMachine(name: WorkflowName, model: WorkflowModel, props: LifecycleWorkflowsProps): StateMachine {
    const { config, resources } = props;
    const role = new Role(this, `${name}Role`, {
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `Clearway ${name} workflow: invokes its tasks, puts its events`,
    });
    const substitutions = bindSubstitutions(model, resources, role);
    const logGroup = new LogGroup(this, `${name}Logs`, {
      // Vended logs for Step Functions must go to a group whose name starts with /aws/vendedlogs/
      // (Step Functions developer guide, "Logging using CloudWatch Logs").
      logGroupName: `/aws/vendedlogs/states/clearway-${config.stage}-${name}`,
      retention: config.logRetention,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // A Distributed Map starts child executions of its own state machine: its role needs that,
    // on an ARN known before the state machine exists (so the name is fixed).
    const distributed = readFileSync(repositoryPath(model.file), 'utf8').includes('"DISTRIBUTED"');
    const stateMachineName = stateMachinePhysicalName(config.stage, name);
    if (distributed) grantDistributedMap(role, stateMachineName);
    const stateMachine = new StateMachine(this, name, {
      stateMachineName,
      stateMachineType: model.type === 'EXPRESS' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(repositoryPath(model.file)),
      definitionSubstitutions: substitutions,
      role,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery, …) and X-Ray PutTraceSegments/' +
        'PutTelemetryRecords are on "*": those actions support no resource-level permissions (Step Functions ' +
        'developer guide, "IAM policies for logging to CloudWatch Logs"; X-Ray developer guide).',
    });
    return stateMachine;
  }
}

/** What a Distributed Map needs (Step Functions developer guide, "IAM policies for Distributed Map"): start, describe and stop its child executions. */
function grantDistributedMap(role: Role, stateMachineName: string): void {
  const stack = Stack.of(role);
  const own = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: stateMachineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const executions = stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachineName}/*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  Grant.addToPrincipal({ grantee: role, actions: ['states:StartExecution'], resourceArns: [own] });
  Grant.addToPrincipal({ grantee: role, actions: ['states:DescribeExecution', 'states:StopExecution'], resourceArns: [executions] });
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}/*]`,
    reason: 'The Distributed Map\'s own child executions (execution:<state machine>/<map run>:<child>), and nothing else.',
  });
}

/**
 * Resolves each `${Name}` of the model to its resource and grants the state machine role what
 * that resource is used for: invoke a function, put events on the bus, read/write a table item.
 */
function bindSubstitutions(model: WorkflowModel, resources: WorkflowResources, role: Role): Record<string, string> {
  const bound: Record<string, string> = {};
  for (const [placeholder, target] of Object.entries(model.substitutions)) {
    if ('functionArn' in target) {
      const fn = resources.functions[target.functionArn];
      // Exactly the unqualified ARN the ASL invokes (no `:*` versions or aliases).
      Grant.addToPrincipal({ grantee: role, actions: ['lambda:InvokeFunction'], resourceArns: [fn.functionArn] });
      bound[placeholder] = fn.functionArn;
    } else if ('eventBusName' in target) {
      if (target.eventBusName !== busModel.name) throw new Error(`Workflow substitution ${placeholder}: unknown bus ${target.eventBusName}`);
      resources.bus.grantPutEventsTo(role);
      bound[placeholder] = resources.bus.eventBusName;
    } else {
      const key = (Object.keys(tableModels) as TableKey[]).find((k) => tableModels[k].name === target.tableName);
      const table = key && resources.tables[key];
      if (!table) throw new Error(`Workflow substitution ${placeholder}: unknown table ${target.tableName}`);
      Grant.addToPrincipal({ grantee: role, actions: DYNAMODB_TASK_ACTIONS, resourceArns: [table.tableArn] });
      resources.tableKey.grantEncryptDecrypt(role);
      bound[placeholder] = table.tableName;
    }
  }
  return bound;
}
