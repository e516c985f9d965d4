import type { MetricAlarmSpec } from './consolidationAlarms.ts';

/**
 * An alarm on a dead-letter queue that holds anything: the Maximum of ApproximateNumberOfMessagesVisible
 * is > 0 in one 300 s period. `what` says what a message there means; the firing rule is appended, so
 * every such alarm's description ends the same way.
 */
export function queueNotEmptyAlarm(o: { key: string; prefix: string; queueName: string; what: string }): MetricAlarmSpec {
  return {
    key: o.key,
    name: `${o.prefix}-${o.key}`,
    description: `${o.what} Fires when the Maximum of ApproximateNumberOfMessagesVisible is > 0 in 1 of 1 periods of 300 s.`,
    metric: {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: o.queueName },
      stat: 'Maximum',
      period: 300,
    },
    comparison: 'GreaterThanThreshold',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: 'notBreaching',
  };
}
