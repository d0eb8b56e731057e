import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ENV,
  eventBus,
  executionEndRules,
  functionWorkflowEnv,
  functions,
  handlerRules,
  queues,
  routes,
  rules,
  scopeOf,
  tables,
  workflows,
  type FunctionModel,
  type FunctionName,
  type TableModel,
  type WorkflowModel,
} from '../../infra/app-model.js';
import { createClearwayApp } from '../../infra/cdk/clearway-app.js';
import { repositoryRoot } from '../../infra/cdk/source-files.js';
import { grants, ofType, referencedIds, roleStatements, single, type Resources } from './cfn-template.js';

const PROD_JWT = { jwtIssuer: 'https://login.example.org/clearway', jwtAudience: 'eport,officer-console' };

/**
 * Synthesizes one stage into tests/infra/cdk.out/<name> (git-ignored), skipping esbuild. cdk-nag
 * findings do not abort synthesis here, so that its own test reports them next to the others.
 */
function synthesize(name: string, context: Record<string, unknown> = {}) {
  const outdir = resolve(repositoryRoot, 'tests/infra/cdk.out', name);
  rmSync(outdir, { recursive: true, force: true });
  const { app, stack } = createClearwayApp({
    outdir,
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false, ...context },
  });
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources as Resources;
  return { app, stack, template, resources, outdir };
}

type Synthesized = ReturnType<typeof synthesize>;

const functionNames = Object.keys(functions) as FunctionName[];

/** The Lambda function the model's function compiles to (descriptions are unique in the model). */
const lambdaOf = (resources: Resources, name: FunctionName) =>
  single(resources, 'AWS::Lambda::Function', (p) => p.Description === functions[name].description);

const tableOf = (resources: Resources, partitionKey: string) =>
  single(resources, 'AWS::DynamoDB::Table', (p) => p.KeySchema.some((k: any) => k.AttributeName === partitionKey && k.KeyType === 'HASH'));

describe('the CDK app synthesized from the app model (dev stage)', () => {
  let dev: Synthesized;
  beforeAll(() => {
    dev = synthesize('dev');
  });

  describe('functions', () => {
    it('has exactly one Lambda function per model function', () => {
      expect(ofType(dev.resources, 'AWS::Lambda::Function')).toHaveLength(functionNames.length);
      for (const name of functionNames) expect(() => lambdaOf(dev.resources, name)).not.toThrow();
    });

    it.each(functionNames)('%s runs on Node.js 22 / arm64 with the modelled memory and timeout, traced, logging to its own group', (name) => {
      const [, fn] = lambdaOf(dev.resources, name);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: functions[name].memoryMb,
        Timeout: functions[name].timeoutSeconds,
        TracingConfig: { Mode: 'Active' },
      });
      const [logGroupId] = referencedIds(fn.Properties!.LoggingConfig.LogGroup);
      expect(dev.resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    });

    it('gives every function the table and bus names, and the lifecycle ARN to those that start it or resume it', () => {
      const [mainId] = tableOf(dev.resources, tables.main.partitionKey);
      const [idempotencyId] = tableOf(dev.resources, tables.idempotency.partitionKey);
      const [busId] = ofType(dev.resources, 'AWS::Events::EventBus')[0];
      const [stateMachineId] = single(dev.resources, 'AWS::StepFunctions::StateMachine', (p) => Object.keys(p.DefinitionSubstitutions ?? {}).includes('AcceptDeclarationArn'));
      for (const name of functionNames) {
        const variables = lambdaOf(dev.resources, name)[1].Properties!.Environment.Variables;
        expect(variables[ENV.tableName]).toEqual({ Ref: mainId });
        expect(variables[ENV.idempotencyTableName]).toEqual({ Ref: idempotencyId });
        expect(variables[ENV.eventBusName]).toEqual({ Ref: busId });
        const touchesLifecycle = functionWorkflowEnv[name] === 'lifecycle' || functions[name].access.includes('states:callback');
        if (touchesLifecycle) {
          expect(variables[ENV.lifecycleStateMachineArn]).toEqual({ Ref: stateMachineId });
        } else {
          expect(variables).not.toHaveProperty(ENV.lifecycleStateMachineArn);
        }
      }
    });
  });

  describe('tables', () => {
    it.each(Object.values(tables) as TableModel[])('$name: on demand, keys and GSIs as modelled, PITR, customer-managed KMS key', (model) => {
      const [, table] = tableOf(dev.resources, model.partitionKey);
      const keySchema = [
        { AttributeName: model.partitionKey, KeyType: 'HASH' },
        ...(model.sortKey ? [{ AttributeName: model.sortKey, KeyType: 'RANGE' }] : []),
      ];
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: keySchema,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      });
      const [keyId] = referencedIds(table.Properties!.SSESpecification.KMSMasterKeyId);
      expect(dev.resources[keyId]).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
      const indexes = (table.Properties!.GlobalSecondaryIndexes ?? []).map((i: any) => ({
        name: i.IndexName,
        partitionKey: i.KeySchema.find((k: any) => k.KeyType === 'HASH').AttributeName,
        sortKey: i.KeySchema.find((k: any) => k.KeyType === 'RANGE').AttributeName,
      }));
      expect(indexes).toEqual(model.globalIndexes);
      if (model.timeToLiveAttribute) {
        expect(table.Properties!.TimeToLiveSpecification).toEqual({ AttributeName: model.timeToLiveAttribute, Enabled: true });
      } else {
        expect(table.Properties!.TimeToLiveSpecification).toBeUndefined();
      }
    });

    it('lets the dev tables go with the stack', () => {
      for (const [, table] of ofType(dev.resources, 'AWS::DynamoDB::Table')) expect(table.DeletionPolicy).toBe('Delete');
    });
  });

  describe('events', () => {
    it('has the custom bus with an archive of all its events, kept for the modelled retention', () => {
      const buses = ofType(dev.resources, 'AWS::Events::EventBus');
      expect(buses).toHaveLength(1);
      const [busId, bus] = buses[0];
      expect(bus.Properties!.Name).toContain(eventBus.name);
      const [, archive] = single(dev.resources, 'AWS::Events::Archive', () => true);
      expect(referencedIds(archive.Properties!.SourceArn)).toEqual([busId]);
      expect(archive.Properties!.RetentionDays).toBe(eventBus.archiveRetentionDays);
    });

    it.each(Object.entries(rules))('rule %s matches the modelled pattern on the bus and delivers to its own queue', (_, rule) => {
      const [busId] = ofType(dev.resources, 'AWS::Events::EventBus')[0];
      const [, cfnRule] = single(dev.resources, 'AWS::Events::Rule', (p) => p.Description === rule.description);
      expect(cfnRule.Properties!.EventPattern).toEqual(rule.pattern);
      expect(referencedIds(cfnRule.Properties!.EventBusName)).toEqual([busId]);
      const targets = cfnRule.Properties!.Targets;
      expect(targets).toHaveLength(1);
      const [queueId] = referencedIds(targets[0].Arn);
      expect(dev.resources[queueId].Properties!.QueueName).toBe(`clearway-dev-${rule.queue}`);
    });

    it('has one rule per model rule (to a queue or to a function), and one per execution-end rule', () => {
      expect(ofType(dev.resources, 'AWS::Events::Rule')).toHaveLength(
        Object.keys(rules).length + Object.keys(handlerRules).length + Object.keys(executionEndRules).length,
      );
    });

    it.each(Object.entries(handlerRules))('rule %s matches the modelled pattern on the bus and invokes its function, retried', (_, rule) => {
      const [busId] = ofType(dev.resources, 'AWS::Events::EventBus')[0];
      const [, cfnRule] = single(dev.resources, 'AWS::Events::Rule', (p) => p.Description === rule.description);
      expect(cfnRule.Properties!.EventPattern).toEqual(rule.pattern);
      expect(referencedIds(cfnRule.Properties!.EventBusName)).toEqual([busId]);
      const targets = cfnRule.Properties!.Targets;
      expect(targets).toHaveLength(1);
      expect(referencedIds(targets[0].Arn)).toEqual([lambdaOf(dev.resources, rule.function)[0]]);
      expect(targets[0].RetryPolicy).toEqual({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 86400 });
    });

    it.each(Object.entries(executionEndRules))('%s: Step Functions status changes of its workflow\'s ended executions invoke its function', (_name, rule) => {
      const [, cfnRule] = single(dev.resources, 'AWS::Events::Rule', (p) => p.Description === rule.description);
      expect(cfnRule.Properties!.EventBusName).toBe('default');
      expect(cfnRule.Properties!.EventPattern).toMatchObject({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] },
      });
      expect(referencedIds(cfnRule.Properties!.Targets[0].Arn)).toEqual([lambdaOf(dev.resources, rule.function)[0]]);
    });

    it.each(Object.keys(queues))('queue %s is KMS-encrypted, TLS-only and backed by an encrypted dead-letter queue', (name) => {
      const [queueId, queue] = single(dev.resources, 'AWS::SQS::Queue', (p) => p.QueueName === `clearway-dev-${name}`);
      expect(referencedIds(queue.Properties!.KmsMasterKeyId)).toHaveLength(1);
      const [dlqId] = referencedIds(queue.Properties!.RedrivePolicy.deadLetterTargetArn);
      expect(referencedIds(dev.resources[dlqId].Properties!.KmsMasterKeyId)).toHaveLength(1);
      for (const id of [queueId, dlqId]) {
        const [, policy] = single(dev.resources, 'AWS::SQS::QueuePolicy', (p) => referencedIds(p.Queues).includes(id));
        // The enforceSSL statement: deny every sqs action when aws:SecureTransport is false.
        expect(policy.Properties!.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });
  });

  describe('HTTP API', () => {
    it.each(routes)('$method $path is served by $function', (route) => {
      const [, cfnRoute] = single(dev.resources, 'AWS::ApiGatewayV2::Route', (p) => p.RouteKey === `${route.method} ${route.path}`);
      const [integrationId] = referencedIds(cfnRoute.Properties!.Target);
      const integration = dev.resources[integrationId].Properties!;
      expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
      const [lambdaId] = lambdaOf(dev.resources, route.function);
      expect(referencedIds(integration.IntegrationUri)).toEqual([lambdaId]);
    });

    it('has one route per model route and access logging on its stage', () => {
      expect(ofType(dev.resources, 'AWS::ApiGatewayV2::Route')).toHaveLength(routes.length);
      const [, stage] = single(dev.resources, 'AWS::ApiGatewayV2::Stage', () => true);
      expect(stage.Properties!.StageName).toBe('$default');
      const [logGroupId] = referencedIds(stage.Properties!.AccessLogSettings.DestinationArn);
      expect(dev.resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    });

    it('leaves dev routes open when no JWT issuer is configured (the authorizer seam)', () => {
      expect(ofType(dev.resources, 'AWS::ApiGatewayV2::Authorizer')).toHaveLength(0);
    });
  });

  describe.each(Object.entries(workflows) as [string, WorkflowModel][])('%s state machine', (name, model) => {
    const aslPath = resolve(repositoryRoot, model.file);
    const stateMachine = () => single(dev.resources, 'AWS::StepFunctions::StateMachine', (p) => p.StateMachineName === `clearway-dev-${name}`);

    it('is one state machine per model workflow', () => {
      expect(ofType(dev.resources, 'AWS::StepFunctions::StateMachine')).toHaveLength(Object.keys(workflows).length);
    });

    it('is a STANDARD state machine, logging ALL with execution data and traced', () => {
      expect(stateMachine()[1].Properties).toMatchObject({
        StateMachineType: model.type,
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true },
        TracingConfiguration: { Enabled: true },
      });
    });

    it('deploys the ASL file itself as its definition', () => {
      const location = stateMachine()[1].Properties!.DefinitionS3Location;
      const manifest = JSON.parse(readFileSync(resolve(dev.outdir, `${dev.stack.artifactId}.assets.json`), 'utf8'));
      const asset = Object.values<any>(manifest.files).find((file) =>
        Object.values<any>(file.destinations).some((d) => d.objectKey === location.Key),
      );
      const deployed = JSON.parse(readFileSync(resolve(dev.outdir, asset.source.path), 'utf8'));
      expect(deployed).toEqual(JSON.parse(readFileSync(aslPath, 'utf8')));
    });

    it('substitutes every ${Name} in the ASL file, and only those, with the resource the model names', () => {
      const placeholders = new Set([...readFileSync(aslPath, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
      const substitutions = stateMachine()[1].Properties!.DefinitionSubstitutions as Record<string, unknown>;
      expect(new Set(Object.keys(substitutions))).toEqual(placeholders);
      expect(new Set(Object.keys(model.substitutions))).toEqual(placeholders);
      for (const [placeholder, target] of Object.entries(model.substitutions)) {
        const [id] = referencedIds(substitutions[placeholder]);
        if ('functionArn' in target) {
          expect(substitutions[placeholder]).toEqual({ 'Fn::GetAtt': [lambdaOf(dev.resources, target.functionArn)[0], 'Arn'] });
        } else if ('eventBusName' in target) {
          expect(substitutions[placeholder]).toEqual({ Ref: id });
          expect(dev.resources[id].Type).toBe('AWS::Events::EventBus');
        } else {
          expect(dev.resources[id].Type).toBe('AWS::DynamoDB::Table');
        }
      }
    });

    it('has a role that may invoke exactly its functions and put events on the bus', () => {
      const roleId = referencedIds(stateMachine()[1].Properties!.RoleArn)[0];
      const granted = grants(roleStatements(dev.resources, roleId));
      const invoked = granted.filter((g) => g.action === 'lambda:InvokeFunction').map((g) => referencedIds(g.resource)[0]);
      const substituted = Object.values(model.substitutions).flatMap((t) =>
        'functionArn' in t ? [lambdaOf(dev.resources, t.functionArn)[0]] : [],
      );
      expect(new Set(invoked)).toEqual(new Set(substituted));
      expect(invoked).toHaveLength(substituted.length);
      const [busId] = ofType(dev.resources, 'AWS::Events::EventBus')[0];
      // A Distributed Map starts child executions of its own state machine, and describes and stops
      // them (Step Functions developer guide, "IAM policies for using Distributed Map states").
      const distributed = readFileSync(aslPath, 'utf8').includes('"DISTRIBUTED"');
      const ownChildren: Record<string, string> = {
        'states:StartExecution': `:stateMachine:clearway-dev-${name}"`,
        'states:DescribeExecution': `:execution:clearway-dev-${name}/*"`,
        'states:StopExecution': `:execution:clearway-dev-${name}/*"`,
      };
      for (const { action, resource } of granted.filter((g) => g.action !== 'lambda:InvokeFunction')) {
        if (action === 'events:PutEvents') expect(referencedIds(resource)).toEqual([busId]);
        else if (distributed && ownChildren[action]) expect(JSON.stringify(resource)).toContain(ownChildren[action]);
        // Vended log delivery and X-Ray: actions without resource-level permissions.
        else expect({ action, resource }).toEqual({ action: expect.stringMatching(/^(logs:\w*(LogDeliver|ResourcePolic|LogGroups)\w*|xray:\w+)$/), resource: '*' });
      }
    });
  });

  describe('least-privilege IAM', () => {
    /**
     * What each `access` entry may be granted, from the Service Authorization Reference (DynamoDB
     * read vs write access levels; EventBridge PutEvents; Step Functions StartExecution,
     * StopExecution on execution ARNs and the SendTask* callbacks), the Powertools idempotency docs (IAM permissions) and the DynamoDB
     * encryption-at-rest docs (KMS decrypt to read, encrypt/data keys to write).
     */
    const DYNAMODB_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
    const DYNAMODB_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
    const IDEMPOTENCY = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
    const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey'];
    const KMS_ENCRYPT = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
    const CALLBACKS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];
    const TRACING = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];
    /** S3 read access level (GetObject*, GetBucket*, List*), as CDK's bucket.grantRead names it. */
    const ANCHOR_READ = ['s3:GetObject*', 's3:GetBucket*', 's3:List*'];

    const grantsOf = (name: FunctionName) => {
      const [, fn] = lambdaOf(dev.resources, name);
      const roleId = referencedIds(fn.Properties!.Role)[0];
      expect(dev.resources[roleId].Properties!.ManagedPolicyArns ?? []).toEqual([]);
      return { fn, granted: grants(roleStatements(dev.resources, roleId)) };
    };

    /** Why (action, resource) is allowed for a function with `access`, or undefined if it is not. */
    function allowedBy(access: FunctionModel['access'], ownLogGroup: string, action: string, resource: unknown): string | undefined {
      const has = (a: FunctionModel['access'][number]) => access.includes(a);
      if (resource === '*') return TRACING.includes(action) ? 'tracing' : undefined;
      // The executions of the lifecycle state machine (arn:…:execution:<its name>:*), nothing wider.
      if (action === 'states:StopExecution') return has('states:stop') && JSON.stringify(resource).includes(':execution:clearway-dev-lifecycle:*') ? 'states:stop' : undefined;
      if (action === 'states:GetExecutionHistory') {
        return has('states:history') && JSON.stringify(resource).includes(':execution:clearway-dev-lifecycle:*') ? 'states:history' : undefined;
      }
      const [id] = referencedIds(resource);
      const target = dev.resources[id];
      if (id === ownLogGroup) return ['logs:CreateLogStream', 'logs:PutLogEvents'].includes(action) ? 'logs' : undefined;
      if (id === tableOf(dev.resources, tables.main.partitionKey)[0]) {
        if (has('table:read') && DYNAMODB_READ.includes(action)) return 'table:read';
        if (has('table:write') && DYNAMODB_WRITE.includes(action)) return 'table:write';
        return undefined;
      }
      if (id === tableOf(dev.resources, tables.idempotency.partitionKey)[0]) {
        return has('idempotency') && IDEMPOTENCY.includes(action) ? 'idempotency' : undefined;
      }
      if (target.Type === 'AWS::KMS::Key') {
        const tableKeys = ofType(dev.resources, 'AWS::DynamoDB::Table').flatMap(([, t]) => referencedIds(t.Properties!.SSESpecification.KMSMasterKeyId));
        if (!tableKeys.includes(id)) return undefined;
        if (KMS_DECRYPT.includes(action) && (has('table:read') || has('table:write') || has('idempotency'))) return 'table key';
        if (KMS_ENCRYPT.includes(action) && (has('table:write') || has('idempotency'))) return 'table key';
        return undefined;
      }
      if (target.Type === 'AWS::Events::EventBus') return has('events:put') && action === 'events:PutEvents' ? 'events:put' : undefined;
      if (target.Type === 'AWS::StepFunctions::StateMachine') {
        if (has('states:start') && action === 'states:StartExecution') return 'states:start';
        if (has('states:callback') && CALLBACKS.includes(action)) return 'states:callback';
      }
      if (target.Type === 'AWS::S3::Bucket') {
        if ((has('anchors:read') || has('anchors:write')) && ANCHOR_READ.some((a) => new RegExp(`^${a.replace('*', '.*')}$`).test(action))) return 'anchors:read';
        if (has('anchors:write') && action === 's3:PutObject') return 'anchors:write';
      }
      return undefined;
    }

    it.each(functionNames)('%s is granted nothing its access list does not name', (name) => {
      const { fn, granted } = grantsOf(name);
      const [ownLogGroup] = referencedIds(fn.Properties!.LoggingConfig.LogGroup);
      const excess = granted.filter((g) => !allowedBy(functions[name].access, ownLogGroup, g.action, g.resource));
      expect(excess).toEqual([]);
    });

    it.each(functionNames)('%s is granted what its access list names', (name) => {
      const { granted } = grantsOf(name);
      const typeOf = (resource: unknown) => dev.resources[referencedIds(resource)[0]]?.Type;
      const [mainId] = tableOf(dev.resources, tables.main.partitionKey);
      const [idempotencyId] = tableOf(dev.resources, tables.idempotency.partitionKey);
      const on = (action: string, test: (resource: unknown) => boolean) => granted.some((g) => g.action === action && test(g.resource));
      const onMainTable = (r: unknown) => JSON.stringify(r) === JSON.stringify({ 'Fn::GetAtt': [mainId, 'Arn'] });
      const expectations: Record<FunctionModel['access'][number], () => boolean> = {
        'table:read': () =>
          on('dynamodb:GetItem', onMainTable) &&
          tables.main.globalIndexes.every((index) =>
            on('dynamodb:Query', (r) => referencedIds(r)[0] === mainId && JSON.stringify(r).includes(`/index/${index.name}`)),
          ),
        'table:write': () => on('dynamodb:PutItem', onMainTable) && on('dynamodb:UpdateItem', onMainTable),
        idempotency: () => on('dynamodb:PutItem', (r) => referencedIds(r)[0] === idempotencyId),
        'events:put': () => on('events:PutEvents', (r) => typeOf(r) === 'AWS::Events::EventBus'),
        'states:start': () => on('states:StartExecution', (r) => typeOf(r) === 'AWS::StepFunctions::StateMachine'),
        'states:stop': () => on('states:StopExecution', (r) => JSON.stringify(r).includes(':execution:clearway-dev-lifecycle:*')),
        'states:callback': () => CALLBACKS.every((a) => on(a, (r) => typeOf(r) === 'AWS::StepFunctions::StateMachine')),
        'states:history': () => on('states:GetExecutionHistory', (r) => JSON.stringify(r).includes(':execution:clearway-dev-lifecycle:*')),
        'anchors:read': () => on('s3:List*', (r) => typeOf(r) === 'AWS::S3::Bucket') && on('s3:GetObject*', (r) => typeOf(r) === 'AWS::S3::Bucket'),
        'anchors:write': () => on('s3:PutObject', (r) => typeOf(r) === 'AWS::S3::Bucket' && JSON.stringify(r).includes('/anchors/*')),
      };
      for (const access of functions[name].access) expect({ access, granted: expectations[access]() }).toEqual({ access, granted: true });
    });

    it('getDeclaration (table:read only) has no write action on any table', () => {
      expect(functions.getDeclaration.access).toEqual(['table:read']);
      const { granted } = grantsOf('getDeclaration');
      const writes = granted.filter((g) => [...DYNAMODB_WRITE, 'dynamodb:*', 'dynamodb:Put*'].includes(g.action) || KMS_ENCRYPT.includes(g.action));
      expect(writes).toEqual([]);
    });
  });

  describe('operations', () => {
    it('alarms on workflow failures and timeouts, Lambda errors and throttles, DLQ depth and API 5xx, into one SNS topic', () => {
      const alarms = ofType(dev.resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
      const [topicId, topic] = single(dev.resources, 'AWS::SNS::Topic', () => true);
      expect(referencedIds(topic.Properties!.KmsMasterKeyId)).toHaveLength(1);
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      const count = (namespace: string, metric: string) =>
        alarms.filter((a) => a.Namespace === namespace && a.MetricName === metric).length;
      const workflowCount = Object.keys(workflows).length;
      expect(count('AWS/States', 'ExecutionsFailed')).toBe(workflowCount);
      expect(count('AWS/States', 'ExecutionsTimedOut')).toBe(workflowCount);
      expect(count('AWS/Lambda', 'Errors')).toBe(functionNames.length);
      expect(count('AWS/Lambda', 'Throttles')).toBe(functionNames.length);
      expect(count('AWS/SQS', 'ApproximateNumberOfMessagesVisible')).toBe(Object.keys(queues).length);
      expect(count('AWS/ApiGateway', '5xx')).toBe(1);
    });

    it('has a dashboard', () => {
      expect(ofType(dev.resources, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    });
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(dev.app);
    expect(report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('the CDK app, prod stage', () => {
  let prod: Synthesized;
  beforeAll(() => {
    prod = synthesize('prod', { stage: 'prod', ...PROD_JWT });
  });

  it('refuses to synthesize prod without a JWT issuer and audience', () => {
    expect(() => createClearwayApp({ context: { stage: 'prod', 'aws:cdk:bundling-stacks': [] } })).toThrow(/JWT/);
  });

  it('protects every route with the JWT authorizer configured in context', () => {
    const [authorizerId, authorizer] = single(prod.resources, 'AWS::ApiGatewayV2::Authorizer', () => true);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: PROD_JWT.jwtIssuer, Audience: PROD_JWT.jwtAudience.split(',') },
    });
    for (const [, route] of ofType(prod.resources, 'AWS::ApiGatewayV2::Route')) {
      expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
    }
  });

  it('requires on every route one of the scopes of its roles, as the app model declares them', () => {
    for (const route of routes) {
      const [, cfnRoute] = single(prod.resources, 'AWS::ApiGatewayV2::Route', (p) => p.RouteKey === `${route.method} ${route.path}`);
      expect(cfnRoute.Properties!.AuthorizationScopes).toEqual(route.roles.map(scopeOf));
    }
  });

  it('retains the tables (and protects them from deletion) when the stack goes', () => {
    for (const [, table] of ofType(prod.resources, 'AWS::DynamoDB::Table')) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.Properties!.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(prod.app);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });
});
