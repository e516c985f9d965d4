import type { CurrencyTotal } from '../completeness/index.ts';

/** Name of the day's manifest in its consolidated folder; `_` makes Hive, Spark, Athena and our readers skip it. */
export const DAY_MANIFEST_NAME = '_manifest.json';
export const DAY_MANIFEST_VERSION = 1;

export interface DayFile {
  key: string;
  bytes: number;
  rows: number;
}

/**
 * What readers trust about a consolidated day: its outputs are exactly `outputs`, anything else in
 * the folder is ignored. A function of the inputs and the target size only (no clock, no host),
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
    if (m.manifestVersion !== DAY_MANIFEST_VERSION || typeof m.run !== 'string' || !Array.isArray(m.outputs)) return undefined;
    return m as DayManifest;
  } catch {
    return undefined;
  }
}
