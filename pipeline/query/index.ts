/**
 * SQL on the landing zone: DuckDB over the committed part files, with two views —
 * `chargeback_changes` (every landed change, the Glue table's columns) and
 * `chargebacks_current` (the latest change per chargeback, removed ones excluded).
 * See README.md.
 */

/**
 * Runs one statement over the committed files under an s3:// prefix.
 *
 * @example
 * const result = await queryLanding(s3, parseLandingUri('s3://chargeback-cdc-landing/landing/chargebacks/'),
 *   'SELECT status, count(*) AS n FROM chargebacks_current GROUP BY status');
 * process.stdout.write(formatResult(result, 'table'));
 */
export { queryLanding, type QueryLandingOptions } from './queryLanding.ts';

/**
 * The same views over local part files (tests, tools that already hold the files).
 *
 * @example
 * const session = await QuerySession.open(['part-0-0000000000-0000000099.parquet']);
 */
export { QuerySession, type QueryResult, type QueryColumn } from './QuerySession.ts';

/**
 * The view definitions, once: the column list and types derived from the Avro schema, and the
 * current-state view's standard SQL (the same text is the Athena view over the Glue table).
 *
 * @example
 * const ddl = createViewSql(VIEW_NAMES.current, CHARGEBACKS_CURRENT_SQL);
 */
export {
  CHANGE_COLUMNS,
  CHARGEBACKS_CURRENT_SQL,
  VIEW_NAMES,
  chargebackChangesSql,
  createViewSql,
  sqlTypeOf,
  type ChangeColumn,
} from './views.ts';

/**
 * Output: aligned table, one JSON array, or RFC 4180 CSV.
 *
 * @example
 * process.stdout.write(formatResult(result, 'json'));
 */
export { formatResult, OUTPUT_FORMATS, type OutputFormat } from './formatResult.ts';
export type { Cell } from './cellValue.ts';

/**
 * `s3://bucket/prefix/` → `{ bucket, prefix }`.
 *
 * @example
 * const location = parseLandingUri('s3://chargeback-cdc-landing/landing/chargebacks/2026-01-31/23/');
 */
export { parseLandingUri, landingUri, type LandingLocation } from './parseLandingUri.ts';
export * from './errors.ts';
