import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidSourceError } from './errors.ts';
import { resolveQueryTarget } from './queryTarget.ts';

const defaults = {
  bucket: 'chargeback-cdc-landing',
  landingPrefix: 'landing/chargebacks/',
  consolidatedPrefix: 'consolidated/chargebacks/',
};

describe('resolveQueryTarget (--from, --source)', () => {
  it('reads the environment bucket by the read rule when --from is absent', () => {
    assert.deepEqual(resolveQueryTarget({ source: 'auto', defaults }), { kind: 'zone', layout: defaults, source: 'auto' });
  });

  it('a bucket or its landing root is read by --source, with the environment prefixes', () => {
    for (const from of ['s3://other', 's3://other/', 's3://other/landing/chargebacks/', 's3://other/landing/chargebacks'])
      assert.deepEqual(resolveQueryTarget({ from, source: 'consolidated', defaults }), {
        kind: 'zone',
        layout: { ...defaults, bucket: 'other' },
        source: 'consolidated',
      });
  });

  it('a folder inside the landing zone is read as it is, and auto says so', () => {
    const from = 's3://b/landing/chargebacks/2026-01-31/23/';
    const auto = resolveQueryTarget({ from, source: 'auto', defaults });
    assert.equal(auto.kind, 'prefix');
    assert.deepEqual(auto.kind === 'prefix' && auto.location, { bucket: 'b', prefix: 'landing/chargebacks/2026-01-31/23/' });
    assert.match(
      (auto.kind === 'prefix' && auto.note) || '',
      /is not a bucket or its landing root: its committed part files are read as they are/,
    );
    assert.deepEqual(resolveQueryTarget({ from, source: 'landing', defaults }), {
      kind: 'prefix',
      location: { bucket: 'b', prefix: 'landing/chargebacks/2026-01-31/23/' },
    });
  });

  it('refuses --source consolidated on a folder, and an unknown source, naming the flag', () => {
    assert.throws(
      () => resolveQueryTarget({ from: 's3://b/landing/chargebacks/2026-01-31/', source: 'consolidated', defaults }),
      (e: unknown) =>
        e instanceof InvalidSourceError &&
        e.message ===
          '--source consolidated reads whole days of a bucket: give --from s3://b/ or s3://b/landing/chargebacks/, not s3://b/landing/chargebacks/2026-01-31/',
    );
    assert.throws(
      () => resolveQueryTarget({ source: 'glue', defaults }),
      (e: unknown) =>
        e instanceof InvalidSourceError && e.message === '--source must be one of auto, landing, consolidated, got "glue"',
    );
  });
});
