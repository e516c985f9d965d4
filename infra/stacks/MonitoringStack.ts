import type { App } from 'cdktf';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { ChargebackStack, type StackContext } from './ChargebackStack.ts';
import type { FoundationStack } from './FoundationStack.ts';
import type { ApiStack } from './ApiStack.ts';
import type { StreamingStack } from './StreamingStack.ts';
import type { ConsolidationStack } from './ConsolidationStack.ts';
import { alarmSpecs } from '../monitoring/alarmSpecs.ts';
import { consolidationAlarmSpecs, type MetricAlarmSpec } from '../monitoring/consolidationAlarms.ts';
import { dashboardBody, dashboardUrl } from '../monitoring/dashboardBody.ts';
import { hourCloserAlarmSpecs } from '../constructs/HourCloser.ts';
import { policyDocument, renderPolicy } from '../iam/PolicyDocument.ts';

export interface MonitoringStackProps {
  foundation: FoundationStack;
  api: ApiStack;
  streaming: StreamingStack;
  consolidation: ConsolidationStack;
}

/**
 * What watches the pipeline: the alarm topic (KMS-encrypted, optional e-mail), the alarms of
 * alarmSpecs.ts and the dashboard. Deployed last. The log groups themselves (with retention)
 * belong to the stacks of their writers — see RetainedLogGroup.
 */
export class MonitoringStack extends ChargebackStack {
  readonly alarmTopic: SnsTopic;
  readonly alarms: Map<string, CloudwatchMetricAlarm>;
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: App, ctx: StackContext, props: MonitoringStackProps) {
    super(scope, ctx.names.stacks.monitoring, ctx);
    this.addDependency(props.api);
    this.addDependency(props.streaming);
    this.addDependency(props.consolidation);
    const { config, names } = ctx;

    this.alarmTopic = new SnsTopic(this, 'alarm-topic', { name: names.alarmTopic, kmsMasterKeyId: props.foundation.dataKeyArn });
    new SnsTopicPolicy(this, 'alarm-topic-policy', {
      arn: this.alarmTopic.arn,
      policy: renderPolicy(
        policyDocument([
          {
            Sid: 'CloudWatchAlarmsOfThisEnvironment',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['sns:Publish'],
            Resource: this.alarmTopic.arn,
            Condition: {
              StringEquals: { 'aws:SourceAccount': this.accountId },
              ArnLike: { 'aws:SourceArn': this.arn('cloudwatch', `alarm:${names.prefix}-*`) },
            },
          },
        ]),
      ),
    });
    if (config.monitoring.alarmEmail) {
      new SnsTopicSubscription(this, 'alarm-email', {
        topicArn: this.alarmTopic.arn,
        protocol: 'email',
        endpoint: config.monitoring.alarmEmail,
      });
    }

    this.alarms = new Map(
      [...alarmSpecs(config, names), ...consolidationAlarmSpecs(config, names), ...hourCloserAlarmSpecs(names)].map((spec) => [
        spec.key,
        this.alarm(spec),
      ]),
    );

    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      dashboardName: names.dashboard,
      dashboardBody: JSON.stringify(
        dashboardBody({ config, names, apiId: props.api.api.id, alarmArns: [...this.alarms.values()].map((a) => a.arn) }),
      ),
    });

    this.output('cloudwatch_dashboard_url', dashboardUrl(config.region, names.dashboard), 'CloudWatch dashboard of the pipeline');
    this.output('alarm_topic_arn', this.alarmTopic.arn, 'SNS topic the alarms notify (subscribe on-call here)');
  }

  private alarm(spec: MetricAlarmSpec): CloudwatchMetricAlarm {
    const actions = [this.alarmTopic.arn];
    const metric = {
      namespace: spec.metric.namespace,
      metricName: spec.metric.metricName,
      dimensions: spec.metric.dimensions,
      period: spec.metric.period,
    };
    return new CloudwatchMetricAlarm(this, `alarm-${spec.key}`, {
      alarmName: spec.name,
      alarmDescription: spec.description,
      comparisonOperator: spec.comparison,
      threshold: spec.threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      treatMissingData: spec.treatMissingData,
      alarmActions: actions,
      okActions: actions,
      ...(spec.expression
        ? {
            metricQuery: [
              { id: 'm1', metric: { ...metric, stat: spec.metric.stat }, returnData: false },
              { id: 'e1', expression: spec.expression, label: spec.metric.metricName, returnData: true },
            ],
          }
        : { ...metric, statistic: spec.metric.stat }),
    });
  }
}
