import type { DayFile } from './DayManifest.ts';

/**
 * The Athena pointer of a complete consolidated day: one partition `day=YYYY-MM-DD` of a table
 * stored as Hive's SymlinkTextInputFormat, whose data file lists the Parquet objects to read
 * (https://docs.aws.amazon.com/athena/latest/ug/querying-hive-symlink.html): one `s3://bucket/key`
 * per line. Under `_athena/` so that readers of the consolidated folders (Hive, Spark, Athena
 * skip `_`-prefixed paths) never take it for data, and outside the day's folder, so the day's
 * clean-up does not touch it.
 *
 * @example
 * athenaSymlinkKey('consolidated/chargebacks/', '2026-01-31')
 * // 'consolidated/chargebacks/_athena/day=2026-01-31/symlink.txt'
 */
export function athenaSymlinkKey(consolidatedPrefix: string, day: string): string {
  return `${consolidatedPrefix}_athena/day=${day}/symlink.txt`;
}

/** The symlink body: each output's S3 URI, in manifest order, each line LF-terminated (empty for a day without rows). */
export function encodeAthenaSymlink(bucket: string, outputs: readonly DayFile[]): Uint8Array {
  return new TextEncoder().encode(outputs.map((o) => `s3://${bucket}/${o.key}\n`).join(''));
}
