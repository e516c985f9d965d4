import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parquetReadObjects } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { toParquetRow } from '../schema/index.ts';
import { InvalidPartFileError } from './errors.ts';
import { writeParquetFile } from './ParquetPartWriter.ts';
import { readParquetFile } from './readParquetFile.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

describe('readParquetFile', () => {
  it('reads DECIMAL amounts exactly where a plain hyparquet read rounds them through float64', async () => {
    const bytes = writeParquetFile([toParquetRow(changeRecord(1, { amount: '99999999999999.9999', currency: 'CLF' }))]);
    const plain = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    });
    assert.notEqual(String(plain[0]!.amount), '99999999999999.9999', 'hyparquet alone loses the last digits');
    const { rows } = await readParquetFile(bytes);
    assert.equal(rows[0]!.amount, '99999999999999.9999');
  });

  it('describes each column with physical type, logical type and repetition', async () => {
    const { schema, numRows } = await readParquetFile(writeParquetFile([toParquetRow(changeRecord(1))]));
    assert.equal(numRows, 1);
    const byName = Object.fromEntries(schema.map((c) => [c.name, c]));
    assert.deepEqual(byName.amount, {
      name: 'amount',
      physicalType: 'BYTE_ARRAY',
      logicalType: 'DECIMAL(18,4)',
      repetition: 'REQUIRED',
    });
    assert.deepEqual(byName.event_time, {
      name: 'event_time',
      physicalType: 'INT64',
      logicalType: 'TIMESTAMP(MILLIS,UTC)',
      repetition: 'REQUIRED',
    });
    assert.deepEqual(byName.reason, {
      name: 'reason',
      physicalType: 'BYTE_ARRAY',
      logicalType: 'STRING',
      repetition: 'REQUIRED',
    });
    assert.deepEqual(byName.previous_status, {
      name: 'previous_status',
      physicalType: 'BYTE_ARRAY',
      logicalType: 'STRING',
      repetition: 'OPTIONAL',
    });
    assert.deepEqual(byName.schema_version, {
      name: 'schema_version',
      physicalType: 'INT32',
      logicalType: null,
      repetition: 'REQUIRED',
    });
  });

  it('reads an empty part file as zero rows', async () => {
    const { rows, numRows, schema } = await readParquetFile(writeParquetFile([]));
    assert.deepEqual([rows, numRows, schema.length], [[], 0, 14]);
  });

  it('says which columns are missing from a Parquet file that is not a change-record file', async () => {
    const other = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'x', data: [1, 2], type: 'INT32' }] }));
    await assert.rejects(
      readParquetFile(other),
      (e: unknown) =>
        e instanceof InvalidPartFileError && /lacks change-record column\(s\) schema_version, event_id/.test(e.message),
    );
  });

  it('refuses bytes that are not Parquet', async () => {
    await assert.rejects(readParquetFile(new TextEncoder().encode('hello, not parquet')), InvalidPartFileError);
  });
});
