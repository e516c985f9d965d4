import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import { CHANGE_RECORD_FIELDS, changeRecordAvroSchema, parquetSchemaElements, type ParquetRow } from '../schema/index.ts';

/**
 * One in-progress part file: rows are buffered column by column and encoded into a row group
 * (SNAPPY, with statistics) whenever the buffer passes `rowGroupMaxBytes`/`rowGroupMaxRows`;
 * `finish()` encodes the rest and writes the footer. Only the encoded bytes and the current
 * row group's rows are in memory. Nothing is written anywhere until the part is finished —
 * the in-memory buffer is this writer's "in-progress file", invisible to readers by construction.
 *
 * The schema is the explicit one derived from the Avro schema (`parquetSchemaElements()`), never
 * inferred from data: DECIMAL(18,4) on BYTE_ARRAY, TIMESTAMP(MILLIS, UTC), STRING, OPTIONAL
 * previous_status. The footer carries `parquet.avro.schema` like parquet-avro (the Flink job),
 * so Avro-aware readers see the same record schema from either writer.
 */
export interface ParquetPartWriterOptions {
  /** Encode buffered rows into a row group once their estimate passes this (default 4 MiB, ~10 000 typical rows). */
  rowGroupMaxBytes?: number;
  /** …or once this many rows are buffered (default 100 000). */
  rowGroupMaxRows?: number;
}

const SCHEMA = parquetSchemaElements() as SchemaElement[];
const KV_METADATA = [
  { key: 'parquet.avro.schema', value: JSON.stringify(changeRecordAvroSchema) },
  { key: 'writer.model.name', value: 'avro' },
];
export const CREATED_BY = 'chargeback-cdc parquet-writer (hyparquet-writer 0.17)';

type Columns = Record<string, unknown[]>;

function emptyColumns(): Columns {
  return Object.fromEntries(CHANGE_RECORD_FIELDS.map((f) => [f, [] as unknown[]]));
}

/**
 * Rough encoded size of one row before compression: UTF-8 bytes of strings plus the 4-byte
 * PLAIN length prefix, 8 bytes per INT64, 4 per INT32, ~9 for the decimal. Deliberately an
 * over-estimate (dictionary + SNAPPY usually shrink it 2–5×) so size limits trip early.
 *
 * Written out field by field, not looped over the schema's field list: it runs for every appended
 * row, and the loop (dynamic reads, UTF-8 length of the ASCII-only fields too) is measurably
 * slower. `ParquetPartWriter.test.ts` checks it against an estimate derived from the schema, so a
 * new field cannot be forgotten here.
 */
export function estimateRowBytes(row: ParquetRow): number {
  let n = 4 + 8 * 3 + 9; // schema_version, three timestamps, amount
  n += 4 + Buffer.byteLength(row.event_id);
  n += 4 + row.event_type.length;
  n += 4 + row.sequence_number.length;
  n += 4 + Buffer.byteLength(row.chargeback_id);
  n += 4 + Buffer.byteLength(row.merchant_id);
  n += 4 + row.currency.length;
  n += 4 + Buffer.byteLength(row.reason);
  n += 4 + row.status.length;
  n += 1 + (row.previous_status === null ? 0 : 4 + row.previous_status.length);
  return n;
}

export class ParquetPartWriter {
  private readonly rowGroupMaxBytes: number;
  private readonly rowGroupMaxRows: number;
  private readonly byteWriter = new ByteWriter();
  private readonly writer: ParquetWriter;
  private columns: Columns = emptyColumns();
  private buffered = 0;
  private bufferedBytes = 0;
  private total = 0;
  private finished = false;

  constructor(options: ParquetPartWriterOptions = {}) {
    this.rowGroupMaxBytes = options.rowGroupMaxBytes ?? 4 * 1024 * 1024;
    this.rowGroupMaxRows = options.rowGroupMaxRows ?? 100_000;
    this.writer = new ParquetWriter({
      writer: this.byteWriter,
      schema: SCHEMA,
      codec: 'SNAPPY',
      statistics: true,
      kvMetadata: KV_METADATA,
      createdBy: CREATED_BY,
    });
  }

  append(row: ParquetRow): void {
    if (this.finished) throw new Error('ParquetPartWriter: append after finish');
    const cols = this.columns as Record<string, unknown[]>;
    for (const field of CHANGE_RECORD_FIELDS) cols[field]!.push(row[field as keyof ParquetRow]);
    this.buffered++;
    this.total++;
    this.bufferedBytes += estimateRowBytes(row);
    if (this.bufferedBytes >= this.rowGroupMaxBytes || this.buffered >= this.rowGroupMaxRows) this.encodeRowGroup();
  }

  /** Rows in the part (encoded + buffered). */
  get rowCount(): number {
    return this.total;
  }

  get bufferedRows(): number {
    return this.buffered;
  }

  /** Encoded bytes so far plus the estimate for buffered rows (what the rolling policy and the memory budget count). */
  get sizeBytes(): number {
    return this.byteWriter.offset + this.bufferedBytes;
  }

  /** Encodes the remaining rows and the footer; returns the complete file. */
  finish(): Uint8Array {
    if (this.finished) throw new Error('ParquetPartWriter: finish called twice');
    this.encodeRowGroup();
    this.finished = true;
    void this.writer.finish();
    // Copy out of the ByteWriter's doubling buffer so the slack is garbage-collected.
    return new Uint8Array(this.byteWriter.getBuffer());
  }

  private encodeRowGroup(): void {
    if (this.buffered === 0) return;
    const columnData = CHANGE_RECORD_FIELDS.map((name) => ({ name, data: this.columns[name]! }));
    void this.writer.write({ columnData, rowGroupSize: this.buffered });
    this.columns = emptyColumns();
    this.buffered = 0;
    this.bufferedBytes = 0;
  }
}

/** Encodes rows into one complete Parquet file (a row group per ~4 MiB of estimated row bytes). */
export function writeParquetFile(rows: Iterable<ParquetRow>, options?: ParquetPartWriterOptions): Uint8Array {
  const w = new ParquetPartWriter(options);
  for (const r of rows) w.append(r);
  return w.finish();
}
