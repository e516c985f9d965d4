import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetricsRegistry } from './MetricsRegistry.ts';
import { escapeLabelValue, prometheusName, renderPrometheus } from './prometheus.ts';
import { METRIC_NAMES } from './catalogue.ts';

test('names follow Prometheus conventions: snake case, base units, _total on counters', () => {
  assert.equal(prometheusName('RowsLanded'), 'chargeback_cdc_rows_landed_total');
  assert.equal(prometheusName('BytesCommitted'), 'chargeback_cdc_bytes_committed_total');
  assert.equal(prometheusName('IteratorAge'), 'chargeback_cdc_iterator_age_seconds');
  assert.equal(prometheusName('BufferedBytes'), 'chargeback_cdc_buffered_bytes');
  assert.equal(prometheusName('CommitDuration'), 'chargeback_cdc_commit_duration_seconds');
  assert.equal(new Set(METRIC_NAMES.map(prometheusName)).size, METRIC_NAMES.length, 'exposed names are unique');
  for (const n of METRIC_NAMES) assert.match(prometheusName(n), /^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
});

test('renders HELP and TYPE once per metric, stage and dimension labels, and milliseconds as seconds', () => {
  const r = new MetricsRegistry();
  r.add('ApiRequests', 3, { service: 'chargeback-api' });
  r.set('KafkaConsumerLag', 4, { Partition: '0' });
  r.set('KafkaConsumerLag', 7, { Partition: '2' });
  r.set('IteratorAge', 1500);
  const text = renderPrometheus(r.collect());
  assert.match(text, /^# HELP chargeback_cdc_api_requests_total Requests the chargeback API answered\. \(ApiRequests, Count\)$/m);
  assert.match(text, /^# TYPE chargeback_cdc_api_requests_total counter$/m);
  assert.match(text, /^chargeback_cdc_api_requests_total\{stage="api",service="chargeback-api"\} 3$/m);
  assert.match(text, /^chargeback_cdc_kafka_consumer_lag\{stage="kafka",partition="2"\} 7$/m);
  assert.equal(text.match(/^# TYPE chargeback_cdc_kafka_consumer_lag gauge$/gm)!.length, 1);
  assert.match(text, /^chargeback_cdc_iterator_age_seconds\{stage="event-source-mapping"\} 1\.5$/m);
  assert.ok(text.endsWith('\n'));
});

test('timings are histograms with cumulative buckets ending in +Inf = count', () => {
  const r = new MetricsRegistry();
  for (const ms of [3, 40, 40, 90_000]) r.observe('CommitDuration', ms);
  const text = renderPrometheus(r.collect());
  assert.match(text, /^# TYPE chargeback_cdc_commit_duration_seconds histogram$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_bucket\{stage="writer",le="0\.005"\} 1$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_bucket\{stage="writer",le="0\.05"\} 3$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_bucket\{stage="writer",le="60"\} 3$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_bucket\{stage="writer",le="\+Inf"\} 4$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_sum\{stage="writer"\} 90\.083$/m);
  assert.match(text, /^chargeback_cdc_commit_duration_seconds_count\{stage="writer"\} 4$/m);
});

test('every line is a comment or a valid sample line', () => {
  const r = new MetricsRegistry();
  r.add('StreamRecords', 2, { service: 'we"ird\\name\nx' });
  r.observe('ApiLatency', 12, { service: 'chargeback-api' });
  for (const line of renderPrometheus(r.collect()).trimEnd().split('\n')) {
    assert.match(
      line,
      /^(# (HELP|TYPE) \S+ .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? -?[0-9.e+Inf]+)$/,
      line,
    );
  }
});

test('property: escaped label values unescape to the original and never hold a raw quote or newline', () => {
  fc.assert(
    fc.property(fc.string(), (v) => {
      const e = escapeLabelValue(v);
      assert.ok(!/(^|[^\\])(\\\\)*"/.test(e) && !e.includes('\n'));
      assert.equal(
        e.replace(/\\(["\\n])/g, (_m, c: string) => (c === 'n' ? '\n' : c)),
        v,
      );
    }),
  );
});
