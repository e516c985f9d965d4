/**
 * The metric catalogue and the machinery around it: one set of names, units, dimensions and
 * alarm thresholds for the Lambdas (Powertools Metrics → EMF → CloudWatch), the local components
 * (an in-process registry; snapshots of it are shared across processes by cli/dashboard), `/metrics`
 * (Prometheus text), the local dashboard, and the CloudWatch dashboard and alarms of infra/.
 *
 * @example
 * const metrics = stageMetrics(Service.STREAM_PROCESSOR);
 * metrics.record('StreamRecords', event.Records.length);
 * metrics.publishStoredMetrics();
 */
export {
  Catalogue,
  NAMESPACE,
  Unit,
  MetricKind,
  Stage,
  Service,
  Origin,
  HEADLINE,
  METRIC_NAMES,
  isMetricName,
  metricDefinition,
} from './catalogue.ts';
export type { MetricName, MetricDefinition } from './catalogue.ts';
export {
  AwsMetrics,
  AwsNamespace,
  Resource,
  AWS_METRIC_KEYS,
  type AwsMetricKey,
  type AwsMetricDefinition,
  type Statistic,
} from './awsMetrics.ts';
export {
  Alarms,
  ALARM_KEYS,
  breaches,
  type AlarmKey,
  type AlarmDefinition,
  type MetricRef,
  type Comparison,
  type TreatMissingData,
} from './alarms.ts';
export { Widgets, localWidgets, localMetricOf, cloudMetricOf, serviceOf } from './widgets.ts';
export type { WidgetDefinition, SeriesRef, CloudMetric, DimensionValue, LocalWidget, LocalSeries } from './widgets.ts';

/**
 * The in-process registry of counters, gauges and timings, checked against the catalogue.
 *
 * @example
 * processRegistry.set('OpenBuckets', writer.stats().openBuckets);
 */
export {
  MetricsRegistry,
  seriesKey,
  TIMING_BUCKETS_MS,
  type Series,
  type TimingValue,
  type Dimensions,
} from './MetricsRegistry.ts';
export { snapshotOf, mergeSeries, flatten, type MetricsSnapshot } from './snapshot.ts';

/**
 * Powertools Metrics configured from the catalogue; EMF to stdout in Lambda, the registry locally.
 *
 * @example
 * const metrics = stageMetrics(Service.API);
 */
export {
  stageMetrics,
  metricsConfigFromEnv,
  processRegistry,
  CatalogueMetrics,
  RegistryMetrics,
  MetricsSink,
  MetricsConfig,
} from './stageMetrics.ts';
export { parseEmfLine, samplesFromEmf, recordEmf, type EmfDocument, type EmfSample } from './emf.ts';

/**
 * Prometheus text exposition of merged series.
 *
 * @example
 * res.end(renderPrometheus(mergeSeries([processRegistry.collect()])));
 */
export { renderPrometheus, prometheusName, PROMETHEUS_CONTENT_TYPE } from './prometheus.ts';

/**
 * Local history and alarm evaluation with the CloudWatch thresholds.
 *
 * @example
 * const { state } = evaluateAlarm(Alarms['stream-dlq-not-empty'], 'StreamDlqDepth', history.since(), Date.now());
 */
export { MetricHistory, type HistoryPoint } from './MetricHistory.ts';
export { evaluateAlarm, datapoint, metricAt, AlarmState, type AlarmEvaluation } from './evaluateAlarm.ts';
export * from './errors.ts';
