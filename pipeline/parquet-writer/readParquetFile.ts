import { parquetMetadata, parquetReadObjects, type FileMetaData, type SchemaElement } from 'hyparquet';
import {
  CHANGE_RECORD_FIELD_SPECS,
  CHANGE_RECORD_FIELDS,
  fromParquetRow,
  unscaledFromBytes,
  type ChangeRecord,
  type ChangeRecordFieldSpec,
  type ParquetRow,
} from '../schema/index.ts';
import { InvalidPartFileError } from './errors.ts';

/** One column of a Parquet file as a person reads it: `amount BYTE_ARRAY DECIMAL(18,4) REQUIRED`. */
export interface ColumnDescription {
  name: string;
  physicalType: string;
  /** e.g. `DECIMAL(18,4)`, `TIMESTAMP(MILLIS,UTC)`, `STRING`; null when the column has none. */
  logicalType: string | null;
  repetition: 'REQUIRED' | 'OPTIONAL' | 'REPEATED';
}

export interface ParquetFileContents {
  schema: ColumnDescription[];
  rows: ChangeRecord[];
  numRows: number;
}

/**
 * Reads a landed part file (from this writer or the Flink job) back into change records, with
 * EXACT amounts.
 *
 * Why the metadata is edited before reading: hyparquet converts a DECIMAL column to a JS number
 * (`unscaled / 10^scale` in float64), which cannot hold every DECIMAL(18,4) — 99999999999999.9999
 * would come back as 100000000000000. So the DECIMAL elements are handed to the reader with their
 * converted/logical type removed and `utf8: false`: hyparquet then returns the raw big-endian
 * two's-complement bytes, which `unscaledFromBytes` turns into the exact bigint (INT32/INT64
 * decimals come back as integers and are taken as they are). Timestamps are read as raw epoch
 * millis for the same reason (no Date round trip). String columns keep their STRING/UTF8 type and
 * are still decoded as UTF-8.
 */
export async function readParquetFile(bytes: Uint8Array): Promise<ParquetFileContents> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(file);
  } catch (e) {
    throw new InvalidPartFileError(`not a Parquet file (${(e as Error).message})`, { cause: e });
  }
  const schema = describeColumns(metadata.schema);
  const missing = CHANGE_RECORD_FIELDS.filter((f) => !schema.some((c) => c.name === f));
  if (missing.length > 0) {
    throw new InvalidPartFileError(
      `Parquet file lacks change-record column(s) ${missing.join(', ')}; it was not written by a chargeback-cdc writer`,
    );
  }
  const raw: FileMetaData = { ...metadata, schema: metadata.schema.map(withoutDecimalType) };
  const objects = await parquetReadObjects({
    file,
    metadata: raw,
    utf8: false,
    parsers: { timestampFromMilliseconds: (ms: bigint) => ms },
  });
  const rows = objects.map((o, i) => {
    try {
      return fromParquetRow(toParquetRow(o));
    } catch (e) {
      throw new InvalidPartFileError(`row ${i}: ${(e as Error).message}`, { cause: e });
    }
  });
  return { schema, rows, numRows: Number(metadata.num_rows) };
}

function withoutDecimalType(el: SchemaElement): SchemaElement {
  if (el.converted_type !== 'DECIMAL' && el.logical_type?.type !== 'DECIMAL') return el;
  const { converted_type: _c, logical_type: _l, ...rest } = el;
  return rest;
}

function exactInteger(v: unknown, column: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (v instanceof Uint8Array) return unscaledFromBytes(v);
  throw new TypeError(`column ${column}: expected an integer or decimal bytes, got ${typeof v}`);
}

function text(v: unknown, column: string): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return new TextDecoder('utf-8', { fatal: true }).decode(v);
  throw new TypeError(`column ${column}: expected a string, got ${v === null ? 'null' : typeof v}`);
}

/** A column's raw value (see readParquetFile) as the Parquet row holds it, by the field's Avro kind. */
function columnValue(spec: ChangeRecordFieldSpec, v: unknown): unknown {
  if (spec.nullable && (v === null || v === undefined)) return null;
  switch (spec.kind) {
    case 'string':
      return text(v, spec.name);
    case 'int':
      return Number(v);
    case 'long':
    case 'decimal':
    case 'timestamp-millis':
      return exactInteger(v, spec.name);
    default:
      throw new TypeError(`column ${spec.name}: Avro type ${spec.kind} is not part of the change record this reader knows`);
  }
}

function toParquetRow(o: Record<string, unknown>): ParquetRow {
  const row: Record<string, unknown> = {};
  for (const spec of CHANGE_RECORD_FIELD_SPECS) row[spec.name] = columnValue(spec, o[spec.name]);
  return row as unknown as ParquetRow;
}

/** Leaf columns of a flat Parquet schema (the root element is skipped). */
export function describeColumns(elements: readonly SchemaElement[]): ColumnDescription[] {
  return elements.slice(1).map((el) => ({
    name: el.name,
    physicalType: el.type ?? 'GROUP',
    logicalType: logicalTypeOf(el),
    repetition: el.repetition_type ?? 'REQUIRED',
  }));
}

function logicalTypeOf(el: SchemaElement): string | null {
  const lt = el.logical_type;
  if (lt) {
    switch (lt.type) {
      case 'DECIMAL':
        return `DECIMAL(${lt.precision},${lt.scale})`;
      case 'TIMESTAMP':
        return `TIMESTAMP(${lt.unit},${lt.isAdjustedToUTC ? 'UTC' : 'LOCAL'})`;
      default:
        return lt.type;
    }
  }
  switch (el.converted_type) {
    case undefined:
      return null;
    case 'UTF8':
      return 'STRING';
    case 'DECIMAL':
      return `DECIMAL(${el.precision},${el.scale})`;
    case 'TIMESTAMP_MILLIS':
      return 'TIMESTAMP(MILLIS,UTC)';
    case 'TIMESTAMP_MICROS':
      return 'TIMESTAMP(MICROS,UTC)';
    default:
      return el.converted_type;
  }
}
