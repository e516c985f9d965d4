import type { MetricName } from './catalogue.ts';
import type { AwsMetricKey, Statistic } from './awsMetrics.ts';

/** What an alarm watches: one of our catalogue metrics, or a metric AWS publishes (awsMetrics.ts). */
export type MetricRef = { readonly own: MetricName } | { readonly aws: AwsMetricKey };

export type Comparison = 'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold';
export type TreatMissingData = 'notBreaching' | 'breaching' | 'missing';

export interface AlarmDefinition {
  readonly title: string;
  readonly description: string;
  readonly metric: MetricRef;
  readonly statistic: Statistic;
  /** Seconds per datapoint. */
  readonly period: number;
  /** CloudWatch metric math over the metric (called m1), when the raw metric is not what to alarm on. */
  readonly expression?: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: TreatMissingData;
}

/**
 * The alarms, by key (the deployed alarm is `<project>-<environment>-<key>`). The same
 * thresholds are evaluated by CloudWatch in AWS and by the local dashboard on the local
 * stand-in of each metric (`local` in awsMetrics.ts).
 */
export const Alarms = {
  'stream-processor-errors': {
    title: 'Stream processor errors',
    description:
      'The stream processor threw (whole batch failed; AWS retries it with bisect). See the stream processor log group.',
    metric: { aws: 'StreamProcessorErrors' },
    statistic: 'Sum',
    period: 300,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
  'stream-processor-iterator-age': {
    title: 'Stream iterator age',
    description:
      'Changes wait longer than the threshold in the DynamoDB stream before the stream processor gets them (it is falling behind; records expire after 24 h).',
    metric: { aws: 'StreamProcessorIteratorAge' },
    statistic: 'Maximum',
    period: 60,
    comparison: 'GreaterThanThreshold',
    threshold: 60_000,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: 'notBreaching',
  },
  'stream-dlq-not-empty': {
    title: 'Stream DLQ not empty',
    description:
      'Dead letters are waiting in the stream-processor queue: poison records (with reason) or batches the event source mapping gave up on. Inspect and replay them.',
    metric: { aws: 'StreamDlqVisible' },
    statistic: 'Maximum',
    period: 300,
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
  'topic-dlq-receiving': {
    title: 'Topic DLQ receiving',
    description:
      'Records are arriving on the chargebacks-dlq topic: the writer met records it cannot land (undecodable, invalid, unknown schema version). Read them with their dlq.reason header.',
    metric: { aws: 'MskDlqMessagesIn' },
    statistic: 'Sum',
    period: 300,
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
  'flink-downtime': {
    title: 'Writer downtime',
    description:
      'The Flink application is failing or restarting (downtime > 0): nothing lands in S3 meanwhile. See the Flink log group.',
    metric: { aws: 'FlinkDowntime' },
    statistic: 'Maximum',
    period: 60,
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    // A running application always reports; silence means it is not running.
    treatMissingData: 'breaching',
  },
  'flink-failed-checkpoints': {
    title: 'Failed checkpoints',
    description: 'A Flink checkpoint failed: part files stay pending (not visible) until one succeeds.',
    metric: { aws: 'FlinkFailedCheckpoints' },
    statistic: 'Maximum',
    period: 300,
    // numberOfFailedCheckpoints counts since the job started: alarm on its increase.
    expression: 'DIFF(m1)',
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
  // The key keeps its first name (deployed alarm names, monitoring.flinkRecordsLagAlarm). It
  // watches MSK's MaxOffsetLag of the writer group, not Flink's records_lag_max: MSK publishes
  // it per consumer group and topic whatever Flink's metricsLevel (records_lag_max is an
  // operator-scope metric that may never reach the Application dimension), it is the lag of
  // what has been committed — Flink commits offsets when a checkpoint completes, i.e. when the
  // part files are in S3 — and it holds for either writer, both using the one group.
  'flink-records-lag': {
    title: 'Writer records lag',
    description:
      'The writer group (Flink job or embedded writer) has committed offsets further behind the end of the chargebacks topic than the threshold, on some partition: landing is falling behind.',
    metric: { aws: 'MskConsumerLag' },
    statistic: 'Maximum',
    period: 300,
    comparison: 'GreaterThanThreshold',
    threshold: 10_000,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: 'notBreaching',
  },
  'api-errors': {
    title: 'API server errors',
    description:
      'The API answered 5xx (DynamoDB unreachable or a bug). The handler turns failures into 500 answers, so this is our own metric, not AWS/Lambda Errors.',
    metric: { own: 'ApiServerErrors' },
    statistic: 'Sum',
    period: 300,
    comparison: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  },
} as const satisfies Record<string, AlarmDefinition>;

export type AlarmKey = keyof typeof Alarms;
export const ALARM_KEYS = Object.keys(Alarms) as AlarmKey[];

/** Whether `value` breaches the alarm's threshold. */
export function breaches(comparison: Comparison, value: number, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
  }
}
