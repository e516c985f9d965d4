import { describe, it } from 'node:test';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { anyChangeRecordArb } from '../../fixtures/arbitraries.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { writeParquetFile } from '../parquet-writer/index.ts';
import { canonicalAmount, toParquetRow } from '../schema/index.ts';
import { UnreadableLandedFileError } from './errors.ts';
import { readLandedMoney, readLandedMoneyFile } from './readLandedMoney.ts';
import { moneyChangeOf } from './reconcileMoney.ts';

/** A part file in another writer's layout: INT64 DECIMAL(18,2) amounts and MICROS timestamps. */
function otherLayoutFile(
  rows: Array<{ id: string; type: string; seq: string; micros: bigint; currency: string; cents: bigint }>,
) {
  const str = (name: string) => ({
    name,
    type: 'BYTE_ARRAY' as const,
    converted_type: 'UTF8' as const,
    repetition_type: 'REQUIRED' as const,
  });
  return new Uint8Array(
    parquetWriteBuffer({
      schema: [
        { name: 'root', num_children: 6 },
        str('chargeback_id'),
        str('event_type'),
        str('sequence_number'),
        {
          name: 'event_time',
          type: 'INT64',
          repetition_type: 'REQUIRED',
          logical_type: { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true },
        },
        str('currency'),
        {
          name: 'amount',
          type: 'INT64',
          repetition_type: 'REQUIRED',
          converted_type: 'DECIMAL',
          scale: 2,
          precision: 18,
          logical_type: { type: 'DECIMAL', scale: 2, precision: 18 },
        },
      ],
      columnData: [
        { name: 'chargeback_id', data: rows.map((r) => r.id) },
        { name: 'event_type', data: rows.map((r) => r.type) },
        { name: 'sequence_number', data: rows.map((r) => r.seq) },
        { name: 'event_time', data: rows.map((r) => r.micros) },
        { name: 'currency', data: rows.map((r) => r.currency) },
        { name: 'amount', data: rows.map((r) => r.cents) },
      ],
    }),
  );
}

describe('readLandedMoneyFile', () => {
  it('property: reads back the exact money fields of every row the embedded writer landed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyChangeRecordArb, { minLength: 1, maxLength: 30 }), async (records) => {
        const { changes, problems } = await readLandedMoneyFile(writeParquetFile(records.map(toParquetRow)), 'k');
        assert.deepEqual(problems, []);
        assert.deepEqual(
          changes,
          records.map((r) => ({ ...moneyChangeOf(r), amount: canonicalAmount(r.amount) })),
        );
      }),
      { numRuns: 30 },
    );
  });

  it("takes the amount's scale and the timestamp's unit from the file (INT64 DECIMAL(18,2), MICROS)", async () => {
    const file = otherLayoutFile([
      { id: 'cb_1', type: 'REMOVE', seq: '42', micros: 1_764_640_799_999_999n, currency: 'USD', cents: 99_999_999_999_999_99n },
    ]);
    assert.deepEqual(await readLandedMoneyFile(file, 'k'), {
      changes: [
        {
          chargeback_id: 'cb_1',
          event_type: 'REMOVE',
          sequence_number: '42',
          event_time: '2025-12-02T01:59:59.999Z',
          currency: 'USD',
          amount: '99999999999999.99',
        },
      ],
      problems: [],
    });
  });

  it('names the file, row, field and problem of a row it cannot use, and still reads the good rows', async () => {
    const file = otherLayoutFile([
      { id: 'cb_ok', type: 'INSERT', seq: '1', micros: 0n, currency: 'USD', cents: 150n },
      { id: 'cb_bad', type: 'UPSERT', seq: '2', micros: 0n, currency: 'JPY', cents: -150n },
      { id: 'cb_jpy', type: 'INSERT', seq: '3', micros: 0n, currency: 'JPY', cents: 150n },
    ]);
    const { changes, problems } = await readLandedMoneyFile(file, 'landing/chargebacks/x.parquet');
    assert.deepEqual(
      changes.map((c) => c.chargeback_id),
      ['cb_ok'],
    );
    assert.deepEqual(problems, [
      {
        key: 'landing/chargebacks/x.parquet',
        row: 1,
        field: 'event_type',
        problem: 'is "UPSERT", not one of INSERT, MODIFY, REMOVE',
      },
      { key: 'landing/chargebacks/x.parquet', row: 1, field: 'amount', problem: 'is negative (-1.5)' },
      {
        key: 'landing/chargebacks/x.parquet',
        row: 2,
        field: 'amount',
        problem: '1.5 has 1 decimal places but JPY allows at most 0',
      },
    ]);
  });

  it('refuses a file without the money columns, naming them', async () => {
    const other = new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'amount', data: [1.5], type: 'DOUBLE' }] }));
    await assert.rejects(
      readLandedMoneyFile(other, 'k'),
      (e: unknown) => e instanceof UnreadableLandedFileError && /k: no column\(s\) chargeback_id, event_type/.test(e.message),
    );
  });

  it('refuses bytes that are not Parquet', async () => {
    await assert.rejects(readLandedMoneyFile(new TextEncoder().encode('not parquet'), 'k'), UnreadableLandedFileError);
  });
});

describe('readLandedMoney', () => {
  it("reads the hour's part files and never the hour closer's _manifest.json beside them", async () => {
    // Prepare: S3 stand-in for this module's unit test (the scenarios use moto).
    const part = writeParquetFile([toParquetRow(changeRecord(1))]);
    const objects: Record<string, Uint8Array> = {
      'landing/chargebacks/2026-01-31/23/part-0-0000000000-0000000000.parquet': part,
      'landing/chargebacks/2026-01-31/23/_manifest.json': new TextEncoder().encode('{"rows":1}'),
    };
    const gets: string[] = [];
    const s3 = {
      async send(command: unknown) {
        if (command instanceof ListObjectsV2Command)
          return { Contents: Object.entries(objects).map(([Key, b]) => ({ Key, Size: b.length })), IsTruncated: false };
        if (command instanceof GetObjectCommand) {
          gets.push(command.input.Key!);
          return { Body: { transformToByteArray: async () => objects[command.input.Key!]! } };
        }
        throw new Error(`unexpected command ${String(command)}`);
      },
    } as unknown as S3Client;
    // Act
    const landed = await readLandedMoney(s3, 'b');
    // Assess
    assert.deepEqual(gets, ['landing/chargebacks/2026-01-31/23/part-0-0000000000-0000000000.parquet']);
    assert.equal(landed.files, 1);
    assert.deepEqual(landed.problems, []);
    assert.equal(landed.changes.length, 1);
  });
});
