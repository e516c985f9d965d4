/**
 * SQL on the chargebacks: DuckDB over the files the read rule picks (each day from its complete
 * consolidated copy, or else from the landing zone's committed part files), with the views
 * `chargeback_changes` (every change, the Glue table's columns), `chargeback_changes_all` (the
 * same rows under the name Athena's combined view has) and `chargebacks_current` (the latest
 * change per chargeback, removed ones excluded). See README.md.
 */

/**
 * Runs one statement over a bucket's chargebacks by the read rule (or one copy of them).
 *
 * @example
 * const result = await queryChargebacks(s3, { bucket: 'chargeback-cdc-landing', landingPrefix: 'landing/chargebacks/',
 *   consolidatedPrefix: 'consolidated/chargebacks/' }, 'auto', 'SELECT count(*), sum(amount) FROM chargeback_changes');
 */
export { queryChargebacks, s3ReadStore } from './queryChargebacks.ts';

/**
 * The read rule: which files a query reads, day by day.
 *
 * @example
 * const plan = await planReadSet(store, layout, 'auto'); // plan.days[i].from: 'consolidated' | 'landing'
 */
export {
  planReadSet,
  describeReadSet,
  QuerySource,
  QUERY_SOURCES,
  type ZoneLayout,
  type ReadStore,
  type ReadSet,
  type DayRead,
  type ReadFile,
} from './planReadSet.ts';

/**
 * `--from` and `--source` → a bucket by the read rule, or one landing folder as it is.
 *
 * @example
 * const target = resolveQueryTarget({ source: 'auto', defaults: { bucket, landingPrefix, consolidatedPrefix } });
 */
export { resolveQueryTarget, type QueryTarget } from './queryTarget.ts';

/**
 * Runs one statement over the committed files under an s3:// prefix, as they are (no read rule).
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
  CHARGEBACK_CHANGES_ALL_SQL,
  CHARGEBACK_CHANGES_ALL_VIEW_SQL,
  CONSOLIDATED_CHANGES_TABLE,
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
