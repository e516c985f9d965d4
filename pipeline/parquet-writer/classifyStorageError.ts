import { CdcError } from '../errors/index.ts';
import { StorageRejectedError, StorageUnavailableError, UnexpectedStorageError } from './errors.ts';

/**
 * Turns whatever an S3 call threw into an error of our hierarchy, so the retry loop only has to
 * ask `canRetry`. Only failures known to be transient are waited out (StorageUnavailableError):
 * 5xx, 408, 429, throttling, a missing bucket (the local stack may still be creating it), and a
 * connection that failed, broke or timed out. Any other S3 answer (403, 400, …) is a
 * StorageRejectedError. Anything else — a TypeError, an SDK error we do not know — is an
 * UnexpectedStorageError: waiting cannot fix a bug, so the writer stops and says so instead of
 * logging "retrying" forever. Errors already classified pass through.
 */
interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  /** Set by the SDK on errors its own retry strategy would retry (throttling, transient). */
  $retryable?: { throttling?: boolean };
}

/**
 * Socket errors of a connection that was refused, reset, cut or timed out: the codes
 * @smithy/node-http-handler and @smithy/service-error-classification treat as transient, plus
 * a response body cut off mid-stream.
 */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Error names of timeouts (node-http-handler renames reset and timed-out sockets TimeoutError) and
 * of throttling, and NoSuchBucket: locally the stack may still be creating the bucket.
 */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'NoSuchBucket',
]);

/** The HTTP status of an SDK service error; undefined when no answer arrived. */
export function httpStatusOf(e: unknown): number | undefined {
  return (e as SdkError)?.$metadata?.httpStatusCode;
}

/** `Name CODE (HTTP 503): message`, for error messages and retry lines. */
export function describeSdkError(e: unknown): string {
  const err = e as SdkError;
  const status = httpStatusOf(e);
  return `${err?.name ?? 'Error'}${err?.code && err.code !== err.name ? ` ${err.code}` : ''}${status ? ` (HTTP ${status})` : ''}: ${err?.message ?? String(e)}`;
}

/** True when the error, or an error it wraps, is a known transient failure. */
function isTransient(e: unknown): boolean {
  let err = e as SdkError | undefined;
  for (let depth = 0; depth < 5 && err !== null && typeof err === 'object'; depth++) {
    if (err.$retryable) return true;
    if (err.name && TRANSIENT_NAMES.has(err.name)) return true;
    if (err.code && TRANSIENT_NETWORK_CODES.has(err.code)) return true;
    if (typeof err.message === 'string' && /socket hang up/i.test(err.message)) return true;
    err = err.cause as SdkError | undefined;
  }
  return false;
}

export function classifyStorageError(e: unknown, operation: string, bucket: string): CdcError {
  if (e instanceof CdcError) return e;
  const status = httpStatusOf(e);
  const where = `S3 ${operation} in bucket ${bucket}`;
  if (isTransient(e) || (status !== undefined && (status >= 500 || status === 408 || status === 429)))
    return new StorageUnavailableError(`${where} did not succeed: ${describeSdkError(e)}`, { cause: e });
  if (status !== undefined)
    return new StorageRejectedError(
      `${where} was refused: ${describeSdkError(e)}; check the bucket name, credentials and IAM policy`,
      { cause: e },
    );
  return new UnexpectedStorageError(
    `${where} failed with ${describeSdkError(e)}, which is neither an S3 answer nor a known transient network failure; ` +
      'retrying cannot fix it, so the writer stops (a bug or a client misconfiguration: see the cause)',
    { cause: e },
  );
}
