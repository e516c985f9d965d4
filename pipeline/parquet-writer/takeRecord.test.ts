import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeChangeRecord } from '../schema/index.ts';
import { eventTimeBucketAssigner, processingTimeBucketAssigner } from './BucketAssigner.ts';
import { DuplicateFilter } from './DuplicateFilter.ts';
import { PartitionWriter } from './PartitionWriter.ts';
import { takeRecord, type TakeRecordContext } from './takeRecord.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

const NOW = Date.UTC(2026, 0, 31, 22, 30);
const fresh = () =>
  new PartitionWriter(
    0,
    { through: -1n, progress: { etag: '', progress: {} as never }, dedup: new DuplicateFilter() },
    1 << 20,
    0,
  );
function ctx(letters: string[] = [], assigner = processingTimeBucketAssigner): TakeRecordContext {
  return { assigner, nowMs: NOW, deadLetter: async (r) => void letters.push(r) };
}

describe('takeRecord', () => {
  it('appends a valid record to the open part of its processing-time bucket', async () => {
    const pw = fresh();
    const out = await takeRecord(pw, 0n, encodeChangeRecord(changeRecord(1)), ctx());
    assert.equal(out.kind, 'appended');
    assert.deepEqual(
      pw.openParts().map((p) => [p.bucket, p.firstOffset, p.lastOffset]),
      [['2026-01-31/22', 0n, 0n]],
    );
    assert.equal(pw.nextOffset, 1n);
  });

  it('dead-letters poison with a reason a person can act on, before the offset counts as processed', async () => {
    const cases: Array<[Uint8Array | null, RegExp]> = [
      [Buffer.from([0xc3, 0x28]), /value: is not valid UTF-8/],
      [Buffer.from('{"schema_version": 1,'), /value: is not JSON/],
      [null, /value: is empty/],
      [encodeChangeRecord({ ...changeRecord(1), schema_version: 2 }), /schema_version: unknown schema_version 2/],
      [
        encodeChangeRecord({ ...changeRecord(1), amount: '1.234', currency: 'USD' }),
        /amount: has 3 decimal places but USD allows at most 2/,
      ],
      [
        Buffer.from(JSON.stringify(changeRecord(1)).replace('item not received', '\\ud800')),
        /reason: contains a lone UTF-16 surrogate/,
      ],
    ];
    for (const [value, reason] of cases) {
      const pw = fresh();
      const letters: string[] = [];
      let processedBeforeLetter = false;
      const out = await takeRecord(pw, 7n, value, {
        ...ctx(letters),
        deadLetter: async (r) => {
          processedBeforeLetter = pw.nextOffset === 8n;
          letters.push(r);
        },
      });
      assert.equal(out.kind, 'dead-lettered');
      assert.match(letters[0]!, reason);
      assert.equal(processedBeforeLetter, false);
      assert.equal(pw.nextOffset, 8n);
      assert.equal(pw.openParts().length, 0);
    }
  });

  it('does not count a poison record as processed when its dead letter fails', async () => {
    const pw = fresh();
    await assert.rejects(
      takeRecord(pw, 3n, Buffer.from('x'), { ...ctx(), deadLetter: async () => Promise.reject(new Error('DLQ down')) }),
      /DLQ down/,
    );
    assert.equal(pw.nextOffset, 0n);
  });

  it('drops an upstream duplicate and moves on', async () => {
    const pw = fresh();
    const bytes = encodeChangeRecord(changeRecord(1));
    await takeRecord(pw, 0n, bytes, ctx());
    const out = await takeRecord(pw, 1n, bytes, ctx());
    assert.equal(out.kind, 'duplicate');
    assert.equal(pw.bufferedRows, 1);
    assert.equal(pw.nextOffset, 2n);
  });

  it('lands a record whose append failed when Kafka delivers it again, instead of dropping it as a duplicate', async () => {
    const pw = fresh();
    const bytes = encodeChangeRecord(changeRecord(1));
    const append = pw.append.bind(pw);
    pw.append = () => {
      throw new Error('row group encoding failed');
    };
    await assert.rejects(takeRecord(pw, 0n, bytes, ctx()), /row group encoding failed/);
    pw.append = append;
    const redelivered = await takeRecord(pw, 0n, bytes, ctx());
    assert.equal(redelivered.kind, 'appended');
    assert.equal(pw.bufferedRows, 1);
    assert.equal(pw.nextOffset, 1n);
  });

  it('lands a late record in its own event hour with bucketBy event-time, and says it was late', async () => {
    const pw = fresh();
    const out = await takeRecord(
      pw,
      0n,
      encodeChangeRecord(changeRecord(1, { event_time: '2026-01-30T05:00:00.000Z' })),
      ctx([], eventTimeBucketAssigner),
    );
    assert.equal(out.kind === 'appended' && out.late, true);
    assert.equal(pw.openParts()[0]!.bucket, '2026-01-30/05');
  });
});
