import { AMOUNT_SCALE, toUnscaled } from '../schema/index.ts';
import type { HourId } from './hours.ts';

/** Name of the marker object in an hour's folder. `_` makes every reader skip it (Hive, Spark, Athena, ours). */
export const MANIFEST_NAME = '_manifest.json';
export const MANIFEST_VERSION = 1;

/** One committed part file of the hour, as the closer read it. */
export interface HourFile {
  key: string;
  bytes: number;
  /** The file's rows: currency and exact decimal amount (as the landed DECIMAL holds it). */
  rows: ReadonlyArray<{ currency: string; amount: string }>;
}

export interface CurrencyTotal {
  rows: number;
  /** Exact sum of `amount` over every row of the currency (all event types, as `SUM(amount)` would), scale 4. */
  amount: string;
}

/**
 * The marker of a complete hour: which committed files make up the hour, and what they hold.
 * A function of the hour's files only (no clock, no host, no snapshot), so every attempt to write
 * it — after a crash, or by a second closer — produces the same bytes.
 */
export interface HourManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  hour: HourId;
  /** The hour's folder, `s3://<bucket>/<prefix>YYYY-MM-DD/HH/`. */
  location: string;
  files: Array<{ key: string; bytes: number; rows: number }>;
  rows: number;
  currencies: Record<string, CurrencyTotal>;
}

/**
 * Builds the manifest of an hour from its committed files (any order in, sorted out).
 *
 * @example
 * buildManifest('2026-01-31/23', 's3://b/landing/chargebacks/2026-01-31/23/', [{ key, bytes: 812, rows: [{ currency: 'USD', amount: '99.99' }] }])
 */
export function buildManifest(hour: HourId, location: string, files: readonly HourFile[]): HourManifest {
  const sums = new Map<string, { rows: number; unscaled: bigint }>();
  const sorted = [...files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let rows = 0;
  for (const f of sorted) {
    for (const r of f.rows) {
      const s = sums.get(r.currency) ?? { rows: 0, unscaled: 0n };
      s.rows += 1;
      s.unscaled += toUnscaled(r.amount, AMOUNT_SCALE);
      sums.set(r.currency, s);
    }
    rows += f.rows.length;
  }
  const currencies: Record<string, CurrencyTotal> = {};
  for (const c of [...sums.keys()].sort()) {
    const s = sums.get(c)!;
    currencies[c] = { rows: s.rows, amount: fixedScale(s.unscaled, AMOUNT_SCALE) };
  }
  return {
    manifestVersion: MANIFEST_VERSION,
    hour,
    location,
    files: sorted.map((f) => ({ key: f.key, bytes: f.bytes, rows: f.rows.length })),
    rows,
    currencies,
  };
}

/** The manifest's bytes: fixed key order (as built), two-space indent, one trailing newline. */
export function encodeManifest(m: HourManifest): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(m, null, 2)}\n`);
}

/** An unscaled non-negative sum at `scale` as a decimal string with exactly `scale` decimals ("199.9800", as DECIMAL(18,4) prints). */
function fixedScale(unscaled: bigint, scale: number): string {
  const digits = unscaled.toString().padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
