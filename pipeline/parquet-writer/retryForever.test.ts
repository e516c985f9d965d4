import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, retryForever, type RetryInfo } from './retryForever.ts';
import { WriterStoppedError } from './errors.ts';

const noSleep = async () => undefined;

describe('retryForever', () => {
  it('retries a retriable failure until it succeeds, reporting every attempt', async () => {
    let calls = 0;
    const seen: RetryInfo[] = [];
    const result = await retryForever(
      'PutObject k',
      async () => (++calls < 5 ? Promise.reject(new Error('ECONNREFUSED')) : 'ok'),
      {
        isRetriable: () => true,
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

  it('throws a non-retriable failure at once', async () => {
    let calls = 0;
    await assert.rejects(
      retryForever('x', async () => Promise.reject(new Error(`403 #${++calls}`)), { isRetriable: () => false, sleep: noSleep }),
      /403 #1/,
    );
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
        throw new Error('503');
      },
      { isRetriable: () => true, signal: ac.signal, sleep: noSleep },
    );
    await assert.rejects(p, WriterStoppedError);
    assert.equal(calls, 2);
  });
});
