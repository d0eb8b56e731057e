import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { anchorStore, executionEndPattern, executionEndRules, type FunctionName, type WorkflowName } from '../../app-model.js';
import type { StageConfig } from '../stage-config.js';

export interface AuditTrailProps {
  config: StageConfig;
  functions: Record<FunctionName, IFunction>;
  stateMachines: Record<WorkflowName, IStateMachine>;
}

/**
 * What keeps the declaration histories provable outside the table (issue 7): the bucket chain
 * heads are anchored in — S3 Object Lock, so no one can overwrite or delete an anchor before its
 * retention ends (compliance mode in prod; governance mode for a day in dev, so a dev stack can be
 * cleaned up) — and the rules that archive each lifecycle execution's history when it ends
 * (Step Functions' status-change events arrive on the account's default bus).
 */
export class AuditTrail extends Construct {
  readonly anchors: Bucket;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { config } = props;
    this.anchors = new Bucket(this, 'Anchors', {
      objectLockEnabled: true,
      objectLockDefaultRetention: config.retainData
        ? ObjectLockRetention.compliance(Duration.days(anchorStore.retentionYears * 365))
        : ObjectLockRetention.governance(Duration.days(1)),
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Locked objects cannot be deleted anyway: the bucket outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.anchors).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Anchors are written only by the anchoring functions and can never be changed or deleted (Object Lock); ' +
        'requests are in the functions\' logs and CloudTrail, and a log bucket of its own would add nothing to the proof.',
    });

    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    for (const [name, rule] of Object.entries(executionEndRules)) {
      new Rule(this, `${name}Rule`, {
        description: rule.description,
        eventBus: defaultBus,
        eventPattern: executionEndPattern(props.stateMachines[rule.workflow].stateMachineArn) as never,
        targets: [new LambdaFunction(props.functions[rule.function], { retryAttempts: 8, maxEventAge: Duration.hours(24) })],
      });
    }
  }
}
