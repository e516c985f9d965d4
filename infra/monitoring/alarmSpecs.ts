import {
  ALARM_KEYS,
  Alarms,
  AwsNamespace,
  type AlarmDefinition,
  type AlarmKey,
  type Comparison,
  type TreatMissingData,
} from '../../pipeline/metrics/index.ts';
import type { InfraConfig } from '../config/InfraConfig.ts';
import type { Names } from '../config/names.ts';
import { deployedMetric, type DeployedMetric } from './resolveMetric.ts';

/**
 * The alarms of the pipeline, from the metric catalogue (pipeline/metrics/alarms.ts): the same
 * definitions and thresholds the local dashboard evaluates. The monitoring stack turns each into
 * an aws_cloudwatch_metric_alarm that notifies the alarm topic.
 */
export interface AlarmSpec {
  key: AlarmKey;
  name: string;
  description: string;
  metric: DeployedMetric & { period: number };
  /** Metric math over the metric (called m1), when the raw metric is not what to alarm on. */
  expression?: string;
  comparison: Comparison;
  threshold: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
}

/**
 * Thresholds a deployment may tune (InfraConfig.monitoring); every other one is the catalogue's.
 * InfraConfig's defaults are the catalogue's values (a test holds them equal).
 */
export function thresholdOf(key: AlarmKey, config: InfraConfig): number {
  const m = config.monitoring;
  switch (key) {
    case 'stream-processor-errors':
    case 'api-errors':
      return m.lambdaErrorsAlarm;
    case 'stream-processor-iterator-age':
      return m.iteratorAgeAlarmMs;
    case 'flink-records-lag':
      return m.flinkRecordsLagAlarm;
    default:
      return Alarms[key].threshold;
  }
}

const SIGN: Record<Comparison, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
};

export function alarmSpecs(config: InfraConfig, names: Names): AlarmSpec[] {
  return ALARM_KEYS.map((key) => {
    const a: AlarmDefinition = Alarms[key];
    const metric = deployedMetric(a.metric, { config, names }, a.statistic);
    if (!metric) throw new Error(`alarm ${key} watches a metric with no CloudWatch form`);
    const threshold = thresholdOf(key, config);
    // A running Flink application always reports; silence is only alarming when it should be running.
    const flinkNotStarted = metric.namespace === AwsNamespace.FLINK && !config.flink.startApplication;
    return {
      key,
      name: `${names.prefix}-${key}`,
      description: `${a.description} Fires when the ${a.statistic}${a.expression ? ` (${a.expression})` : ''} is ${SIGN[a.comparison]} ${threshold} in ${a.datapointsToAlarm} of ${a.evaluationPeriods} periods of ${a.period} s.`,
      metric: { ...metric, period: a.period },
      ...(a.expression ? { expression: a.expression } : {}),
      comparison: a.comparison,
      threshold,
      evaluationPeriods: a.evaluationPeriods,
      datapointsToAlarm: a.datapointsToAlarm,
      treatMissingData: flinkNotStarted && a.treatMissingData === 'breaching' ? 'notBreaching' : a.treatMissingData,
    };
  });
}
