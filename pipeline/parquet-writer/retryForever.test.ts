import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, retryForever, type RetryInfo } from './retryForever.ts';
import { StorageRejectedError, StorageUnavailableError, WriterStoppedError } from './errors.ts';

const noSleep = async () => undefined;

describe('retryForever', () => {
  it('retries a failure that canRetry until it succeeds, reporting every attempt', async () => {
    let calls = 0;
    const seen: RetryInfo[] = [];
    const result = await retryForever(
      'PutObject k',
      async () => (++calls < 5 ? Promise.reject(new StorageUnavailableError('ECONNREFUSED')) : 'ok'),
      {
        onRetry: (i) => seen.push(i),
        sleep: noSleep,
      },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(
      seen.map((s) => [s.operation, s.attempt, s.error.message]),
      [1, 2, 3, 4].map((a) => ['PutObject k', a, 'ECONNREFUSED']),
    );
  });

  it('throws a failure that cannot be retried at once', async () => {
    let calls = 0;
    await assert.rejects(
      retryForever('x', async () => Promise.reject(new StorageRejectedError(`403 #${++calls}`)), { sleep: noSleep }),
      /403 #1/,
    );
  });

  it('throws an error outside the hierarchy (a programming error) at once instead of retrying it', async () => {
    let calls = 0;
    await assert.rejects(
      retryForever(
        'x',
        async () => {
          calls++;
          throw new TypeError("Cannot read properties of undefined (reading 'ETag')");
        },
        { sleep: noSleep },
      ),
      TypeError,
    );
    assert.equal(calls, 1);
  });

  it('backs off exponentially with jitter, capped at maxDelayMs', () => {
    const b = { initialDelayMs: 200, maxDelayMs: 30_000 };
    assert.equal(
      backoffDelay(1, b, () => 0),
      100,
    );
    assert.equal(
      backoffDelay(1, b, () => 1),
      200,
    );
    assert.equal(
      backoffDelay(4, b, () => 1),
      1_600,
    );
    assert.equal(
      backoffDelay(60, b, () => 1),
      30_000,
    );
    assert.equal(
      backoffDelay(60, b, () => 0),
      15_000,
    );
  });

  it('gives up with WriterStoppedError once the writer is stopping', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = retryForever(
      'x',
      async () => {
        if (++calls === 2) ac.abort();
        throw new StorageUnavailableError('503');
      },
      { signal: ac.signal, sleep: noSleep },
    );
    await assert.rejects(p, WriterStoppedError);
    assert.equal(calls, 2);
  });
});
