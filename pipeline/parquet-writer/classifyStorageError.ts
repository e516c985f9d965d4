import { CdcError } from '../errors/index.ts';
import { StorageRejectedError, StorageUnavailableError } from './errors.ts';

/**
 * Turns whatever an S3 call threw into an error of our hierarchy, so the retry loop only has to
 * ask `canRetry`: transport failures, 5xx, 408, 429 and a missing bucket (the local stack may
 * still be creating it) are StorageUnavailableError (waited out); any other S3 answer (403,
 * 400, …) is a StorageRejectedError (the writer stops). Errors already classified pass through.
 */
interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

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

export function classifyStorageError(e: unknown, operation: string, bucket: string): CdcError {
  if (e instanceof CdcError) return e;
  const status = httpStatusOf(e);
  const where = `S3 ${operation} in bucket ${bucket}`;
  if ((e as SdkError)?.name === 'NoSuchBucket' || status === undefined || status >= 500 || status === 408 || status === 429)
    return new StorageUnavailableError(`${where} did not succeed: ${describeSdkError(e)}`, { cause: e });
  return new StorageRejectedError(
    `${where} was refused: ${describeSdkError(e)}; check the bucket name, credentials and IAM policy`,
    { cause: e },
  );
}
