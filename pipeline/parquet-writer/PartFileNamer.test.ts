import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatPartFileName, parsePartFileName } from './PartFileNamer.ts';

describe('PartFileNamer', () => {
  it('names a part after its Kafka partition and offset range, prefix part, suffix .parquet', () => {
    assert.equal(formatPartFileName({ partition: 2, firstOffset: 42n, lastOffset: 99n }), 'part-2-0000000042-0000000099.parquet');
    assert.equal(
      formatPartFileName({ partition: 0, firstOffset: 12345678901n, lastOffset: 12345678901n }),
      'part-0-12345678901-12345678901.parquet',
    );
  });

  it('parses what it formats, for any partition and offsets (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 32n }),
        (partition, first, span) => {
          const name = { partition, firstOffset: first, lastOffset: first + span };
          assert.deepEqual(parsePartFileName(formatPartFileName(name)), name);
        },
      ),
    );
  });

  it('sorts names of one partition by offset while offsets fit the padding', () => {
    const names = [5n, 40n, 300n, 9_999_999_999n].map((o) => formatPartFileName({ partition: 1, firstOffset: o, lastOffset: o }));
    assert.deepEqual([...names].sort(), names);
  });

  it('does not take other files for part files', () => {
    for (const other of [
      'part-8c1f-0.parquet',
      'part-0-1-2.parquet.inprogress',
      '.part-0-1-2.parquet',
      'part-01-1-2.parquet',
      'part-0-5-2.parquet',
      'x.parquet',
    ]) {
      assert.equal(parsePartFileName(other), undefined, other);
    }
  });

  it('refuses an inverted offset range', () => {
    assert.throws(() => formatPartFileName({ partition: 0, firstOffset: 5n, lastOffset: 4n }), /first <= last/);
  });
});
