import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';

/**
 * The alarms of the pipeline as data (one place to read thresholds and reasons; the monitoring
 * stack turns each into an aws_cloudwatch_metric_alarm that notifies the alarm topic).
 */
export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: 'Sum' | 'Maximum' | 'Average';
  period: number;
}

export interface AlarmSpec {
  key: string;
  name: string;
  description: string;
  metric: MetricRef;
  /** Metric math over the metric (called m1), when the raw metric is not what to alarm on. */
  expression?: string;
  comparison: 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: 'notBreaching' | 'breaching' | 'missing';
}

export const Namespaces = { LAMBDA: 'AWS/Lambda', SQS: 'AWS/SQS', FLINK: 'AWS/KinesisAnalytics', KAFKA: 'AWS/Kafka', API: 'AWS/ApiGateway' } as const;

export function alarmSpecs(config: InfraConfig, names: Names): AlarmSpec[] {
  const m = config.monitoring;
  const fn = (functionName: string, metricName: string, stat: MetricRef['stat'], period = 300): MetricRef => ({
    namespace: Namespaces.LAMBDA,
    metricName,
    dimensions: { FunctionName: functionName },
    stat,
    period,
  });
  const flink = (metricName: string, stat: MetricRef['stat'], period = 300): MetricRef => ({
    namespace: Namespaces.FLINK,
    metricName,
    dimensions: { Application: names.flinkApplication },
    stat,
    period,
  });
  return [
    {
      key: 'stream-processor-errors',
      name: `${names.prefix}-stream-processor-errors`,
      description: 'The stream processor threw (whole batch failed; AWS retries it with bisect). See the lambda_log_group_name log group.',
      metric: fn(names.functions.streamProcessor, 'Errors', 'Sum'),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: m.lambdaErrorsAlarm,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'stream-processor-iterator-age',
      name: `${names.prefix}-stream-processor-iterator-age`,
      description: `Changes wait more than ${m.iteratorAgeAlarmMs} ms in the DynamoDB stream before the stream processor gets them (falling behind; records expire after 24 h).`,
      metric: fn(names.functions.streamProcessor, 'IteratorAge', 'Maximum', 60),
      comparison: 'GreaterThanThreshold',
      threshold: m.iteratorAgeAlarmMs,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'dlq-not-empty',
      name: `${names.prefix}-stream-dlq-not-empty`,
      description: 'Dead letters are waiting: poison records (with reason) or batches the event source mapping gave up on. Inspect and replay them.',
      metric: { namespace: Namespaces.SQS, metricName: 'ApproximateNumberOfMessagesVisible', dimensions: { QueueName: names.dlqQueue }, stat: 'Maximum', period: 300 },
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'flink-downtime',
      name: `${names.prefix}-flink-downtime`,
      description: 'The Flink application is failing or restarting (downtime > 0): nothing lands in S3 meanwhile. See the flink_log_group_name log group.',
      metric: flink('downtime', 'Maximum', 60),
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // A running application always reports; silence means it is not running.
      treatMissingData: config.flink.startApplication ? 'breaching' : 'notBreaching',
    },
    {
      key: 'flink-failed-checkpoints',
      name: `${names.prefix}-flink-failed-checkpoints`,
      description: 'A Flink checkpoint failed: part files stay pending (not visible) until one succeeds.',
      // numberOfFailedCheckpoints counts since the job started: alarm on its increase.
      metric: flink('numberOfFailedCheckpoints', 'Maximum'),
      expression: 'DIFF(m1)',
      comparison: 'GreaterThanThreshold',
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'flink-records-lag',
      name: `${names.prefix}-flink-records-lag`,
      description: `The Flink Kafka source is more than ${m.flinkRecordsLagAlarm} records behind the topic.`,
      metric: flink('records_lag_max', 'Maximum'),
      comparison: 'GreaterThanThreshold',
      threshold: m.flinkRecordsLagAlarm,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: 'notBreaching',
    },
    {
      key: 'api-errors',
      name: `${names.prefix}-api-errors`,
      description: 'The API Lambda threw (callers got a 500).',
      metric: fn(names.functions.api, 'Errors', 'Sum'),
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: m.lambdaErrorsAlarm,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'notBreaching',
    },
  ];
}
