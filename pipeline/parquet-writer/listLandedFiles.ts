import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from './LandingStore.ts';
import type { S3ObjectInfo } from './ObjectStore.ts';

/**
 * Committed part files under a landing prefix, sorted by key. Hidden objects are skipped the way
 * Hadoop/Spark/Hive skip them — any path segment starting with `.` (Flink's in-progress
 * `.part-….inprogress.<uuid>`) or `_` (`_SUCCESS`, `_state/`, staging) — and so is anything that
 * is not a `.parquet` file. The embedded writer never puts an incomplete file under a visible
 * name, so what this returns is exactly what a reader may read.
 *
 * @example
 * const files = await listLandedFiles(s3, 'chargeback-cdc-landing', 'landing/chargebacks/');
 */
export async function listLandedFiles(s3: S3Client, bucket: string, prefix: string): Promise<S3ObjectInfo[]> {
  const objects = await listObjects(s3, bucket, prefix);
  return objects.filter((o) => isLandedPartKey(o.key, prefix)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function isLandedPartKey(key: string, prefix: string): boolean {
  if (!key.startsWith(prefix)) return false;
  const segments = key.slice(prefix.length).split('/').filter(Boolean);
  if (segments.length === 0) return false;
  if (segments.some((s) => s.startsWith('.') || s.startsWith('_'))) return false;
  return segments[segments.length - 1]!.endsWith('.parquet');
}

/** The bucket id (`YYYY-MM-DD/HH`) and file name of a landed key, relative to the landing prefix. */
export function splitLandedKey(key: string, prefix: string): { bucket: string; name: string } {
  const rel = key.slice(prefix.length);
  const i = rel.lastIndexOf('/');
  return { bucket: i < 0 ? '' : rel.slice(0, i), name: rel.slice(i + 1) };
}
