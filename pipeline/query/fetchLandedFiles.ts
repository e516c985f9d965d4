import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listLandedFiles } from '../parquet-writer/index.ts';
import { LandingFetchError } from './errors.ts';
import { landingUri, type LandingLocation } from './parseLandingUri.ts';

export interface FetchedFiles {
  /** Local paths of the downloaded part files, in the order of their keys. */
  readonly paths: string[];
  readonly bytes: number;
}

export interface FetchOptions {
  /** Downloads in flight at once (default 8): enough to hide S3 latency, few enough for a laptop. */
  readonly concurrency?: number;
  /** One line of progress at a time, for stderr. */
  readonly onProgress?: (line: string) => void;
}

/**
 * Downloads the committed part files under a landing prefix into `dir`, at most `concurrency`
 * at a time, each streamed to disk (memory stays flat however large the files). DuckDB's own S3
 * reader (httpfs) is not part of the bundled binary and cannot be installed offline, so the
 * files are read locally; committed parts never change, so the copy is exact.
 *
 * @example
 * const { paths } = await fetchLandedFiles(s3, { bucket: 'chargeback-cdc-landing', prefix: 'landing/chargebacks/' }, tmp);
 */
export async function fetchLandedFiles(
  s3: S3Client,
  location: LandingLocation,
  dir: string,
  options: FetchOptions = {},
): Promise<FetchedFiles> {
  const where = landingUri(location);
  const files = await listLandedFiles(s3, location.bucket, location.prefix).catch((e: unknown) => {
    throw fetchError(`listing ${where}`, e);
  });
  const progress = options.onProgress ?? (() => undefined);
  if (files.length === 0) {
    progress(`no committed files under ${where}: the views are empty`);
    return { paths: [], bytes: 0 };
  }
  return fetchFiles(s3, location.bucket, files, dir, { ...options, from: where });
}

/**
 * Downloads the given objects of one bucket into `dir` (see fetchLandedFiles): the part of a
 * query that does not care which copy of the chargebacks the keys come from.
 */
export async function fetchFiles(
  s3: S3Client,
  bucket: string,
  files: readonly { key: string; size: number }[],
  dir: string,
  options: FetchOptions & { readonly from?: string } = {},
): Promise<FetchedFiles> {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  const progress = options.onProgress ?? (() => undefined);
  if (files.length === 0) return { paths: [], bytes: 0 };
  progress(`fetching ${files.length} committed file(s), ${formatBytes(bytes)}, from ${options.from ?? `s3://${bucket}/`}`);
  const started = Date.now();
  // Local names are the file's position, not its key: no path or quoting surprises in SQL.
  const paths = files.map((_, i) => join(dir, `${String(i).padStart(6, '0')}.parquet`));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      const key = files[i]!.key;
      try {
        const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await pipeline(obj.Body as Readable, createWriteStream(paths[i]!));
      } catch (e) {
        next = files.length; // the others take no new work: the query fails as a whole
        throw fetchError(`fetching s3://${bucket}/${key}`, e);
      }
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 8, files.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  progress(`fetched ${files.length} file(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { paths, bytes };
}

export function fetchError(what: string, e: unknown): LandingFetchError {
  const err = e as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  if (err.name === 'NoSuchBucket')
    return new LandingFetchError(`${what}: the bucket does not exist (is the local stack up? \`chargeback-cdc stack up\`)`, {
      cause: e,
      canRetry: false,
    });
  if (err.code === 'ECONNREFUSED' || (err.message ?? '').includes('ECONNREFUSED'))
    return new LandingFetchError(
      `${what}: S3 at ${process.env.AWS_ENDPOINT_URL ?? 'its AWS endpoint'} refused the connection (is the local stack up? \`chargeback-cdc stack up\`)`,
      { cause: e, canRetry: true },
    );
  // A consolidated day's listed file deleted after its manifest was read: a newer run superseded it.
  if (err.name === 'NoSuchKey' || status === 404)
    return new LandingFetchError(
      `${what}: the object is gone (a newer consolidation of its day replaced it, see pipeline/consolidation/README.md); run the query again`,
      { cause: e, canRetry: true },
    );
  return new LandingFetchError(
    `${what}: ${err.name ?? 'error'}${status ? ` (HTTP ${status})` : ''}: ${err.message ?? String(e)}`,
    {
      cause: e,
      canRetry: status === undefined || status >= 500 || status === 429,
    },
  );
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
