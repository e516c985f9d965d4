import type { TreatMissingData } from '../../pipeline/metrics/index.ts';
import { NAMESPACE } from '../../pipeline/metrics/index.ts';
import { CONSOLIDATION_SERVICE, DAY_NOT_CONSOLIDATED_METRIC } from '../../pipeline/consolidation/scheduledHandler.ts';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import type { AlarmSpec } from './alarmSpecs.ts';
import { queueNotEmptyAlarm } from './queueNotEmptyAlarm.ts';

/** An alarm of the monitoring stack that is not in the metric catalogue (its own key, and `ignore` for missing data). */
export type MetricAlarmSpec = Omit<AlarmSpec, 'key' | 'treatMissingData'> & {
  key: string;
  treatMissingData: TreatMissingData | 'ignore';
};

/**
 * The alarms of the daily consolidation.
 *
 * `consolidation-day-late`: DayNotConsolidated is published once a day at the deadline by the check
 * (1 when yesterday has no complete day manifest), and again by every hourly run after the deadline
 * (0 once it consolidated). Nothing is published the rest of the time, so missing data must keep
 * the state (`ignore`): `breaching` would fire every hour without a data point, `notBreaching`
 * would clear a late day five minutes after the check said so. The alarm is in ALARM from the check
 * that found the day late until a run consolidates it (or the next day's check finds that day on time).
 * A check that did not run at all publishes nothing: its failed invocations land in the DLQ, which
 * `consolidation-dlq-not-empty` watches.
 */
export function consolidationAlarmSpecs(config: InfraConfig, names: Names): MetricAlarmSpec[] {
  const deadline = `${String(config.consolidation.deadlineHour).padStart(2, '0')}:00 UTC`;
  return [
    {
      key: 'consolidation-day-late',
      name: `${names.prefix}-consolidation-day-late`,
      description:
        `Yesterday's day (UTC) is not consolidated by ${deadline} (consolidation.deadlineHour): no consolidated/<day>/_manifest.json with all 24 hours. ` +
        `Usually hours still open (the hour closer is behind: the job's log names the hours), or the job failing (see the DLQ). ` +
        `Clears when a later hourly run consolidates the day. Fires when the Maximum of ${DAY_NOT_CONSOLIDATED_METRIC} is >= 1 in 1 of 1 periods of 300 s; missing data keeps the state.`,
      metric: {
        namespace: NAMESPACE,
        metricName: DAY_NOT_CONSOLIDATED_METRIC,
        dimensions: { service: CONSOLIDATION_SERVICE },
        stat: 'Maximum',
        period: 300,
      },
      comparison: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: 'ignore',
    },
    queueNotEmptyAlarm({
      key: 'consolidation-dlq-not-empty',
      prefix: names.prefix,
      queueName: names.consolidationDlq,
      what: 'A consolidation run or deadline check failed every attempt (Lambda errors, or EventBridge Scheduler could not invoke): the event is in the consolidation DLQ with the error.',
    }),
  ];
}
