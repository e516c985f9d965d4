import {
  Decimal,
  Field,
  Int32,
  makeData,
  makeVector,
  Schema,
  Table,
  tableToIPC,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import * as wasm from 'parquet-wasm';
import type { ParquetRow } from '../../pipeline/schema/index.ts';
import { DEFAULT_ROW_GROUP_ROWS, EngineName, installedVersion, type ParquetEngine } from './ParquetEngine.ts';

/**
 * parquet-wasm (the Rust `parquet` crate compiled to WebAssembly) fed through apache-arrow: rows →
 * Arrow columns → Arrow IPC → WASM memory → Parquet. The timed encode includes building the Arrow
 * table, as the writer would have to.
 */
export function parquetWasmEngine(): ParquetEngine {
  return {
    name: EngineName.PARQUET_WASM,
    version: `${installedVersion('parquet-wasm')} + apache-arrow ${installedVersion('apache-arrow')}`,
    deviations: [
      'amount: Arrow Decimal128(18,4) is written as DECIMAL(18,4) on INT64 (arrow-rs picks INT64 for precision <= 18), not BYTE_ARRAY',
      'footer carries ARROW:schema instead of parquet.avro.schema',
    ],
    encode: async (rows, options) => {
      const table = arrowTable(rows);
      const props = new wasm.WriterPropertiesBuilder()
        .setCompression(wasm.Compression.SNAPPY)
        .setWriterVersion(wasm.WriterVersion.V1)
        .setMaxRowGroupSize(options?.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS)
        .build();
      // writeParquet takes ownership of the WASM table and of the properties (and frees them).
      return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')), props);
    },
  };
}

const strings = (rows: readonly ParquetRow[], f: (r: ParquetRow) => string | null): Vector =>
  vectorFromArray(rows.map(f), new Utf8());

const millis = (rows: readonly ParquetRow[], f: (r: ParquetRow) => bigint): Vector => {
  const data = new BigInt64Array(rows.length);
  rows.forEach((r, i) => {
    data[i] = f(r);
  });
  return makeVector(makeData({ type: new TimestampMillisecond('UTC'), length: rows.length, data }));
};

/** Decimal128 values are 4 little-endian 32-bit words of the unscaled two's-complement integer. */
const decimals = (rows: readonly ParquetRow[]): Vector => {
  const words = new Uint32Array(rows.length * 4);
  rows.forEach((r, i) => {
    const v = BigInt.asUintN(128, r.amount);
    for (let w = 0; w < 4; w++) words[i * 4 + w] = Number((v >> BigInt(32 * w)) & 0xffffffffn);
  });
  return makeVector(makeData({ type: new Decimal(4, 18, 128), length: rows.length, data: words }));
};

function arrowTable(rows: readonly ParquetRow[]): Table {
  const columns: Record<string, Vector> = {
    schema_version: makeVector(Int32Array.from(rows, (r) => r.schema_version)),
    event_id: strings(rows, (r) => r.event_id),
    event_type: strings(rows, (r) => r.event_type),
    sequence_number: strings(rows, (r) => r.sequence_number),
    event_time: millis(rows, (r) => r.event_time),
    chargeback_id: strings(rows, (r) => r.chargeback_id),
    merchant_id: strings(rows, (r) => r.merchant_id),
    amount: decimals(rows),
    currency: strings(rows, (r) => r.currency),
    reason: strings(rows, (r) => r.reason),
    status: strings(rows, (r) => r.status),
    previous_status: strings(rows, (r) => r.previous_status),
    created_at: millis(rows, (r) => r.created_at),
    updated_at: millis(rows, (r) => r.updated_at),
  };
  const fields = Object.entries(columns).map(([name, v]) => new Field(name, v.type, name === 'previous_status'));
  void Int32;
  return new Table(new Schema(fields), columns);
}
