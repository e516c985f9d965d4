import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidLandingUriError } from './errors.ts';
import { landingUri, parseLandingUri } from './parseLandingUri.ts';

describe('parseLandingUri', () => {
  it('splits bucket and prefix, and makes the prefix a folder', () => {
    assert.deepEqual(parseLandingUri('s3://chargeback-cdc-landing/landing/chargebacks/'), {
      bucket: 'chargeback-cdc-landing',
      prefix: 'landing/chargebacks/',
    });
    assert.deepEqual(parseLandingUri('s3://b/landing/chargebacks/2026-01-31/2'), {
      bucket: 'b',
      prefix: 'landing/chargebacks/2026-01-31/2/',
    });
    assert.deepEqual(parseLandingUri('s3://b'), { bucket: 'b', prefix: '' });
    assert.equal(landingUri(parseLandingUri('s3://b/x')), 's3://b/x/');
  });

  it('refuses what is not an s3:// folder, saying what is expected', () => {
    for (const bad of ['landing/chargebacks/', 's3://', 'https://b/x/', 's3://b/x/part-0.parquet']) {
      assert.throws(
        () => parseLandingUri(bad),
        (e: unknown) => e instanceof InvalidLandingUriError && /--from/.test(e.message),
        bad,
      );
    }
  });
});
