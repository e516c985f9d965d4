import type { CurrencyTotal } from '../completeness/index.ts';
import type { CsvMode } from './DayCsv.ts';

/** Name of the day's manifest in its consolidated folder; `_` makes Hive, Spark, Athena and our readers skip it. */
export const DAY_MANIFEST_NAME = '_manifest.json';
/** 2: the day's CSV (`csv`) joined the outputs. A version-1 manifest is not trusted, so its day is redone. */
export const DAY_MANIFEST_VERSION = 2;

export interface DayFile {
  key: string;
  bytes: number;
  rows: number;
}

/** The day's CSV: its key, size, and the totals read back from its bytes (equal to the Parquet outputs' for `changes`). */
export interface DayCsvFile extends DayFile {
  mode: CsvMode;
  currencies: Record<string, CurrencyTotal>;
}

/**
 * What readers trust about a consolidated day: its outputs are exactly `outputs`, anything else in
 * the folder is ignored. A function of the inputs, the target size and the CSV mode only (no clock, no host),
 * so every run over the same inputs produces the same bytes.
 */
export interface DayManifest {
  manifestVersion: typeof DAY_MANIFEST_VERSION;
  day: string;
  /** `s3://<bucket>/<consolidated prefix>YYYY-MM-DD/`. */
  location: string;
  /** Content id of this run (inputs + target size + layout version); in every output's name. */
  run: string;
  /** False when forced before all 24 hours had a completeness marker. */
  complete: boolean;
  /** Hours (`HH`) without a completeness marker when the day was consolidated; empty when complete. */
  missingHours: string[];
  targetBytes: number;
  inputs: DayFile[];
  outputs: DayFile[];
  /** The day's rows as one CSV, written with the outputs, before this manifest. */
  csv: DayCsvFile;
  rows: number;
  currencies: Record<string, CurrencyTotal>;
}

/** The manifest's bytes: fixed key order (as built), two-space indent, one trailing newline (like the hour manifest). */
export function encodeDayManifest(m: DayManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(m, null, 2)}\n`);
}

/** Parses a stored day manifest; undefined when it is not one this version wrote (then it is replaced, not trusted). */
export function parseDayManifest(body: Uint8Array): DayManifest | undefined {
  try {
    const m = JSON.parse(new TextDecoder().decode(body)) as Partial<DayManifest>;
    if (
      m.manifestVersion !== DAY_MANIFEST_VERSION ||
      typeof m.run !== 'string' ||
      !Array.isArray(m.outputs) ||
      typeof m.csv?.key !== 'string'
    )
      return undefined;
    return m as DayManifest;
  } catch {
    return undefined;
  }
}
