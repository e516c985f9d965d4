import { awsClientConfigFromEnv } from '../../pipeline/aws/index.ts';
import {
  CsvMode,
  checkCsvMode,
  ConsolidationConfigError,
  consolidateDay,
  DayIncompleteError,
  DEFAULT_CONSOLIDATED_PREFIX,
  DEFAULT_TARGET_BYTES,
  StorageUnavailableError,
} from '../../pipeline/consolidation/index.ts';
import {
  DEFAULT_LANDING_BUCKET,
  DEFAULT_LANDING_PREFIX,
  LandingStore,
  s3ClientFor,
} from '../../pipeline/parquet-writer/index.ts';

/** Exit code of a refusal because hours are still open: distinct from 1 (a failure), so a scheduler can tell "not yet" from "broken". */
export const EXIT_DAY_INCOMPLETE = 3;
/** About 25 s of backoff in all. */
const MAX_STORAGE_ATTEMPTS = 8;

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** "128MiB", "64MB", "1000000" → bytes. */
export function parseByteSize(flag: string, v: string): number {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Math.round(Number(m[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new ConsolidationConfigError(
      `${flag} must be a size such as 128MiB, 64MB or 1000000 (bytes), got ${JSON.stringify(v)}`,
    );
  return n;
}

/**
 * `chargeback-cdc consolidate --day YYYY-MM-DD`: the daily consolidation (pipeline/consolidation)
 * against the landing bucket of the environment — the local stack, or AWS when run by the
 * scheduled task. The same function either way; only the endpoint differs.
 */
export async function runConsolidate(o: {
  day: string;
  force: boolean;
  targetSize?: string;
  csv?: string;
  json: boolean;
}): Promise<number> {
  const env = process.env;
  const csv = checkCsvMode(o.csv ?? env.CONSOLIDATION_CSV ?? CsvMode.CHANGES);
  const targetBytes =
    o.targetSize !== undefined
      ? parseByteSize('--target-size', o.targetSize)
      : env.CONSOLIDATION_TARGET_BYTES
        ? parseByteSize('CONSOLIDATION_TARGET_BYTES', env.CONSOLIDATION_TARGET_BYTES)
        : DEFAULT_TARGET_BYTES;
  const store = new LandingStore(s3ClientFor(awsClientConfigFromEnv()), {
    bucket: env.LANDING_BUCKET || DEFAULT_LANDING_BUCKET,
    // The store retries transient errors forever (right for the writer, which holds offsets back
    // meanwhile); a batch job should instead fail after a while and leave it to the next run.
    onRetry: (i) => {
      if (i.attempt >= MAX_STORAGE_ATTEMPTS)
        throw new StorageUnavailableError(`${i.error.message} (gave up after ${i.attempt} attempts)`, { cause: i.error });
      console.error(
        `[consolidate] ${i.operation} failed (attempt ${i.attempt}), retrying in ${i.delayMs} ms: ${i.error.message}`,
      );
    },
  });
  try {
    const r = await consolidateDay({
      store,
      day: o.day,
      force: o.force,
      targetBytes,
      csv,
      landingPrefix: env.LANDING_PREFIX || DEFAULT_LANDING_PREFIX,
      consolidatedPrefix: env.CONSOLIDATED_PREFIX || DEFAULT_CONSOLIDATED_PREFIX,
    });
    const m = r.manifest;
    if (o.json)
      console.log(
        JSON.stringify({
          status: r.status,
          manifestKey: r.manifestKey,
          deleted: r.deleted,
          athenaSymlink: r.athenaSymlink,
          manifest: m,
        }),
      );
    else {
      const sums = Object.entries(m.currencies)
        .map(([c, t]) => `${c} ${t.rows} rows ${t.amount}`)
        .join(', ');
      console.log(
        `${o.day}: ${r.status}${m.complete ? '' : ` (forced; hours without a marker: ${m.missingHours.join(', ')})`} — ` +
          `${m.inputs.length} input file(s) → ${m.outputs.length} output file(s), ${m.rows} rows${sums ? `; ${sums}` : ''}; ` +
          `CSV s3://${store.bucket}/${m.csv.key} (${m.csv.mode}, ${m.csv.rows} rows); ` +
          `manifest s3://${store.bucket}/${r.manifestKey}; Athena symlink ${r.athenaSymlink.action} (${r.athenaSymlink.key})` +
          `${r.deleted.length ? `; deleted ${r.deleted.length} unlisted object(s)` : ''}`,
      );
    }
    return 0;
  } catch (e) {
    if (!(e instanceof DayIncompleteError)) throw e;
    console.error(`chargeback-cdc: ${e.message}`);
    return EXIT_DAY_INCOMPLETE;
  } finally {
    store.s3.destroy();
  }
}
