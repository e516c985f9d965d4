import { CdcError } from '../errors/index.ts';
import { WriterStoppedError } from './errors.ts';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 200, maxDelayMs: 30_000 };

export interface RetryInfo {
  operation: string;
  attempt: number;
  delayMs: number;
  error: Error;
}

export interface RetryOptions {
  backoff?: BackoffOptions;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
  /** Injected for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/**
 * Whether waiting can help, asked of the error itself: only an error of our hierarchy that says
 * `canRetry`. Anything else — a TypeError, an SDK error nobody classified — is not retried.
 */
export function canRetry(e: unknown): boolean {
  return e instanceof CdcError && e.canRetry;
}

/** "Equal jitter": half the exponential delay plus a random half, so retries of many writers spread out. */
export function backoffDelay(attempt: number, backoff: BackoffOptions, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * Retries an operation with exponential backoff and jitter until it succeeds, fails with an error
 * that cannot be retried (`canRetry`), or the signal aborts. Callers turn the failures they know
 * to be transient into such errors. Storage and DLQ outages never lose or duplicate records: the
 * caller holds the offsets back until the operation has succeeded, so waiting is always safe.
 */
export async function retryForever<T>(operation: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new WriterStoppedError(`${operation}: abandoned because the writer is stopping`);
    try {
      return await fn();
    } catch (e) {
      if (!canRetry(e)) throw e;
      const delayMs = backoffDelay(attempt, backoff, options.random);
      options.onRetry?.({ operation, attempt, delayMs, error: e instanceof Error ? e : new Error(String(e)) });
      await sleep(delayMs, options.signal);
    }
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
