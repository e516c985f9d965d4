import { createHash } from 'node:crypto';
import {
  ConditionalWriteConflictError,
  DEFAULT_LANDING_PREFIX,
  type ObjectStore,
  ParquetPartWriter,
  readParquetFile,
} from '../parquet-writer/index.ts';
import { type ParquetRow, toParquetRow } from '../schema/index.ts';
import { athenaSymlinkKey, encodeAthenaSymlink } from './athenaSymlink.ts';
import { compareConsolidatedRows } from './consolidationOrder.ts';
import { CurrencyTotals } from './CurrencyTotals.ts';
import { checkCsvMode, CsvMode, csvRowsOf, csvTotals, dayCsvKey, encodeDayCsv } from './DayCsv.ts';
import {
  DAY_MANIFEST_NAME,
  DAY_MANIFEST_VERSION,
  type DayCsvFile,
  type DayFile,
  type DayManifest,
  encodeDayManifest,
  parseDayManifest,
} from './DayManifest.ts';
import { type DayInput, resolveDayInputs } from './dayInputs.ts';
import { ConcurrentConsolidationError, ConsolidationConfigError, ConsolidationMismatchError } from './errors.ts';

export const DEFAULT_CONSOLIDATED_PREFIX = 'consolidated/chargebacks/';
export const DEFAULT_TARGET_BYTES = 128 * 1024 * 1024;
/** Part of every run id: bump when the bytes written for the same inputs change (order, encoding, split rule). */
const LAYOUT_VERSION = 1;
/** Row groups stay at most this big (estimate) whatever the target, so encoding memory stays bounded. */
const MAX_ROW_GROUP_BYTES = 16 * 1024 * 1024;
const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';
// RFC 4180 §3 registers text/csv, and `header=present` says the first record names the columns.
const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export interface ConsolidateDayOptions {
  store: ObjectStore;
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  landingPrefix?: string;
  consolidatedPrefix?: string;
  /** A part file rolls once its encoded bytes plus the estimate of its buffered rows reach this. */
  targetBytes?: number;
  /** Consolidate even if some hours have no completeness marker (the manifest then says `complete: false`). */
  force?: boolean;
  /** What the day's CSV holds: every change (default), or each chargeback's last change unless removed. */
  csv?: CsvMode;
}

export interface ConsolidationResult {
  status: 'consolidated' | 'up-to-date';
  manifestKey: string;
  manifest: DayManifest;
  /** Objects of the day's folder that no manifest lists any more (superseded runs, leftovers of crashed ones), deleted. */
  deleted: string[];
  /** The Athena pointer (athenaSymlinkKey): put (complete day), deleted (forced day), or already right. */
  athenaSymlink: { key: string; action: 'written' | 'deleted' | 'unchanged' };
}

/**
 * Consolidates one UTC day of the landing zone (protocol in README.md): inputs from the hour
 * manifests, sorted rows in part files of about `targetBytes` with content-derived names, the
 * day's manifest put last and conditionally, then the unlisted leftovers deleted. A rerun over the
 * same inputs writes nothing; a crash at any write leaves readers the previous manifest or the new one.
 *
 * @example
 * const r = await consolidateDay({ store, day: '2026-01-31' });
 * console.log(r.status, r.manifest.rows, r.manifest.currencies.USD?.amount);
 */
export async function consolidateDay(options: ConsolidateDayOptions): Promise<ConsolidationResult> {
  const { store, day } = options;
  const landingPrefix = options.landingPrefix ?? DEFAULT_LANDING_PREFIX;
  const consolidatedPrefix = options.consolidatedPrefix ?? DEFAULT_CONSOLIDATED_PREFIX;
  const targetBytes = options.targetBytes ?? DEFAULT_TARGET_BYTES;
  const csvMode = checkCsvMode(options.csv ?? CsvMode.CHANGES);
  checkDay(day);
  if (!Number.isSafeInteger(targetBytes) || targetBytes <= 0)
    throw new ConsolidationConfigError(`targetBytes must be a positive whole number of bytes, got ${targetBytes}`);

  const dayPrefix = `${consolidatedPrefix}${day}/`;
  const manifestKey = `${dayPrefix}${DAY_MANIFEST_NAME}`;
  const inputs = await resolveDayInputs(store, landingPrefix, day, options.force ?? false);
  const run = runIdOf(targetBytes, inputs.files);
  const csvKey = dayCsvKey(dayPrefix, day, run, csvMode);

  const current = await store.getObject(manifestKey);
  const previous = current && parseDayManifest(current.body);
  // Same run id means the same output bytes; the manifest may still differ in what it says of the
  // hours (a day forced while hours were open, whose hours then closed without new files).
  const sameHours = JSON.stringify(previous?.missingHours) === JSON.stringify(inputs.missingHours);
  if (
    previous?.run === run &&
    previous.csv.key === csvKey &&
    sameHours &&
    (await allExist(store, [...previous.outputs, previous.csv]))
  ) {
    // Still finish what a run that crashed after its commit left undone: the pointer, then the clean-up.
    const athenaSymlink = await syncAthenaSymlink(store, consolidatedPrefix, previous);
    return {
      status: 'up-to-date',
      manifestKey,
      manifest: previous,
      deleted: await deleteUnlisted(store, dayPrefix, previous),
      athenaSymlink,
    };
  }

  const rows = await readInputs(store, inputs.files);
  rows.sort(compareConsolidatedRows);
  const written = new CurrencyTotals();
  for (const r of rows) written.add(r.currency, r.amount);
  const expected = inputs.promised;
  const forcedKeys = new Set(inputs.files.filter((f) => f.expectedRows === undefined).map((f) => f.key));
  if (forcedKeys.size > 0) for (const r of rows) if (forcedKeys.has(r.sourceKey)) expected.add(r.currency, r.amount);
  const [got, want] = [JSON.stringify(written.toJSON()), JSON.stringify(expected.toJSON())];
  if (got !== want)
    throw new ConsolidationMismatchError(
      `day ${day}: the rows read add up to ${got} per currency, but the hour manifests promise ${want}; no manifest written`,
    );

  const csv = dayCsv(csvKey, csvMode, rows, written);

  const outputs: DayFile[] = [];
  for (const part of splitIntoParts(rows, targetBytes)) {
    const key = `${dayPrefix}part-${run}-${String(outputs.length).padStart(5, '0')}.parquet`;
    await store.putObject(key, part.bytes, undefined, PARQUET_CONTENT_TYPE);
    outputs.push({ key, bytes: part.bytes.length, rows: part.rows });
  }
  await store.putObject(csv.file.key, csv.bytes, undefined, CSV_CONTENT_TYPE);

  const manifest: DayManifest = {
    manifestVersion: DAY_MANIFEST_VERSION,
    day,
    location: `s3://${store.bucket}/${dayPrefix}`,
    run,
    complete: inputs.missingHours.length === 0,
    missingHours: inputs.missingHours,
    targetBytes,
    inputs: inputs.files.map((f) => ({ key: f.key, bytes: f.bytes, rows: f.expectedRows ?? countOf(rows, f.key) })),
    outputs,
    csv: csv.file,
    rows: rows.length,
    currencies: written.toJSON(),
  };
  await commitManifest(store, manifestKey, encodeDayManifest(manifest), current?.etag);
  const athenaSymlink = await syncAthenaSymlink(store, consolidatedPrefix, manifest);
  return {
    status: 'consolidated',
    manifestKey,
    manifest,
    deleted: await deleteUnlisted(store, dayPrefix, manifest),
    athenaSymlink,
  };
}

/**
 * The day's CSV, checked before anything is written: its totals, read back from its bytes, must
 * be the Parquet outputs' (for `changes`; for `state`, those of the rows it was to hold).
 */
function dayCsv(
  key: string,
  mode: CsvMode,
  rows: readonly ParquetRow[],
  written: CurrencyTotals,
): { file: DayCsvFile; bytes: Uint8Array } {
  const selected = csvRowsOf(rows, mode);
  let want = written;
  if (mode !== CsvMode.CHANGES) {
    want = new CurrencyTotals();
    for (const r of selected) want.add(r.currency, r.amount);
  }
  const bytes = encodeDayCsv(selected);
  const got = csvTotals(bytes);
  const [gotText, wantText] = [JSON.stringify(got.currencies.toJSON()), JSON.stringify(want.toJSON())];
  if (got.rows !== selected.length || gotText !== wantText)
    throw new ConsolidationMismatchError(
      `${key}: the CSV reads back as ${got.rows} rows ${gotText} per currency, the Parquet outputs hold ${selected.length} rows ${wantText}; no manifest written`,
    );
  return { file: { key, mode, bytes: bytes.length, rows: got.rows, currencies: got.currencies.toJSON() }, bytes };
}

/**
 * After the manifest's commit and before the clean-up (so the pointer never names a deleted file):
 * a complete day's symlink lists the manifest's outputs; a forced day has none, so Athena reads
 * that day from the landing zone. Rewritten only when its bytes differ.
 */
async function syncAthenaSymlink(
  store: ObjectStore,
  consolidatedPrefix: string,
  manifest: DayManifest,
): Promise<ConsolidationResult['athenaSymlink']> {
  const key = athenaSymlinkKey(consolidatedPrefix, manifest.day);
  const current = await store.getObject(key);
  if (!manifest.complete) {
    if (!current) return { key, action: 'unchanged' };
    await store.deleteObject(key);
    return { key, action: 'deleted' };
  }
  const body = encodeAthenaSymlink(store.bucket, manifest.outputs);
  if (current && Buffer.from(current.body).equals(Buffer.from(body))) return { key, action: 'unchanged' };
  await store.putObject(key, body, undefined, 'text/plain; charset=utf-8');
  return { key, action: 'written' };
}

function checkDay(day: string): void {
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(day) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day);
  if (!ok) throw new ConsolidationConfigError(`day must be a UTC date YYYY-MM-DD, got ${JSON.stringify(day)}`);
}

/** 16 hex of SHA-256 over what decides the bytes written: layout version, target size, input keys and sizes. */
function runIdOf(targetBytes: number, files: readonly DayInput[]): string {
  const id = JSON.stringify({ layout: LAYOUT_VERSION, targetBytes, inputs: files.map((f) => [f.key, f.bytes]) });
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

async function allExist(store: ObjectStore, files: readonly DayFile[]): Promise<boolean> {
  for (const f of files) if (!(await store.exists(f.key))) return false;
  return true;
}

type SourcedRow = ParquetRow & { sourceKey: string };

/** Every input's rows, exact, in input key order; a file that is not what its hour manifest says stops the run. */
async function readInputs(store: ObjectStore, files: readonly DayInput[]): Promise<SourcedRow[]> {
  const rows: SourcedRow[] = [];
  for (const f of files) {
    const obj = await store.getObject(f.key);
    if (!obj) throw new ConsolidationMismatchError(`input ${f.key} is listed by its hour manifest but does not exist`);
    if (f.expectedRows !== undefined && obj.body.length !== f.bytes)
      throw new ConsolidationMismatchError(`input ${f.key} has ${obj.body.length} bytes, its hour manifest says ${f.bytes}`);
    let contents: Awaited<ReturnType<typeof readParquetFile>>;
    try {
      contents = await readParquetFile(obj.body);
    } catch (e) {
      throw new ConsolidationMismatchError(`input ${f.key} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (f.expectedRows !== undefined && contents.rows.length !== f.expectedRows)
      throw new ConsolidationMismatchError(
        `input ${f.key} has ${contents.rows.length} rows, its hour manifest says ${f.expectedRows}`,
      );
    for (const r of contents.rows) rows.push(Object.assign(toParquetRow(r), { sourceKey: f.key }));
  }
  return rows;
}

function countOf(rows: readonly SourcedRow[], key: string): number {
  let n = 0;
  for (const r of rows) if (r.sourceKey === key) n++;
  return n;
}

/** Sorted rows → complete Parquet files, each rolled once its size reaches the target (the last may be smaller). */
function* splitIntoParts(rows: readonly ParquetRow[], targetBytes: number): Generator<{ bytes: Uint8Array; rows: number }> {
  const rowGroupMaxBytes = Math.min(targetBytes, MAX_ROW_GROUP_BYTES);
  let w: ParquetPartWriter | undefined;
  for (const r of rows) {
    w ??= new ParquetPartWriter({ rowGroupMaxBytes });
    w.append(r);
    if (w.sizeBytes >= targetBytes) {
      yield { rows: w.rowCount, bytes: w.finish() };
      w = undefined;
    }
  }
  if (w) yield { rows: w.rowCount, bytes: w.finish() };
}

/**
 * The commit: one conditional PUT (S3 replaces an object atomically). A conflict whose stored
 * bytes are ours is our own earlier attempt (a retried PUT whose first response was lost).
 */
async function commitManifest(store: ObjectStore, key: string, body: Uint8Array, etag: string | undefined): Promise<void> {
  try {
    await store.putObject(key, body, etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag }, 'application/json');
  } catch (e) {
    if (!(e instanceof ConditionalWriteConflictError)) throw e;
    const stored = await store.getObject(key);
    if (stored && Buffer.from(stored.body).equals(Buffer.from(body))) return;
    throw new ConcurrentConsolidationError(
      `${key} changed while this run worked (another consolidation of the day committed first); rerun to converge`,
      { cause: e },
    );
  }
}

/** Deletes what the manifest does not list under the day's folder: readers ignore it anyway, so this only frees space. */
async function deleteUnlisted(store: ObjectStore, dayPrefix: string, manifest: DayManifest): Promise<string[]> {
  const keep = new Set([...manifest.outputs.map((o) => o.key), manifest.csv.key, `${dayPrefix}${DAY_MANIFEST_NAME}`]);
  const deleted: string[] = [];
  for (const o of await store.listObjects(dayPrefix)) {
    if (keep.has(o.key)) continue;
    await store.deleteObject(o.key);
    deleted.push(o.key);
  }
  return deleted;
}
