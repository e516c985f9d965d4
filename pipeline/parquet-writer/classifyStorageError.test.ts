import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyStorageError } from './classifyStorageError.ts';
import {
  ConditionalWriteConflictError,
  StorageRejectedError,
  StorageUnavailableError,
  UnexpectedStorageError,
} from './errors.ts';

const sdk = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: status === undefined ? {} : { httpStatusCode: status } });
const classify = (e: unknown) => classifyStorageError(e, 'PutObject k', 'b');

describe('classifyStorageError', () => {
  it('waits out an unreachable endpoint, broken connections, timeouts, 5xx, throttling and a bucket that does not exist yet', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' }),
      new Error('socket hang up'),
      Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }),
      new Error('request failed', { cause: Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }) }),
      Object.assign(new Error('Please reduce your request rate.'), {
        name: 'SlowDown',
        $retryable: { throttling: true },
        $metadata: {},
      }),
      sdk('InternalError', 500),
      sdk('ServiceUnavailable', 503),
      sdk('SlowDown', 503),
      sdk('TooManyRequests', 429),
      sdk('RequestTimeout', 408),
      sdk('NoSuchBucket', 404),
      sdk('TimeoutError'),
    ]) {
      const c = classify(e);
      assert.ok(c instanceof StorageUnavailableError, e.message);
      assert.equal(c.canRetry, true, e.message);
      assert.equal(c.cause, e);
    }
  });

  it('stops on refusals that waiting cannot fix, naming the operation and what to check', () => {
    for (const e of [sdk('AccessDenied', 403), sdk('InvalidRequest', 400), sdk('PreconditionFailed', 412)]) {
      const c = classify(e);
      assert.ok(c instanceof StorageRejectedError, e.message);
      assert.equal(c.canRetry, false, e.message);
      assert.match(c.message, /^S3 PutObject k in bucket b was refused: .*check the bucket name, credentials and IAM policy$/);
    }
  });

  it('does not retry a programming error: a TypeError stops the writer with the operation and the cause', () => {
    for (const e of [
      new TypeError("Cannot read properties of undefined (reading 'transformToByteArray')"),
      new RangeError('Invalid array length'),
      'a thrown string',
      sdk('UnknownSdkFailure'),
    ]) {
      const c = classify(e);
      assert.ok(c instanceof UnexpectedStorageError, String(e));
      assert.equal(c.canRetry, false, String(e));
      assert.equal(c.code, 'PW_STORAGE_UNEXPECTED');
      assert.equal(c.cause, e);
      assert.match(c.message, /^S3 PutObject k in bucket b failed with .*retrying cannot fix it, so the writer stops/);
    }
  });

  it('passes errors that are already classified through unchanged', () => {
    const conflict = new ConditionalWriteConflictError('lost');
    assert.equal(classify(conflict), conflict);
  });
});
