import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toParquetRow } from '../schema/index.ts';
import { DuplicateFilter } from './DuplicateFilter.ts';
import { PartitionWriter } from './PartitionWriter.ts';
import { RollingPolicy, RollReason } from './RollingPolicy.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

const progress = { etag: '"e"', progress: {} as never };
const fresh = (through = -1n) => new PartitionWriter(0, { through, progress, dedup: new DuplicateFilter() }, 1 << 20, 0);

describe('PartitionWriter', () => {
  it('resumes right after the recovered checkpoint', () => {
    assert.equal(fresh(41n).nextOffset, 42n);
  });

  it('closes every open part of the partition in one checkpoint covering the last processed offset', () => {
    const pw = fresh();
    pw.append(toParquetRow(changeRecord(0)), '2026-01-31/23', 0n, 0);
    pw.markProcessed(0n, 0);
    pw.append(toParquetRow(changeRecord(1)), '2026-02-01/00', 1n, 1);
    pw.markProcessed(1n, 1);
    pw.markProcessed(2n, 2); // a poison record after them
    const snap = pw.takeCheckpoint('interval')!;
    assert.equal(snap.through, 2n);
    assert.deepEqual(
      snap.parts.map((p) => [p.bucket, p.firstOffset, p.lastOffset]),
      [
        ['2026-01-31/23', 0n, 0n],
        ['2026-02-01/00', 1n, 1n],
      ],
    );
    assert.equal(pw.openParts().length, 0);
    assert.equal(pw.takeCheckpoint('again'), undefined, 'nothing new');
  });

  it('checkpoints offsets of poison records and duplicates alone once the partition is idle', () => {
    const pw = fresh();
    const policy = new RollingPolicy({ rolloverMs: 1000 });
    pw.markProcessed(0n, 100);
    assert.equal(pw.rollReason(policy, 1099), undefined);
    assert.equal(pw.rollReason(policy, 1100), RollReason.INACTIVITY);
    const snap = pw.takeCheckpoint(RollReason.INACTIVITY)!;
    assert.deepEqual([snap.through, snap.parts.length], [0n, 0]);
  });

  it('counts open parts and in-flight uploads in its buffered bytes', () => {
    const pw = fresh();
    pw.append(toParquetRow(changeRecord(0)), 'b', 0n, 0);
    const open = pw.bufferedBytes;
    assert.ok(open > 0);
    pw.inFlightBytes = 1000;
    assert.equal(pw.bufferedBytes, open + 1000);
  });

  it('keeps counting the parts a checkpoint closed until the committer releases them (they may wait behind an upload)', () => {
    const pw = fresh();
    pw.append(toParquetRow(changeRecord(0)), 'b', 0n, 0);
    pw.markProcessed(0n, 0);
    const held = pw.bufferedBytes;
    const first = pw.takeCheckpoint('interval')!;
    assert.equal(pw.bufferedBytes, held, 'closed, not yet encoded: still held');
    pw.append(toParquetRow(changeRecord(1)), 'b', 1n, 1);
    pw.markProcessed(1n, 1);
    const second = pw.takeCheckpoint('interval')!;
    assert.ok(pw.bufferedBytes > held, 'a second checkpoint queued behind the first adds its bytes');
    for (const part of [...first.parts, ...second.parts]) pw.releaseClosed(part);
    assert.equal(pw.bufferedBytes, 0);
  });

  it('drops everything it buffered when invalidated', () => {
    const pw = fresh();
    pw.append(toParquetRow(changeRecord(0)), 'b', 0n, 0);
    pw.invalidate();
    assert.deepEqual([pw.invalidated, pw.openParts().length, pw.bufferedRows], [true, 0, 0]);
  });
});
