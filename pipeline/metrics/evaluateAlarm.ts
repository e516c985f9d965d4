import { Catalogue, MetricKind, type MetricName } from './catalogue.ts';
import { breaches, type AlarmDefinition } from './alarms.ts';
import type { Statistic } from './awsMetrics.ts';
import type { HistoryPoint } from './MetricHistory.ts';

export const AlarmState = { OK: 'OK', ALARM: 'ALARM', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' } as const;
export type AlarmState = (typeof AlarmState)[keyof typeof AlarmState];

export interface AlarmEvaluation {
  state: AlarmState;
  /** The most recent datapoint (undefined when every period lacks data). */
  value: number | undefined;
  /** One per evaluation period, oldest first; undefined = missing (or before the history began). */
  datapoints: Array<number | undefined>;
  breachingDatapoints: number;
}

/**
 * The value of a metric at one history point, over all its dimension values: counters and
 * timings add up, gauges take the maximum (records_lag_max is the largest partition lag).
 * Timings give [count, sum]; undefined when no series of the metric is in the point.
 */
export function metricAt(point: HistoryPoint, metric: MetricName): number | [number, number] | undefined {
  const kind = Catalogue[metric].kind;
  let found = false;
  let value = kind === MetricKind.GAUGE ? -Infinity : 0;
  let sum = 0;
  for (const [key, v] of Object.entries(point.v)) {
    if (key !== metric && !key.startsWith(`${metric}{`) && !key.startsWith(`${metric}.`)) continue;
    found = true;
    if (kind === MetricKind.TIMING) {
      if (key.endsWith('.sum')) sum += v;
      else if (key.endsWith('.count')) value += v;
    } else if (kind === MetricKind.GAUGE) value = Math.max(value, v);
    else value += v;
  }
  if (!found) return undefined;
  return kind === MetricKind.TIMING ? [value, sum] : value;
}

/** How much a counter grew across samples, a drop being a restart of the process (as Prometheus' increase()). */
function increase(values: number[]): number {
  let total = 0;
  for (let i = 1; i < values.length; i++) {
    const d = values[i]! - values[i - 1]!;
    total += d >= 0 ? d : values[i]!;
  }
  return total;
}

function statistic(stat: Statistic, values: number[]): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
    case 'p99':
      return Math.max(...values);
  }
}

/**
 * One datapoint of a metric over the window (from, to]: a gauge's statistic over its samples; a
 * counter's increase (from the last sample at or before `from`), which is what a Sum of the
 * per-invocation values, or DIFF() of a cumulative maximum, is in CloudWatch; a timing's mean.
 */
export function datapoint(
  points: readonly HistoryPoint[],
  metric: MetricName,
  stat: Statistic,
  from: number,
  to: number,
): number | undefined {
  const kind = Catalogue[metric].kind;
  const inWindow = points.filter((p) => p.t > from && p.t <= to);
  const samples = inWindow.map((p) => metricAt(p, metric)).filter((v) => v !== undefined);
  if (samples.length === 0) return undefined;
  if (kind === MetricKind.GAUGE) return statistic(stat, samples as number[]);
  // The baseline is the last point before the window; a metric absent from a point had not
  // started yet (or its process had stopped): 0. Without any earlier point (history began in the
  // window) the first sample is the baseline: counts from before we watched are not increases.
  const before = [...points].reverse().find((p) => p.t <= from);
  const zero: number | [number, number] = kind === MetricKind.TIMING ? [0, 0] : 0;
  const series = [...(before ? [before] : []), ...inWindow].map((p) => metricAt(p, metric) ?? zero);
  if (kind === MetricKind.COUNTER) return increase(series as number[]);
  const counts = increase((series as Array<[number, number]>).map(([c]) => c));
  const sums = increase((series as Array<[number, number]>).map(([, s]) => s));
  return counts === 0 ? undefined : sums / counts;
}

/**
 * Evaluates an alarm on local history the way CloudWatch does: the last `evaluationPeriods`
 * periods (sliding, ending now, where CloudWatch aligns them to the clock), ALARM when at least
 * `datapointsToAlarm` of them breach; missing datapoints count as `treatMissingData` says
 * (`missing`: ignored, and INSUFFICIENT_DATA when all are missing). Periods that ended before
 * the history began (`observedSince`, default its first point) were not watched: they count as
 * neither, as a new CloudWatch alarm does not judge the time before it existed.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  metric: MetricName,
  points: readonly HistoryPoint[],
  now: number,
  observedSince = points[0]?.t,
): AlarmEvaluation {
  const periodMs = alarm.period * 1000;
  const datapoints: Array<number | undefined> = [];
  let watched = 0;
  let breaching = 0;
  for (let i = alarm.evaluationPeriods; i >= 1; i--) {
    const to = now - (i - 1) * periodMs;
    const d = datapoint(points, metric, alarm.statistic, to - periodMs, to);
    datapoints.push(d);
    if (observedSince === undefined || to < observedSince) continue;
    watched++;
    if (d === undefined ? alarm.treatMissingData === 'breaching' : breaches(alarm.comparison, d, alarm.threshold)) breaching++;
  }
  const value = [...datapoints].reverse().find((d) => d !== undefined);
  const allMissing = watched === 0 || datapoints.every((d) => d === undefined);
  const state =
    breaching >= alarm.datapointsToAlarm
      ? AlarmState.ALARM
      : watched === 0 || (allMissing && alarm.treatMissingData === 'missing')
        ? AlarmState.INSUFFICIENT_DATA
        : AlarmState.OK;
  return { state, value, datapoints, breachingDatapoints: breaching };
}
