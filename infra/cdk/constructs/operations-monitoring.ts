import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';

export interface OperationsMonitoringProps {
  config: StageConfig;
  functions: Record<string, IFunction>;
  stateMachines: Record<string, IStateMachine>;
  deadLetterQueues: Record<string, IQueue>;
  queues: Record<string, IQueue>;
  api: HttpApi;
}

const PERIOD = Duration.minutes(5);

/**
 * What cloud ops watch: alarms on workflow failures and timeouts, Lambda errors and throttles,
 * dead-letter queue depth and API 5xx, all notifying one encrypted SNS topic; and a dashboard.
 */
export class OperationsMonitoring extends Construct {
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    const { config, functions, stateMachines, deadLetterQueues, queues, api } = props;
    this.alarmTopic = this.encryptedTopic(config);
    const alarmWhenAny = (alarmId: string, metric: IMetric, description: string) => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    };

    for (const [name, sm] of Object.entries(stateMachines)) {
      alarmWhenAny(`${name}ExecutionsFailed`, sm.metricFailed({ period: PERIOD }), `Workflow ${name}: executions failed`);
      alarmWhenAny(`${name}ExecutionsTimedOut`, sm.metricTimedOut({ period: PERIOD }), `Workflow ${name}: executions timed out`);
    }
    for (const [name, fn] of Object.entries(functions)) {
      alarmWhenAny(`${name}Errors`, fn.metricErrors({ period: PERIOD }), `Function ${name}: errors`);
      alarmWhenAny(`${name}Throttles`, fn.metricThrottles({ period: PERIOD }), `Function ${name}: throttles`);
    }
    for (const [name, dlq] of Object.entries(deadLetterQueues)) {
      alarmWhenAny(
        `${name}DlqDepth`,
        dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        `Queue ${name}: messages in the dead-letter queue`,
      );
    }
    alarmWhenAny('Api5xx', api.metricServerError({ period: PERIOD }), 'HTTP API: 5xx responses');

    new Dashboard(this, 'Dashboard', {
      dashboardName: `clearway-${config.stage}`,
      widgets: [
        [
          graph('API requests and errors', [api.metricCount(), api.metricClientError(), api.metricServerError()]),
          graph('API latency (p99)', [api.metricLatency({ statistic: 'p99' })]),
        ],
        [
          graph(
            'Workflow executions',
            Object.values(stateMachines).flatMap((sm) => [
              sm.metricStarted(),
              sm.metricSucceeded(),
              sm.metricFailed(),
              sm.metricTimedOut(),
            ]),
          ),
        ],
        [
          graph('Function errors', Object.values(functions).map((fn) => fn.metricErrors())),
          graph('Function throttles', Object.values(functions).map((fn) => fn.metricThrottles())),
          graph('Function duration (p99)', Object.values(functions).map((fn) => fn.metricDuration({ statistic: 'p99' }))),
        ],
        [
          graph('Exception queues: visible messages', Object.values(queues).map((q) => q.metricApproximateNumberOfMessagesVisible())),
          graph('Dead-letter queues: visible messages', Object.values(deadLetterQueues).map((q) => q.metricApproximateNumberOfMessagesVisible())),
        ],
      ],
    });
  }

  private encryptedTopic(config: StageConfig): Topic {
    const key = new Key(this, 'TopicKey', {
      description: `Clearway ${config.stage}: alarm notifications at rest`,
      enableKeyRotation: true,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes to an encrypted topic only if the key lets it (SNS developer guide,
    // "Configure AWS KMS permissions for AWS services": cloudwatch.amazonaws.com).
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    return new Topic(this, 'Alarms', {
      displayName: `Clearway ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 8 });
}
