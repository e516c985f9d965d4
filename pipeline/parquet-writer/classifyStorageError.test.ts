import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isRetriableStorageError } from './LandingStore.ts';

const sdk = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });

describe('LandingStore error classification', () => {
  it('waits out an unreachable endpoint, 5xx, throttling and a bucket that does not exist yet', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      sdk('InternalError', 500),
      sdk('ServiceUnavailable', 503),
      sdk('SlowDown', 503),
      sdk('TooManyRequests', 429),
      sdk('RequestTimeout', 408),
      sdk('NoSuchBucket', 404),
      sdk('TimeoutError'),
    ]) {
      assert.equal(isRetriableStorageError(e), true, e.message);
    }
  });

  it('stops on refusals that waiting cannot fix', () => {
    for (const e of [sdk('AccessDenied', 403), sdk('InvalidRequest', 400), sdk('PreconditionFailed', 412)]) {
      assert.equal(isRetriableStorageError(e), false, e.message);
    }
  });
});
