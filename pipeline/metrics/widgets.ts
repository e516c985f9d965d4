import { Catalogue, MetricKind, NAMESPACE, Service, Stage, type MetricName, type Unit } from './catalogue.ts';
import { AwsMetrics, type AwsMetricDefinition, type Resource, type Statistic } from './awsMetrics.ts';
import { Alarms, type AlarmKey, type Comparison, type MetricRef } from './alarms.ts';

export type SeriesRef = MetricRef & {
  readonly label?: string;
  readonly stat?: Statistic;
  readonly yAxis?: 'right';
  /** Local chart of a counter: its running total instead of its rate per second. */
  readonly total?: true;
};

export interface WidgetDefinition {
  readonly title: string;
  readonly series: readonly SeriesRef[];
  /** Draws this alarm's threshold on the chart (only where the chart plots what the alarm compares). */
  readonly alarm?: AlarmKey;
}

/**
 * The dashboard, once for both places: the CloudWatch dashboard draws every series in its
 * CloudWatch form, the local dashboard draws the series that have a local measurement.
 * The seed's widgets (Lambda invocations/errors/duration, MSK throughput, Flink uptime and
 * records, checkpoints) plus what operating the pipeline needs.
 */
export const Widgets = [
  {
    title: 'API: requests and errors',
    series: [
      { own: 'ApiRequests', label: 'requests' },
      { own: 'ApiClientErrors', label: '4xx' },
      { own: 'ApiServerErrors', label: '5xx' },
      { aws: 'ApiGatewayRequests' },
      { aws: 'ApiGateway4xx' },
      { aws: 'ApiGateway5xx' },
    ],
  },
  {
    title: 'API: latency (ms) and Lambda invocations',
    series: [
      { own: 'ApiLatency', label: 'handler latency' },
      { aws: 'ApiFunctionDuration', label: 'Lambda duration p99' },
      { aws: 'ApiFunctionInvocations', yAxis: 'right' },
      { aws: 'ApiFunctionErrors', yAxis: 'right' },
    ],
  },
  {
    title: 'Stream processor: batches, records, failures',
    series: [
      { own: 'StreamBatches', label: 'batches' },
      { own: 'StreamRecords', label: 'records' },
      { own: 'StreamRecordFailures', label: 'record failures' },
      { own: 'StreamRecordsDeadLettered', label: 'dead-lettered' },
      { aws: 'StreamProcessorErrors', label: 'batch errors' },
      { aws: 'StreamProcessorInvocations' },
      { aws: 'StreamProcessorThrottles' },
    ],
  },
  {
    title: 'Stream processor: batch duration (ms)',
    series: [
      { own: 'StreamBatchDuration', label: 'batch' },
      { aws: 'StreamProcessorDuration', label: 'Lambda average' },
      { aws: 'StreamProcessorDuration', stat: 'p99', label: 'Lambda p99' },
    ],
  },
  {
    title: 'Stream: iterator age (ms)',
    series: [
      { aws: 'StreamProcessorIteratorAge', label: 'iterator age' },
      { own: 'EsmUpstreamErrors', label: 'AWS errors retried by the poller', yAxis: 'right' },
    ],
    alarm: 'stream-processor-iterator-age',
  },
  {
    title: 'Kafka: produce rate',
    series: [
      { own: 'KafkaRecordsProduced', label: 'records produced' },
      { aws: 'MskMessagesIn' },
      { aws: 'MskBytesIn', yAxis: 'right' },
      { aws: 'MskBytesOut', yAxis: 'right' },
    ],
  },
  {
    title: 'Kafka: consumer lag of the writer group (records)',
    series: [
      { aws: 'MskConsumerLag', label: 'lag' },
      { aws: 'FlinkRecordsLag', label: 'Flink records_lag_max' },
    ],
    alarm: 'flink-records-lag',
  },
  {
    title: 'Writer: records in, rows landed',
    series: [
      { aws: 'FlinkRecordsIn', label: 'records in' },
      { aws: 'FlinkRecordsOut', label: 'rows landed' },
      { own: 'DuplicatesDropped', label: 'duplicates dropped' },
    ],
  },
  {
    title: 'Writer: open buckets, buffered bytes',
    series: [
      { own: 'OpenBuckets', label: 'open buckets' },
      { own: 'BufferedBytes', label: 'buffered', yAxis: 'right' },
    ],
  },
  {
    title: 'Writer: files and bytes committed',
    series: [
      { own: 'FilesCommitted', label: 'files', total: true },
      { own: 'BytesCommitted', label: 'bytes', yAxis: 'right', total: true },
    ],
  },
  {
    title: 'Writer: checkpoints',
    series: [
      { aws: 'FlinkLastCheckpointDuration', label: 'commit duration (ms)' },
      { aws: 'FlinkFailedCheckpoints', label: 'failed', yAxis: 'right' },
      { own: 'Checkpoints', label: 'checkpoints', yAxis: 'right' },
      { aws: 'FlinkKpus', yAxis: 'right' },
    ],
  },
  {
    title: 'Writer: uptime, downtime, restarts',
    series: [
      { aws: 'FlinkUptime' },
      { aws: 'FlinkDowntime', label: 'downtime (ms)' },
      { aws: 'FlinkFullRestarts', yAxis: 'right' },
    ],
    alarm: 'flink-downtime',
  },
  {
    title: 'Dead letters: stream DLQ (SQS) and topic DLQ',
    series: [
      { aws: 'StreamDlqVisible', label: 'stream DLQ depth' },
      { aws: 'MskDlqMessagesIn', label: 'topic DLQ records', total: true },
      { own: 'WriterDeadLetters', label: 'dead-lettered by the writer', total: true },
      { own: 'StreamOnFailureRecords', label: 'on-failure records', total: true },
      { aws: 'StreamDlqOldestAge', yAxis: 'right' },
    ],
    alarm: 'stream-dlq-not-empty',
  },
] as const satisfies readonly WidgetDefinition[];

/** The catalogue metric a reference stands for in a local run (undefined: nothing local measures it). */
export function localMetricOf(ref: MetricRef): MetricName | undefined {
  if ('own' in ref) return ref.own;
  const aws: AwsMetricDefinition = AwsMetrics[ref.aws];
  return aws.local;
}

export type DimensionValue = { readonly resource: Resource } | { readonly value: string };

export interface CloudMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, DimensionValue>;
  stat: Statistic;
}

/**
 * The CloudWatch metric of a reference: an AWS metric as it is, one of ours in NAMESPACE with
 * its `service` dimension. Undefined for our local-only metrics (AWS publishes their equivalent).
 */
export function cloudMetricOf(ref: MetricRef, stat?: Statistic): CloudMetric | undefined {
  if ('aws' in ref) {
    const m = AwsMetrics[ref.aws];
    const dimensions = Object.fromEntries(Object.entries(m.dimensions).map(([k, r]) => [k, { resource: r as Resource }]));
    return { namespace: m.namespace, metricName: m.metricName, dimensions, stat: stat ?? m.stat };
  }
  const def = Catalogue[ref.own];
  if (def.origin !== 'lambda') return undefined;
  const defaultStat: Statistic = def.kind === MetricKind.COUNTER ? 'Sum' : def.kind === MetricKind.TIMING ? 'Average' : 'Maximum';
  return {
    namespace: NAMESPACE,
    metricName: ref.own,
    dimensions: { service: { value: serviceOf(def.stage) } },
    stat: stat ?? defaultStat,
  };
}

/** The Powertools service (the `service` dimension) of a Lambda stage. */
export function serviceOf(stage: Stage): Service {
  if (stage === Stage.API) return Service.API;
  if (stage === Stage.STREAM_PROCESSOR) return Service.STREAM_PROCESSOR;
  throw new Error(`stage ${stage} runs no Lambda of ours, so its metrics have no service dimension`);
}

export interface LocalSeries {
  metric: MetricName;
  label: string;
  kind: MetricKind;
  unit: Unit;
  /** rate: a counter per second · total: a counter's running total · value: a gauge · average: a timing's mean per interval. */
  view: 'rate' | 'total' | 'value' | 'average';
  yAxis: 'left' | 'right';
}

export interface LocalWidget {
  title: string;
  series: LocalSeries[];
  alarm?: { key: AlarmKey; threshold: number; comparison: Comparison };
}

/** The widgets as the local dashboard draws them: local series only, each metric once; widgets with none are left out. */
export function localWidgets(): LocalWidget[] {
  const out: LocalWidget[] = [];
  for (const w of Widgets as readonly WidgetDefinition[]) {
    const series: LocalSeries[] = [];
    for (const ref of w.series) {
      const metric = localMetricOf(ref);
      if (!metric || series.some((s) => s.metric === metric)) continue;
      const def = Catalogue[metric];
      const view =
        def.kind === MetricKind.COUNTER ? (ref.total ? 'total' : 'rate') : def.kind === MetricKind.TIMING ? 'average' : 'value';
      series.push({ metric, label: ref.label ?? metric, kind: def.kind, unit: def.unit, view, yAxis: ref.yAxis ?? 'left' });
    }
    if (series.length === 0) continue;
    const alarm = w.alarm
      ? { key: w.alarm, threshold: Alarms[w.alarm].threshold, comparison: Alarms[w.alarm].comparison }
      : undefined;
    out.push({ title: w.title, series, ...(alarm ? { alarm } : {}) });
  }
  return out;
}
