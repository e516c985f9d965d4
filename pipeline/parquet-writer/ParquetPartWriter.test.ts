import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import {
  CHANGE_RECORD_FIELD_SPECS,
  parquetSchemaElements,
  toParquetRow,
  type ChangeRecord,
  type ChangeRecordFieldSpec,
} from '../schema/index.ts';
import { estimateRowBytes, ParquetPartWriter, writeParquetFile } from './ParquetPartWriter.ts';
import { readParquetFile } from './readParquetFile.ts';
import { anyChangeRecordArb } from '../../fixtures/arbitraries.ts';
import { asLanded, changeRecord } from '../../fixtures/changeRecords.ts';

const roundTrip = async (records: ChangeRecord[]) => (await readParquetFile(writeParquetFile(records.map(toParquetRow)))).rows;
const metadataOf = (bytes: Uint8Array) =>
  parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);

describe('ParquetPartWriter', () => {
  it('writes change records that read back identical, with exact money for the largest DECIMAL(18,4)', async () => {
    const records = [
      changeRecord(1, { amount: '99999999999999.9999', currency: 'CLF' }),
      changeRecord(2, { amount: '0.0001', currency: 'CLF' }),
      changeRecord(3, { amount: '12345678901234', currency: 'JPY' }),
      changeRecord(4, { amount: '0.001', currency: 'KWD' }),
      changeRecord(5, {
        amount: '99999999999999.999',
        currency: 'KWD',
        previous_status: 'UNDER_REVIEW',
        status: 'REPRESENTED',
        event_type: 'MODIFY',
      }),
      changeRecord(6, { amount: '0.1', currency: 'USD', event_type: 'REMOVE', previous_status: 'WON', status: 'WON' }),
    ];
    assert.deepEqual(await roundTrip(records), records.map(asLanded));
  });

  it('uses the explicit schema derived from the Avro schema, SNAPPY and statistics', () => {
    const bytes = writeParquetFile([toParquetRow(changeRecord(1))]);
    const meta = metadataOf(bytes);
    const expected = parquetSchemaElements();
    assert.deepEqual(
      meta.schema.map((e) => [e.name, e.type, e.repetition_type, e.converted_type, e.logical_type?.type]),
      expected.map((e) => [e.name, e.type, e.repetition_type, e.converted_type, e.logical_type?.type]),
    );
    const amount = meta.schema.find((e) => e.name === 'amount')!;
    assert.deepEqual([amount.type, amount.precision, amount.scale], ['BYTE_ARRAY', 18, 4]);
    for (const col of meta.row_groups[0]!.columns) {
      assert.equal(col.meta_data?.codec, 'SNAPPY');
      assert.ok(col.meta_data?.statistics, `statistics for ${col.meta_data?.path_in_schema}`);
    }
    assert.ok(
      meta.key_value_metadata?.some((kv) => kv.key === 'parquet.avro.schema' && kv.value?.includes('"ChargebackChange"')),
    );
  });

  it('encodes a row group whenever the buffered rows pass rowGroupMaxBytes and keeps every row', async () => {
    const w = new ParquetPartWriter({ rowGroupMaxBytes: 2_000 });
    const records = Array.from({ length: 50 }, (_, i) => changeRecord(i));
    for (const r of records) w.append(toParquetRow(r));
    assert.ok(w.bufferedRows < 50, 'some rows were already encoded');
    const bytes = w.finish();
    assert.ok(metadataOf(bytes).row_groups.length > 1);
    assert.deepEqual((await readParquetFile(bytes)).rows, records.map(asLanded));
  });

  it('counts encoded bytes plus an estimate of buffered rows as the part size', () => {
    const w = new ParquetPartWriter();
    const row = toParquetRow(changeRecord(1));
    const before = w.sizeBytes;
    w.append(row);
    assert.equal(w.sizeBytes - before, estimateRowBytes(row));
    assert.ok(
      estimateRowBytes(toParquetRow(changeRecord(1, { reason: 'é'.repeat(2000) }))) > 4000,
      'multi-byte UTF-8 is counted in bytes',
    );
  });

  it('estimates every column of the schema: PLAIN length prefix + UTF-8 bytes per string, 4/8/~9 bytes per INT32/INT64/decimal, 1 per nullable (property)', () => {
    const fixed: Partial<Record<ChangeRecordFieldSpec['kind'], number>> = { int: 4, long: 8, 'timestamp-millis': 8, decimal: 9 };
    const fromSchema = (row: Record<string, unknown>) =>
      CHANGE_RECORD_FIELD_SPECS.reduce((n, f) => {
        const v = row[f.name];
        const size = v === null ? 0 : f.kind === 'string' ? 4 + Buffer.byteLength(v as string) : fixed[f.kind]!;
        return n + size + (f.nullable ? 1 : 0);
      }, 0);
    fc.assert(
      fc.property(anyChangeRecordArb, (record) => {
        const row = toParquetRow(record);
        assert.equal(estimateRowBytes(row), fromSchema(row as unknown as Record<string, unknown>));
      }),
    );
  });

  it('round-trips arbitrary valid change records: non-ASCII, 2,000-character reasons, every currency exponent (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyChangeRecordArb, { minLength: 1, maxLength: 20 }), async (records) => {
        assert.deepEqual(await roundTrip(records), records.map(asLanded));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips each record alone, so one bad value cannot hide among others (property)', async () => {
    await fc.assert(
      fc.asyncProperty(anyChangeRecordArb, async (record) => {
        assert.deepEqual(await roundTrip([record]), [asLanded(record)]);
      }),
      { numRuns: 300 },
    );
  });
});
