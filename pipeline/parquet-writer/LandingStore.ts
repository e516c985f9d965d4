import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import type { AwsClientConfig } from '../aws/index.ts';
import { classifyStorageError, describeSdkError, httpStatusOf } from './classifyStorageError.ts';
import { ConditionalWriteConflictError } from './errors.ts';
import { retryForever, type BackoffOptions, type RetryInfo } from './retryForever.ts';
import type { ObjectStore, S3ObjectInfo } from './ObjectStore.ts';

/**
 * The writer's only door to S3: every failure is classified (`classifyStorageError`) and retried
 * forever while it `canRetry`, with a RetryInfo for the log line; a failed If-Match/If-None-Match
 * is a ConditionalWriteConflictError. 404 is an answer, not an error, for get/head/copy.
 */
export interface LandingStoreOptions {
  bucket: string;
  backoff?: BackoffOptions;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
}

function isNotFound(e: unknown): boolean {
  return httpStatusOf(e) === 404 && (e as { name?: string })?.name !== 'NoSuchBucket';
}

/**
 * S3 client options for the writer: our own retry loop replaces the SDK's (maxAttempts 1, so one
 * log line per attempt), and requests time out instead of hanging on a half-dead endpoint.
 */
export function s3ClientFor(aws: AwsClientConfig): S3Client {
  const config: S3ClientConfig = {
    ...aws,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 60_000 },
  };
  return new S3Client(config);
}

export class LandingStore implements ObjectStore {
  readonly bucket: string;

  constructor(
    readonly s3: S3Client,
    private readonly options: LandingStoreOptions,
  ) {
    this.bucket = options.bucket;
  }

  private retry<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    const classified = async () => {
      try {
        return await fn();
      } catch (e) {
        throw classifyStorageError(e, operation, this.bucket);
      }
    };
    return retryForever(operation, classified, {
      backoff: this.options.backoff,
      onRetry: this.options.onRetry,
      signal: this.options.signal,
    });
  }

  /** Puts an object; with a condition, a lost race is a ConditionalWriteConflictError. Returns the ETag. */
  putObject(
    key: string,
    body: Uint8Array,
    condition: { ifMatch?: string; ifNoneMatch?: '*' } = {},
    contentType = 'application/octet-stream',
  ): Promise<string> {
    return this.retry(`PutObject ${key}`, async () => {
      try {
        const out = await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: body,
            ContentType: contentType,
            IfMatch: condition.ifMatch,
            IfNoneMatch: condition.ifNoneMatch,
          }),
        );
        return out.ETag ?? '';
      } catch (e) {
        const status = httpStatusOf(e);
        // 412 Precondition Failed; 404 on If-Match (the object is gone); 409 ConditionalRequestConflict (AWS, concurrent conditional writes).
        if (
          (condition.ifMatch || condition.ifNoneMatch) &&
          (status === 412 || status === 409 || (status === 404 && condition.ifMatch))
        ) {
          throw new ConditionalWriteConflictError(
            `conditional PutObject ${key} lost to a concurrent writer: ${describeSdkError(e)}`,
            {
              cause: e,
            },
          );
        }
        throw e;
      }
    });
  }

  /** The object's bytes and ETag, or undefined when it does not exist. */
  getObject(key: string): Promise<{ body: Uint8Array; etag: string } | undefined> {
    return this.retry(`GetObject ${key}`, async () => {
      try {
        const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        const body = await out.Body!.transformToByteArray();
        return { body, etag: out.ETag ?? '' };
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    });
  }

  exists(key: string): Promise<boolean> {
    return this.retry(`HeadObject ${key}`, async () => {
      try {
        await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    });
  }

  /** Server-side copy; the destination appears whole or not at all. Returns false when the source is gone. */
  copyObject(sourceKey: string, destinationKey: string): Promise<boolean> {
    return this.retry(`CopyObject ${sourceKey} -> ${destinationKey}`, async () => {
      try {
        await this.s3.send(
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key: destinationKey,
            CopySource: `${this.bucket}/${sourceKey.split('/').map(encodeURIComponent).join('/')}`,
          }),
        );
        return true;
      } catch (e) {
        if (isNotFound(e)) return false;
        throw e;
      }
    });
  }

  deleteObject(key: string): Promise<void> {
    return this.retry(`DeleteObject ${key}`, async () => {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    });
  }

  async listObjects(prefix: string): Promise<S3ObjectInfo[]> {
    return listObjects(this.s3, this.bucket, prefix, (op, fn) => this.retry(op, fn));
  }
}

/** Every object under a prefix (all pages), as key/size/lastModified. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  run: <T>(operation: string, fn: () => Promise<T>) => Promise<T> = (_op, fn) => fn(),
): Promise<S3ObjectInfo[]> {
  const out: S3ObjectInfo[] = [];
  let token: string | undefined;
  do {
    const page = await run(`ListObjectsV2 ${prefix}`, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}
