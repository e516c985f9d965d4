import { createRequire } from 'node:module';
import { AMOUNT_SCALE, type ParquetRow } from '../../pipeline/schema/index.ts';
import {
  decimalBytes,
  DEFAULT_ROW_GROUP_ROWS,
  EngineName,
  installedVersion,
  type EncodeOptions,
  type ParquetEngine,
} from './ParquetEngine.ts';

/**
 * The two parquetjs lines: parquetjs-lite (the library first named for this project, last
 * released 2020) and @dsnp/parquetjs (the maintained fork; 1.8.x, since 1.8.9+ need Node 24).
 * Both write legacy converted types only (no LogicalType in the footer), v1 data pages here to
 * match parquet-mr, SNAPPY on every column.
 */
const require = createRequire(import.meta.url);

interface ParquetjsWriter {
  appendRow(row: Record<string, unknown>): Promise<void>;
  setRowGroupSize(n: number): void;
  close(): Promise<void>;
}
interface ParquetjsModule {
  ParquetSchema: new (fields: Record<string, unknown>) => unknown;
  ParquetWriter: { openStream(schema: unknown, os: unknown, opts?: Record<string, unknown>): Promise<ParquetjsWriter> };
}

/** The `write(buf, cb)` / `end(cb)` stream both libraries expect, collecting the file in memory. */
function memorySink(): {
  sink: { write(b: Buffer, cb?: (e?: Error) => void): boolean; end(cb?: (e?: Error) => void): void };
  bytes(): Uint8Array;
} {
  const chunks: Buffer[] = [];
  return {
    sink: {
      write(b, cb) {
        chunks.push(Buffer.from(b));
        cb?.();
        return true;
      },
      end(cb) {
        cb?.();
      },
    },
    bytes: () => new Uint8Array(Buffer.concat(chunks)),
  };
}

async function encodeWith(
  mod: ParquetjsModule,
  fields: Record<string, unknown>,
  toRow: (r: ParquetRow) => Record<string, unknown>,
  rows: readonly ParquetRow[],
  options?: EncodeOptions,
): Promise<Uint8Array> {
  const { sink, bytes } = memorySink();
  const writer = await mod.ParquetWriter.openStream(new mod.ParquetSchema(fields), sink, { useDataPageV2: false });
  writer.setRowGroupSize(options?.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS);
  for (const r of rows) await writer.appendRow(toRow(r));
  await writer.close();
  return bytes();
}

const s = (type: string, extra: Record<string, unknown> = {}) => ({ type, compression: 'SNAPPY', ...extra });

function commonFields(amount: Record<string, unknown>): Record<string, unknown> {
  return {
    schema_version: s('INT32'),
    event_id: s('UTF8'),
    event_type: s('UTF8'),
    sequence_number: s('UTF8'),
    event_time: s('TIMESTAMP_MILLIS'),
    chargeback_id: s('UTF8'),
    merchant_id: s('UTF8'),
    amount,
    currency: s('UTF8'),
    reason: s('UTF8'),
    status: s('UTF8'),
    previous_status: s('UTF8', { optional: true }),
    created_at: s('TIMESTAMP_MILLIS'),
    updated_at: s('TIMESTAMP_MILLIS'),
  };
}

function baseRow(r: ParquetRow): Record<string, unknown> {
  const row: Record<string, unknown> = {
    ...r,
    event_time: Number(r.event_time),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
  if (r.previous_status === null) delete row.previous_status;
  return row;
}

export function parquetjsLiteEngine(): ParquetEngine {
  const mod = require('parquetjs-lite') as ParquetjsModule;
  // No DECIMAL type at all: the closest is the same two's-complement bytes in a plain BYTE_ARRAY.
  const fields = commonFields(s('BYTE_ARRAY'));
  return {
    name: EngineName.PARQUETJS_LITE,
    version: installedVersion('parquetjs-lite'),
    deviations: [
      'amount: plain BYTE_ARRAY without the DECIMAL(18,4) annotation (parquetjs-lite has no DECIMAL type)',
      'converted types only, no LogicalType (STRING/TIMESTAMP(MILLIS,UTC) are implied, not stated)',
      'no statistics, no dictionary encoding',
    ],
    encode: (rows, options) =>
      encodeWith(mod, fields, (r) => ({ ...baseRow(r), amount: Buffer.from(decimalBytes(r.amount)) }), rows, options),
  };
}

export function dsnpParquetjsEngine(): ParquetEngine {
  const mod = require('@dsnp/parquetjs') as ParquetjsModule;
  // DECIMAL(18,4) exists, but precision <= 18 is always stored as INT64 (BYTE_ARRAY only above 18).
  const fields = commonFields(s('DECIMAL', { precision: 18, scale: 4 }));
  return {
    name: EngineName.DSNP_PARQUETJS,
    version: installedVersion('@dsnp/parquetjs'),
    deviations: [
      'amount: DECIMAL(18,4) on INT64, not BYTE_ARRAY (the library picks INT64 for precision <= 18)',
      'converted types only, no LogicalType',
      'amount: the DECIMAL encoder takes a JS number and computes Math.floor(value * 10^scale) in float64, so amounts are not exact (99999999999999.9999 cannot be represented)',
      'no dictionary encoding',
    ],
    // The library's DECIMAL input is a JS number (it multiplies by 10^scale itself).
    encode: (rows, options) =>
      encodeWith(mod, fields, (r) => ({ ...baseRow(r), amount: Number(r.amount) / 10 ** AMOUNT_SCALE }), rows, options),
  };
}
