import { readFileSync } from 'node:fs';
import type { ParquetRow } from '../../pipeline/schema/index.ts';

/**
 * The small interface the Parquet engine sits behind, so the engine the embedded writer uses is a
 * choice made by numbers (bench/engines/compareEngines.ts) and swappable in one place.
 *
 * An engine turns change-record rows (exact physical values: unscaled DECIMAL(18,4) bigints,
 * epoch-millisecond bigints) into ONE complete, SNAPPY-compressed Parquet file. Engines that
 * cannot express the contract schema exactly (DESIGN §2, pipeline/flink-job/README.md "Parquet
 * written") write the closest they can and say how they differ in `deviations`; the comparison
 * then shows whether pyarrow and the Flink job's reader still read the rows back identically.
 */
export const EngineName = {
  HYPARQUET_WRITER: 'hyparquet-writer',
  PARQUETJS_LITE: 'parquetjs-lite',
  DSNP_PARQUETJS: '@dsnp/parquetjs',
  PARQUET_WASM: 'parquet-wasm',
  DUCKDB: '@duckdb/node-api',
} as const;
export type EngineName = (typeof EngineName)[keyof typeof EngineName];
export const ENGINE_NAMES: readonly EngineName[] = Object.values(EngineName);

export interface EncodeOptions {
  /** Rows per row group (the writer's default is 100 000 rows or 16 MiB, whichever comes first). */
  rowGroupRows?: number;
}

export interface ParquetEngine {
  readonly name: EngineName;
  /** Installed version of the package(s) doing the encoding. */
  readonly version: string;
  /** How the files differ from the contract schema; empty when they match it. */
  readonly deviations: readonly string[];
  encode(rows: readonly ParquetRow[], options?: EncodeOptions): Promise<Uint8Array>;
}

/**
 * The engine the numbers chose (docs/benchmarks.md): the fastest whose files both readers read
 * back exactly like the Flink job's. It is also what pipeline/parquet-writer uses today.
 */
export const DEFAULT_ENGINE: EngineName = EngineName.HYPARQUET_WRITER;

export const DEFAULT_ROW_GROUP_ROWS = 100_000;

/** Workload rows in each engine's read-back file, after the contract's edge-value records. */
export const CHECK_WORKLOAD_ROWS = 5_000;

/** Version of an installed package, read from its package.json (some packages' exports hide it from require). */
export function installedVersion(pkg: string): string {
  try {
    const file = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Loads an engine's adapter (and so its package) only when asked for. */
export async function loadEngine(name: EngineName): Promise<ParquetEngine> {
  switch (name) {
    case EngineName.HYPARQUET_WRITER:
      return (await import('./hyparquetWriterEngine.ts')).hyparquetWriterEngine();
    case EngineName.PARQUETJS_LITE:
      return (await import('./parquetjsEngines.ts')).parquetjsLiteEngine();
    case EngineName.DSNP_PARQUETJS:
      return (await import('./parquetjsEngines.ts')).dsnpParquetjsEngine();
    case EngineName.PARQUET_WASM:
      return (await import('./parquetWasmEngine.ts')).parquetWasmEngine();
    case EngineName.DUCKDB:
      return (await import('./duckdbEngine.ts')).duckdbEngine();
    default:
      throw new Error(`unknown Parquet engine ${JSON.stringify(name)}; known: ${ENGINE_NAMES.join(', ')}`);
  }
}

export function isEngineName(s: string): s is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(s);
}

/** Minimal big-endian two's-complement bytes of an unscaled decimal (what Avro/parquet-avro write). */
export function decimalBytes(unscaled: bigint): Uint8Array {
  let hex = (unscaled < 0n ? (1n << 128n) + unscaled : unscaled).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (unscaled >= 0n && bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  if (unscaled < 0n) {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0xff && bytes[i + 1]! & 0x80) i++;
    bytes = bytes.subarray(i);
  }
  return new Uint8Array(bytes);
}
