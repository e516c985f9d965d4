import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isComplete, logWentBack } from './LogEndSnapshot.ts';

const offsets = (o: Record<number, bigint>) => new Map(Object.entries(o).map(([p, v]) => [Number(p), v]));

describe('completeness rule (snapshot of log ends + committed offsets)', () => {
  it('is complete when every partition committed at least its log end', () => {
    assert.deepEqual(isComplete({ logEnd: offsets({ 0: 10n, 1: 5n, 2: 7n }) }, offsets({ 0: 10n, 1: 9n, 2: 7n })), {
      complete: true,
    });
  });

  it('is not complete while one partition is behind, and names it with both offsets', () => {
    assert.deepEqual(isComplete({ logEnd: offsets({ 0: 10n, 1: 5n }) }, offsets({ 0: 10n, 1: 4n })), {
      complete: false,
      behind: [{ partition: 1, committed: 4n, logEnd: 5n }],
    });
  });

  it('is not complete for a partition with records the group never committed', () => {
    assert.deepEqual(isComplete({ logEnd: offsets({ 0: 3n }) }, offsets({})), {
      complete: false,
      behind: [{ partition: 0, committed: undefined, logEnd: 3n }],
    });
  });

  it('needs no commit on a partition that was empty at the snapshot', () => {
    assert.deepEqual(isComplete({ logEnd: offsets({ 0: 0n, 1: 2n }) }, offsets({ 1: 2n })), { complete: true });
  });

  it('ignores partitions created after the snapshot (their records came later)', () => {
    assert.deepEqual(isComplete({ logEnd: offsets({ 0: 2n }) }, offsets({ 0: 2n, 3: 0n })), { complete: true });
  });

  it('is complete exactly when no partition is below its log end (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ end: fc.bigInt({ min: 0n, max: 1000n }), committed: fc.option(fc.bigInt({ min: 0n, max: 1000n })) }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        (parts) => {
          const logEnd = new Map(parts.map((p, i) => [i, p.end]));
          const committed = new Map(parts.flatMap((p, i) => (p.committed === null ? [] : [[i, p.committed] as const])));
          const expected = parts.every((p) => p.end === 0n || (p.committed !== null && p.committed >= p.end));
          const verdict = isComplete({ logEnd }, committed);
          assert.equal(verdict.complete, expected);
          if (!verdict.complete) assert.ok(verdict.behind.length > 0);
        },
      ),
    );
  });

  it('notices a log that went back (topic re-created, Kafka re-formatted)', () => {
    assert.equal(logWentBack({ logEnd: offsets({ 0: 10n }) }, offsets({ 0: 3n })), true);
    assert.equal(logWentBack({ logEnd: offsets({ 0: 10n }) }, offsets({ 0: 10n, 1: 0n })), false);
  });
});
