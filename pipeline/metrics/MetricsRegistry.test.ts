import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetricsRegistry, seriesKey, TIMING_BUCKETS_MS } from './MetricsRegistry.ts';
import { MetricUsageError, UnknownMetricError } from './errors.ts';

test('counters add, gauges and cumulative counters are set, timings fill buckets', () => {
  const r = new MetricsRegistry();
  r.add('RowsLanded', 3);
  r.add('RowsLanded', 2);
  r.set('FilesCommitted', 7);
  r.set('KafkaConsumerLag', 12, { Partition: '1' });
  r.observe('CommitDuration', 4);
  r.observe('CommitDuration', 70_000);
  const byKey = Object.fromEntries(r.collect().map((s) => [seriesKey(s.name, s.dims), s]));
  assert.equal(byKey.RowsLanded!.value, 5);
  assert.equal(byKey.FilesCommitted!.value, 7);
  assert.equal(byKey['KafkaConsumerLag{Partition=1}']!.value, 12);
  const t = byKey.CommitDuration!.timing!;
  assert.deepEqual([t.count, t.sum, t.buckets[0], t.buckets[TIMING_BUCKETS_MS.length]], [2, 70_004, 1, 1]);
});

test('a metric outside the catalogue, of the wrong kind or with the wrong dimensions is refused with the reason', () => {
  const r = new MetricsRegistry();
  assert.throws(
    () => r.add('RowsLandedTypo' as never, 1),
    (e: Error) => e instanceof UnknownMetricError && /catalogue/.test(e.message),
  );
  assert.throws(
    () => r.add('OpenBuckets', 1),
    (e: Error) => e instanceof MetricUsageError && /gauge/.test(e.message),
  );
  assert.throws(() => r.observe('RowsLanded', 1), MetricUsageError);
  assert.throws(() => r.set('KafkaConsumerLag', 1), /dimensions \[Partition\]; got \[\]/);
  assert.throws(() => r.add('RowsLanded', -1), /can only grow/);
});

test('collectors pull current values before every read, and can be removed', () => {
  const r = new MetricsRegistry();
  let open = 1;
  const off = r.onCollect(() => r.set('OpenBuckets', open));
  assert.equal(r.collect()[0]!.value, 1);
  open = 4;
  assert.equal(r.collect()[0]!.value, 4);
  off();
  open = 9;
  assert.equal(r.collect()[0]!.value, 4);
});

test('property: a timing counts every observation in exactly one bucket and sums them', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 200_000, noNaN: true }), { maxLength: 200 }), (values) => {
      const r = new MetricsRegistry();
      for (const v of values) r.observe('StreamBatchDuration', v, { service: 's' });
      const t = r.collect()[0]?.timing;
      if (values.length === 0) return assert.equal(t, undefined);
      assert.equal(
        t!.buckets.reduce((a, b) => a + b, 0),
        values.length,
      );
      assert.ok(Math.abs(t!.sum - values.reduce((a, b) => a + b, 0)) < 1e-6 * Math.max(1, t!.sum));
    }),
  );
});
