import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BucketBy, bucketIdOf, bucketStartMs, createBucketAssigner, isBucketId } from './BucketAssigner.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

describe('BucketAssigner', () => {
  it('names the bucket YYYY-MM-DD/HH in UTC, whatever the machine zone', () => {
    assert.equal(bucketIdOf(Date.UTC(2026, 0, 31, 23, 59, 59, 999)), '2026-01-31/23');
    assert.equal(bucketIdOf(Date.UTC(2026, 1, 1, 0, 0, 0, 0)), '2026-02-01/00');
    assert.equal(bucketIdOf(Date.UTC(2024, 1, 29, 7, 30)), '2024-02-29/07');
  });

  it('puts the last millisecond of an hour and the first of the next in different buckets', () => {
    const boundary = Date.UTC(2026, 2, 29, 1, 0, 0, 0); // a European DST change day: UTC has no gap
    assert.equal(bucketIdOf(boundary - 1), '2026-03-29/00');
    assert.equal(bucketIdOf(boundary), '2026-03-29/01');
  });

  it('uses processing time by default, like Flink DateTimeBucketAssigner with UTC', () => {
    const assigner = createBucketAssigner(BucketBy.PROCESSING_TIME);
    const record = changeRecord(1, { event_time: '2020-05-05T05:05:05.005Z' });
    assert.equal(assigner.bucketFor(record, Date.UTC(2026, 0, 31, 22, 10)), '2026-01-31/22');
  });

  it('uses the record event_time with bucketBy event-time, also for late records', () => {
    const assigner = createBucketAssigner(BucketBy.EVENT_TIME);
    const record = changeRecord(1, { event_time: '2026-01-30T03:59:59.999Z' });
    assert.equal(assigner.bucketFor(record, Date.UTC(2026, 0, 31, 22, 10)), '2026-01-30/03');
  });

  it('bucket ids sort like time and start at their hour (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), fc.integer({ min: 0, max: 10 * 3_600_000 }), (t, d) => {
        const id = bucketIdOf(t);
        assert.ok(isBucketId(id));
        assert.ok(bucketStartMs(id) <= t && t < bucketStartMs(id) + 3_600_000);
        assert.ok(bucketIdOf(t) <= bucketIdOf(t + d));
      }),
    );
  });
});
