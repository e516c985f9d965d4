import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { S3ObjectInfo } from '../parquet-writer/index.ts';
import { fetchError, fetchFiles } from './fetchLandedFiles.ts';
import { describeReadSet, planReadSet, type QuerySource, type ReadStore, type ZoneLayout } from './planReadSet.ts';
import type { QueryResult } from './QuerySession.ts';
import { type QueryLandingOptions, queryFetched } from './queryLanding.ts';

/**
 * Runs one SQL statement over a bucket's chargebacks, each day read once from the copy the read
 * rule picks (`planReadSet`; README.md § "Which copy of a day is read"): a day whose consolidated
 * manifest says complete from the files that manifest lists, every other day from its committed
 * landing part files. `source` narrows it to one copy.
 *
 * @example
 * const r = await queryChargebacks(s3, { bucket: 'chargeback-cdc-landing', landingPrefix: 'landing/chargebacks/',
 *   consolidatedPrefix: 'consolidated/chargebacks/' }, 'auto', 'SELECT count(*), sum(amount) FROM chargeback_changes');
 */
export function queryChargebacks(
  s3: S3Client,
  layout: ZoneLayout,
  source: QuerySource,
  sql: string,
  options: QueryLandingOptions = {},
): Promise<QueryResult> {
  return queryFetched(sql, options, async (dir) => {
    const plan = await planReadSet(s3ReadStore(s3, layout.bucket), layout, source);
    const where = `s3://${layout.bucket}/ (${source === 'auto' ? 'read rule' : `${source} only`})`;
    const progress = options.onProgress ?? (() => undefined);
    if (plan.files.length === 0) {
      progress(`no committed files under ${where}: the views are empty`);
      return { paths: [], bytes: 0 };
    }
    progress(describeReadSet(plan, `s3://${layout.bucket}/`));
    return fetchFiles(s3, layout.bucket, plan.files, dir, { ...options, from: where });
  });
}

/** The planner's view of one bucket over a plain S3 client; failures are LandingFetchErrors naming what was read. */
export function s3ReadStore(s3: S3Client, bucket: string): ReadStore {
  return {
    async listObjects(prefix) {
      const out: S3ObjectInfo[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
          for (const o of page.Contents ?? [])
            if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (e) {
        throw fetchError(`listing s3://${bucket}/${prefix}`, e);
      }
      return out;
    },
    async getObject(key) {
      try {
        const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { body: await obj.Body!.transformToByteArray() };
      } catch (e) {
        const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
        if (err.name === 'NoSuchKey') return undefined;
        throw fetchError(`reading s3://${bucket}/${key}`, e);
      }
    },
  };
}
