import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLandedPartKey, splitLandedKey } from './listLandedFiles.ts';

const P = 'landing/chargebacks/';

describe('listLandedFiles', () => {
  it('lists committed .parquet part files', () => {
    assert.equal(isLandedPartKey(`${P}2026-01-31/23/part-0-0000000000-0000000099.parquet`, P), true);
    assert.equal(isLandedPartKey(`${P}2026-01-31/23/part-3f2a-0.parquet`, P), true, 'a Flink part file is landed data too');
  });

  it('skips hidden, in-progress, staging and state objects, and non-Parquet files', () => {
    for (const key of [
      `${P}2026-01-31/23/.part-0-1.parquet.inprogress.8c1f`,
      `${P}2026-01-31/23/_SUCCESS`,
      `${P}2026-01-31/23/_manifest.json`, // the hour closer's marker (pipeline/completeness)
      `${P}_state/partition-0.json`,
      `${P}_writer/pending/2026-01-31/23/part-0-0000000000-0000000099.parquet`,
      `${P}2026-01-31/23/part-0-1-2.json`,
      `other/2026-01-31/23/part-0-0000000000-0000000099.parquet`,
      P,
    ]) {
      assert.equal(isLandedPartKey(key, P), false, key);
    }
  });

  it('splits a landed key into bucket and name', () => {
    assert.deepEqual(splitLandedKey(`${P}2026-01-31/23/part-1-0000000005-0000000009.parquet`, P), {
      bucket: '2026-01-31/23',
      name: 'part-1-0000000005-0000000009.parquet',
    });
  });
});
