import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { S3Client } from '@aws-sdk/client-s3';
import { StorageUnavailableError, UnexpectedStorageError } from './errors.ts';
import { LandingStore } from './LandingStore.ts';
import type { RetryInfo } from './retryForever.ts';

/** A stand-in for the SDK client whose `send` fails as scripted, then succeeds (unit test of LandingStore alone). */
function s3Failing(...failures: unknown[]): { s3: S3Client; calls: () => number } {
  let calls = 0;
  const send = async () => {
    const failure = failures[calls++];
    if (failure !== undefined) throw failure;
    return { ETag: '"etag"' };
  };
  return { s3: { send } as unknown as S3Client, calls: () => calls };
}

function storeOver(s3: S3Client, retries: RetryInfo[]) {
  const abort = new AbortController();
  const store = new LandingStore(s3, {
    bucket: 'b',
    backoff: { initialDelayMs: 1, maxDelayMs: 1 },
    // A test that would retry forever stops after a few attempts instead of hanging.
    onRetry: (i) => {
      retries.push(i);
      if (retries.length >= 3) abort.abort();
    },
    signal: abort.signal,
  });
  return store;
}

describe('LandingStore', () => {
  it('stops at once on a programming error (TypeError) instead of logging "retrying" forever', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'ETag')");
    const { s3, calls } = s3Failing(bug, bug, bug, bug);
    const retries: RetryInfo[] = [];
    await assert.rejects(storeOver(s3, retries).putObject('k', new Uint8Array([1])), (e: unknown) => {
      assert.ok(e instanceof UnexpectedStorageError, `got ${String(e)}`);
      assert.equal(e.cause, bug);
      assert.match(e.message, /S3 PutObject k in bucket b failed with TypeError/);
      return true;
    });
    assert.deepEqual(
      retries.map((r) => r.error.message),
      [],
    );
    assert.equal(calls(), 1);
  });

  it('waits out a reset connection and succeeds, reporting the retry', async () => {
    const { s3, calls } = s3Failing(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' }));
    const retries: RetryInfo[] = [];
    assert.equal(await storeOver(s3, retries).putObject('k', new Uint8Array([1])), '"etag"');
    assert.equal(calls(), 2);
    assert.equal(retries.length, 1);
    assert.ok(retries[0]!.error instanceof StorageUnavailableError);
    assert.match(retries[0]!.error.message, /PutObject k .*socket hang up/);
  });
});
