import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { Catalogue, HEADLINE, METRIC_NAMES, MetricKind, Origin, Unit } from './catalogue.ts';
import { AwsMetrics, AWS_METRIC_KEYS } from './awsMetrics.ts';
import { Alarms, ALARM_KEYS } from './alarms.ts';
import { Widgets, localMetricOf, localWidgets, cloudMetricOf, type SeriesRef } from './widgets.ts';

test('every unit of the catalogue is a CloudWatch unit Powertools accepts', () => {
  const units = new Set<string>(Object.values(MetricUnit));
  for (const u of Object.values(Unit)) assert.ok(units.has(u), u);
});

test('metric names are valid CloudWatch names and Lambda metrics carry the service dimension', () => {
  for (const name of METRIC_NAMES) {
    assert.match(name, /^[A-Z][A-Za-z0-9]{2,254}$/);
    const def = Catalogue[name];
    if (def.origin === Origin.LAMBDA) assert.deepEqual(def.dimensions, ['service'], name);
    if ('aggregate' in def) assert.equal(def.kind, MetricKind.GAUGE, `${name}: only gauges choose an aggregate`);
    assert.ok(def.description.length > 20, `${name} needs a description a person can act on`);
  }
});

test('every AWS metric stand-in and every alarm metric exists, and every alarm can be evaluated locally', () => {
  for (const key of AWS_METRIC_KEYS) {
    const local = (AwsMetrics[key] as { local?: string }).local;
    if (local) assert.ok(METRIC_NAMES.includes(local as never), `${key}.local = ${local}`);
  }
  for (const key of ALARM_KEYS) {
    const alarm = Alarms[key];
    assert.ok(localMetricOf(alarm.metric), `alarm ${key} has no local stand-in, so the local dashboard cannot evaluate it`);
    assert.ok(cloudMetricOf(alarm.metric), `alarm ${key} has no CloudWatch metric`);
    assert.ok(alarm.datapointsToAlarm <= alarm.evaluationPeriods, key);
    assert.ok(
      [10, 30].includes(alarm.period) || alarm.period % 60 === 0,
      `${key}: CloudWatch periods are 10, 30 or a multiple of 60 s`,
    );
  }
});

test('the alarms cover Lambda errors, iterator age, a DLQ, Flink downtime or failed checkpoints, and the writer group lag', () => {
  const watched = ALARM_KEYS.map((k) => cloudMetricOf(Alarms[k].metric)!).map((m) => `${m.namespace}:${m.metricName}`);
  for (const want of [
    'AWS/Lambda:Errors',
    'AWS/Lambda:IteratorAge',
    'AWS/SQS:ApproximateNumberOfMessagesVisible',
    'AWS/KinesisAnalytics:downtime',
    'AWS/Kafka:MaxOffsetLag',
  ]) {
    assert.ok(watched.includes(want), want);
  }
  assert.ok(ALARM_KEYS.length >= 5);
});

test('every metric we measure is drawn by some widget, and every widget reference resolves', () => {
  const drawn = new Set<string>();
  for (const w of Widgets) {
    for (const ref of w.series as readonly SeriesRef[]) {
      if ('aws' in ref) assert.ok(AWS_METRIC_KEYS.includes(ref.aws), ref.aws);
      const local = localMetricOf(ref);
      if (local) drawn.add(local);
    }
  }
  for (const name of METRIC_NAMES) {
    if (name === 'ChargebacksCreated') continue; // a headline figure
    assert.ok(drawn.has(name), `${name} is measured but no widget draws it`);
  }
  for (const name of HEADLINE) assert.ok(METRIC_NAMES.includes(name));
});

test("the local dashboard has the issue's widgets, with alarm thresholds from the alarms", () => {
  const widgets = localWidgets();
  const metrics = new Set(widgets.flatMap((w) => w.series.map((s) => s.metric)));
  for (const want of [
    'ApiRequests',
    'ApiServerErrors',
    'StreamBatches',
    'StreamRecords',
    'StreamRecordFailures',
    'IteratorAge',
    'KafkaRecordsProduced',
    'KafkaConsumerLag',
    'WriterRecordsConsumed',
    'OpenBuckets',
    'FilesCommitted',
    'BytesCommitted',
    'CommitDuration',
    'StreamDlqDepth',
    'TopicDlqRecords',
  ] as const) {
    assert.ok(metrics.has(want), want);
  }
  const lag = widgets.find((w) => w.series.some((s) => s.metric === 'KafkaConsumerLag'))!;
  assert.deepEqual(lag.alarm, {
    key: 'flink-records-lag',
    threshold: Alarms['flink-records-lag'].threshold,
    comparison: 'GreaterThanThreshold',
  });
  for (const w of widgets)
    assert.equal(new Set(w.series.map((s) => s.metric)).size, w.series.length, `${w.title} draws a metric twice`);
});

test('our Lambda metrics resolve to the ChargebackCdc namespace with their service; local-only ones to nothing', () => {
  assert.deepEqual(cloudMetricOf({ own: 'ApiServerErrors' }), {
    namespace: 'ChargebackCdc',
    metricName: 'ApiServerErrors',
    dimensions: { service: { value: 'chargeback-api' } },
    stat: 'Sum',
  });
  assert.equal(cloudMetricOf({ own: 'RowsLanded' }), undefined);
  assert.deepEqual(cloudMetricOf({ aws: 'StreamDlqVisible' })!.dimensions, { QueueName: { resource: 'stream-dlq-queue' } });
});
