import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type FetchedFiles, fetchLandedFiles, type FetchOptions } from './fetchLandedFiles.ts';
import type { LandingLocation } from './parseLandingUri.ts';
import { checkSql, type QueryResult, QuerySession } from './QuerySession.ts';

export interface QueryLandingOptions extends FetchOptions {
  /** Parent of the temporary folder the part files are downloaded to (default: the OS temp dir). */
  readonly tempRoot?: string;
  /** Told the temporary folder as soon as it exists, so a signal handler can remove it too. */
  readonly onTempDir?: (dir: string) => void;
}

/**
 * Runs one SQL statement over the committed files under a landing prefix, as they are (no
 * consolidated copy: `queryChargebacks` applies the read rule): the SQL is parsed first (a syntax
 * error costs no download), the files are fetched to a private temporary folder, the views are
 * created over them (over an empty typed table when there are none), and the folder is deleted
 * whatever happens.
 *
 * @example
 * const result = await queryLanding(s3, { bucket: 'chargeback-cdc-landing', prefix: 'landing/chargebacks/2026-01-31/23/' },
 *   "SELECT currency, sum(amount) FROM chargeback_changes GROUP BY currency");
 */
export function queryLanding(
  s3: S3Client,
  location: LandingLocation,
  sql: string,
  options: QueryLandingOptions = {},
): Promise<QueryResult> {
  return queryFetched(sql, options, (dir) => fetchLandedFiles(s3, location, dir, options));
}

/** The steps every query shares around the download: check the SQL, a private folder, the session, cleanup. */
export async function queryFetched(
  sql: string,
  options: QueryLandingOptions,
  fetch: (dir: string) => Promise<FetchedFiles>,
): Promise<QueryResult> {
  await checkSql(sql);
  const dir = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'chargeback-cdc-query-'));
  options.onTempDir?.(dir);
  try {
    const { paths } = await fetch(dir);
    const session = await QuerySession.open(paths);
    try {
      return await session.run(sql);
    } finally {
      session.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
