/**
 * Daily consolidation: one UTC day of the landing zone, once its 24 hours are complete, into
 * sorted part files of a target size and one CSV under `consolidated/chargebacks/YYYY-MM-DD/`,
 * with a manifest written after them that is the only thing readers trust, then (complete days)
 * the Athena symlink. See README.md.
 */

/**
 * Consolidates a day (a rerun over the same inputs writes nothing).
 *
 * @example
 * const store = new LandingStore(s3ClientFor(awsClientConfigFromEnv()), { bucket: 'chargeback-cdc-landing' });
 * const r = await consolidateDay({ store, day: '2026-01-31' }); // DayIncompleteError names the hours still open
 * console.log(r.status, r.manifest.outputs.length, r.manifest.currencies);
 */
export {
  consolidateDay,
  DEFAULT_CONSOLIDATED_PREFIX,
  DEFAULT_TARGET_BYTES,
  type ConsolidateDayOptions,
  type ConsolidationResult,
} from './consolidateDay.ts';

/**
 * The day manifest, for readers: a consolidated day's files are exactly `outputs`.
 *
 * @example
 * const m = parseDayManifest(body); // s3://<bucket>/consolidated/chargebacks/2026-01-31/_manifest.json
 * if (m) for (const o of m.outputs) read(o.key);
 */
export { DAY_MANIFEST_NAME, DAY_MANIFEST_VERSION, parseDayManifest, type DayManifest, type DayFile } from './DayManifest.ts';
export type { DayCsvFile } from './DayManifest.ts';

/**
 * The day's CSV (RFC 4180, UTF-8, CRLF; header = the schema's column names): what it holds and how a cell is written.
 *
 * @example
 * const r = await consolidateDay({ store, day: '2026-01-31', csv: CsvMode.STATE });
 * console.log(r.manifest.csv.key, r.manifest.csv.rows); // consolidated/chargebacks/2026-01-31/chargebacks-state-2026-01-31-<run>.csv
 */
export { CSV_COLUMNS, CSV_MODES, CsvMode, checkCsvMode } from './DayCsv.ts';
export { encodeCsvField, parseCsv, CsvSyntaxError } from './csvCodec.ts';

/**
 * Where a complete day's Athena pointer is (Hive SymlinkTextInputFormat: the s3:// URI of each
 * Parquet output the manifest lists, one per line, LF-terminated); absent for a forced day.
 *
 * @example
 * athenaSymlinkKey('consolidated/chargebacks/', '2026-01-31') // 'consolidated/chargebacks/_athena/day=2026-01-31/symlink.txt'
 */
export { athenaSymlinkKey } from './athenaSymlink.ts';
export { compareSequenceNumbers, compareConsolidatedRows } from './consolidationOrder.ts';
export * from './errors.ts';
