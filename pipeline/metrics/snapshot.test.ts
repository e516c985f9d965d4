import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetricsRegistry, seriesKey, type Series } from './MetricsRegistry.ts';
import { flatten, mergeSeries, snapshotOf } from './snapshot.ts';

test('merging two processes adds counters and timings, sums open buckets and takes the largest lag', () => {
  const a = new MetricsRegistry();
  const b = new MetricsRegistry();
  a.set('RowsLanded', 10);
  b.set('RowsLanded', 5);
  a.set('OpenBuckets', 2);
  b.set('OpenBuckets', 1);
  a.set('IteratorAge', 300);
  b.set('IteratorAge', 900);
  a.observe('CommitDuration', 10);
  b.observe('CommitDuration', 30);
  const merged = Object.fromEntries(mergeSeries([a.collect(), b.collect()]).map((s) => [seriesKey(s.name, s.dims), s]));
  assert.equal(merged.RowsLanded!.value, 15);
  assert.equal(merged.OpenBuckets!.value, 3);
  assert.equal(merged.IteratorAge!.value, 900);
  assert.deepEqual([merged.CommitDuration!.timing!.count, merged.CommitDuration!.timing!.sum], [2, 40]);
  assert.deepEqual(flatten(Object.values(merged)), {
    'CommitDuration.count': 2,
    'CommitDuration.sum': 40,
    IteratorAge: 900,
    OpenBuckets: 3,
    RowsLanded: 15,
  });
});

test('a snapshot names the components of its process', () => {
  const r = new MetricsRegistry();
  r.components.add('writer');
  r.add('FilesCommitted', 1);
  const s = snapshotOf(r, 1000, 42);
  assert.deepEqual([s.version, s.pid, s.components, s.at, s.series.length], [1, 42, ['writer'], 1000, 1]);
});

test('series of metrics no longer in the catalogue are dropped when merging (an older process may still report them)', () => {
  const old: Series = { name: 'Retired' as never, dims: {}, kind: 'counter', value: 1 };
  assert.deepEqual(mergeSeries([[old]]), []);
});

test('property: merging is independent of the order of the processes', () => {
  const counts = fc.array(fc.record({ rows: fc.nat(1000), lag: fc.nat(1000), partition: fc.constantFrom('0', '1', '2') }), {
    minLength: 1,
    maxLength: 6,
  });
  fc.assert(
    fc.property(counts, (procs) => {
      const lists = procs.map((p) => {
        const r = new MetricsRegistry();
        r.set('RowsLanded', p.rows);
        r.set('KafkaConsumerLag', p.lag, { Partition: p.partition });
        return r.collect();
      });
      assert.deepEqual(mergeSeries(lists), mergeSeries([...lists].reverse()));
      assert.equal(
        mergeSeries(lists).find((s) => s.name === 'RowsLanded')!.value,
        procs.reduce((n, p) => n + p.rows, 0),
      );
    }),
  );
});
