import { join } from 'node:path';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  ENV,
  executionEndRules,
  functions as functionModels,
  functionWorkflowEnv,
  workflows as workflowModels,
  type FunctionModel,
  type FunctionName,
  type WorkflowName,
} from '../../app-model.js';
import { stateMachinePhysicalName } from '../naming.js';
import { repositoryPath, repositoryRoot } from '../source-files.js';
import type { StageConfig } from '../stage-config.js';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  grantAnchorAccess,
  grantDataAccess,
  grantWorkflowAccess,
  isAnchorAccess,
  isWorkflowAccess,
  type AccessTargets,
  type WorkflowAccess,
} from './function-access.js';

/** The environment variable through which a handler learns the ARN of a workflow it starts. */
const WORKFLOW_ARN_ENV: Record<WorkflowName, string> = {
  lifecycle: ENV.lifecycleStateMachineArn,
  auditReplay: ENV.auditReplayStateMachineArn,
  notificationPush: ENV.notificationPushStateMachineArn,
};

/**
 * ESM output needs `require` for the CommonJS dependencies esbuild leaves as dynamic requires
 * (esbuild docs, "format": ESM bundles cannot call require without a shim).
 */
const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * Data files the handlers read at run time, copied next to the bundle: the reference catalog
 * adapter (`functions/adapters/files/reference-catalog.ts`) loads `reference-data/` from the
 * working directory, which on Lambda is the bundle root; a replay runs `workflows/` on the
 * interpreter in its sandbox.
 */
const BUNDLED_DIRECTORIES = ['reference-data', 'workflows'];

const copyDataFiles: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) =>
    BUNDLED_DIRECTORIES.map((dir) => `cp -R "${join(inputDir, dir)}" "${join(outputDir, dir)}"`),
};

export interface HandlerFunctionsProps {
  config: StageConfig;
  targets: AccessTargets;
}

/**
 * One Lambda function per function of the app model: Node.js 22 on arm64, bundled by the local
 * esbuild as minified ESM with source maps, X-Ray tracing, its own log group, and a role holding
 * exactly the grants its `access` list names.
 */
export class HandlerFunctions extends Construct {
  readonly functions: Record<FunctionName, NodejsFunction>;
  private readonly roles = {} as Record<FunctionName, Role>;
  private readonly stage: StageConfig['stage'];

  constructor(scope: Construct, id: string, props: HandlerFunctionsProps) {
    super(scope, id);
    this.stage = props.config.stage;
    const entries = Object.entries(functionModels) as [FunctionName, FunctionModel][];
    this.functions = Object.fromEntries(entries.map(([name, model]) => [name, this.handler(name, model, props)])) as Record<
      FunctionName,
      NodejsFunction
    >;
  }

  /**
   * Grants the workflow entries of each function's `access` list once the state machines exist —
   * `states:start` on the workflow named in `functionWorkflowEnv`, `states:callback` on every
   * workflow (any of them may wait for a task token) — and hands the function the ARN of each
   * workflow it touches: the shared workflows adapter needs it to resume as well as to start.
   */
  connectWorkflows(stateMachines: Record<WorkflowName, IStateMachine>): void {
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, NodejsFunction][]) {
      for (const access of functionModels[name].access.filter(isWorkflowAccess)) {
        for (const workflow of this.workflowsFor(name, access)) {
          const executionsArn = this.executionsArn(workflow);
          grantWorkflowAccess(this.roles[name], access, stateMachines[workflow], executionsArn);
          if (access === 'states:stop' || access === 'states:history') {
            Validations.of(this.roles[name]).acknowledge({
              id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachinePhysicalName(this.stage, workflow)}:*]`,
              reason:
                `${access === 'states:stop' ? 'StopExecution' : 'GetExecutionHistory'} on the executions of one state machine: their names ` +
                '(<declarationId>-v<version>) are made at run time, so the execution ARN can only be scoped to the state machine ' +
                '(Service Authorization Reference: execution resource).',
            });
          }
          // A history reader learns the execution from the status-change event, not from its environment.
          if (access !== 'states:history') fn.addEnvironment(WORKFLOW_ARN_ENV[workflow], stateMachines[workflow].stateMachineArn);
        }
      }
    }
  }

  /** Grants each function's anchor access on the Object Lock bucket and tells it the bucket's name. */
  connectAnchors(bucket: IBucket): void {
    for (const [name, fn] of Object.entries(this.functions) as [FunctionName, NodejsFunction][]) {
      const anchorAccess = functionModels[name].access.filter(isAnchorAccess);
      for (const access of anchorAccess) grantAnchorAccess(this.roles[name], access, bucket);
      if (anchorAccess.length > 0) {
        fn.addEnvironment(ENV.anchorBucket, bucket.bucketName);
        Validations.of(this.roles[name]).acknowledge(
          { id: 'AwsSolutions-IAM5[Action::s3:GetObject*]', reason: 'CDK grantRead on the anchor bucket: reading anchors (their object versions included).' },
          { id: 'AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: 'CDK grantRead on the anchor bucket.' },
          { id: 'AwsSolutions-IAM5[Action::s3:List*]', reason: 'CDK grantRead on the anchor bucket: the latest anchor is found by listing its key prefix.' },
          { id: 'AwsSolutions-IAM5[Resource::<AuditTrailAnchors20990579.Arn>/*]', reason: 'Anchors are objects of the one anchor bucket.' },
          { id: 'AwsSolutions-IAM5[Resource::<AuditTrailAnchors20990579.Arn>/anchors/*]', reason: 'Anchors are objects under anchors/ of the one anchor bucket, one per chain head.' },
        );
      }
    }
  }

  /** `arn:…:states:<region>:<account>:execution:<state machine name>:*` */
  private executionsArn(workflow: WorkflowName): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachinePhysicalName(this.stage, workflow)}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private workflowsFor(name: FunctionName, access: WorkflowAccess): WorkflowName[] {
    if (access === 'states:callback') return Object.keys(workflowModels) as WorkflowName[];
    if (access === 'states:history') return Object.values(executionEndRules).filter((rule) => rule.function === name).map((rule) => rule.workflow);
    const started = functionWorkflowEnv[name];
    if (!started) throw new Error(`Function ${name} has ${access} access but no workflow in functionWorkflowEnv`);
    return [started];
  }

  private handler(name: FunctionName, model: FunctionModel, props: HandlerFunctionsProps): NodejsFunction {
    const { config, targets } = props;
    const role = new Role(this, `${name}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Clearway ${name}: ${model.access.join(', ')}`,
    });
    this.roles[name] = role;
    const logGroup = new LogGroup(this, `${name}Logs`, {
      retention: config.logRetention,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    for (const access of model.access) {
      if (!isWorkflowAccess(access) && !isAnchorAccess(access)) grantDataAccess(role, access, targets);
    }

    const fn = new NodejsFunction(this, name, {
      entry: repositoryPath(model.entry),
      handler: 'handler',
      description: model.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: model.memoryMb,
      timeout: Duration.seconds(model.timeoutSeconds),
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      environment: this.environment(config, targets),
      projectRoot: repositoryRoot,
      depsLockFilePath: join(repositoryRoot, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // Ship the SDK version pinned in package.json (the one the tests ran), not the runtime's.
        bundleAwsSDK: true,
        logLevel: LogLevel.WARNING,
        commandHooks: copyDataFiles,
      },
    });
    acknowledgeRuntimeChoice(fn);
    acknowledgeUnscopableGrants(role, model);
    return fn;
  }

  private environment(config: StageConfig, targets: AccessTargets): Record<string, string> {
    return {
      [ENV.tableName]: targets.table.tableName,
      [ENV.idempotencyTableName]: targets.idempotencyTable.tableName,
      [ENV.eventBusName]: targets.bus.eventBusName,
      ...(config.office ? { [ENV.jurisdictionOffice]: config.office } : {}),
      // Stack traces through the bundled source maps.
      NODE_OPTIONS: '--enable-source-maps',
    };
  }
}

function acknowledgeUnscopableGrants(role: Role, model: FunctionModel): void {
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) are on "*": X-Ray supports no ' +
      'resource-level permissions for them (X-Ray developer guide, "Identity-based policies").',
  });
  if (model.access.includes('table:write') || model.access.includes('idempotency')) {
    const reason =
      "CDK's encrypt grant on the tables' one customer-managed key (the key ARN is the only resource); " +
      'DynamoDB uses these KMS actions on the caller\'s behalf to write the encrypted table.';
    Validations.of(role).acknowledge(
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
    );
  }
}

function acknowledgeRuntimeChoice(fn: NodejsFunction): void {
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x is the runtime the project targets and tests against (DESIGN.md §3); it is supported by AWS ' +
      'and moving to a newer runtime is a deliberate, tested change, not an automatic one.',
  });
}
