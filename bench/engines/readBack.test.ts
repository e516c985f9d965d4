import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeRecordAt } from '../changeRecords.ts';
import { decimalBytes } from './ParquetEngine.ts';
import { compareRows, compareSchema, contractSchema, normaliseLogicalType } from './readBack.ts';
import { canonicalAmount, unscaledFromBytes } from '../../pipeline/schema/index.ts';

test("decimal bytes are the minimal big-endian two's complement that parquet-avro writes (99.99 → 0F 41 DC)", () => {
  assert.deepEqual([...decimalBytes(999_900n)], [0x0f, 0x41, 0xdc]);
  assert.deepEqual([...decimalBytes(128n)], [0x00, 0x80]);
  assert.deepEqual([...decimalBytes(-1n)], [0xff]);
  for (const v of [0n, 1n, 127n, 255n, -128n, -129n, 999_999_999_999_999_999n])
    assert.equal(unscaledFromBytes(decimalBytes(v)), v);
});

test('the contract schema in pyarrow terms: amount BYTE_ARRAY DECIMAL(18,4), UTC millisecond timestamps, only previous_status nullable', () => {
  const s = contractSchema();
  assert.deepEqual(
    s.find((c) => c.name === 'amount'),
    { name: 'amount', physical_type: 'BYTE_ARRAY', logical_type: 'Decimal(precision=18, scale=4)', nullable: false },
  );
  assert.equal(s.find((c) => c.name === 'event_time')!.logical_type, 'Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds)');
  assert.deepEqual(
    s.filter((c) => c.nullable).map((c) => c.name),
    ['previous_status'],
  );
});

test('a legacy converted type reads as the same logical type; a different physical type is a difference', () => {
  assert.equal(
    normaliseLogicalType(
      'Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=true, force_set_converted_type=false)',
    ),
    'Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds)',
  );
  const schema = contractSchema().map((c) => (c.name === 'amount' ? { ...c, physical_type: 'INT64' } : c));
  assert.deepEqual(compareSchema({ rows: [], schema: contractSchema() }), { identical: true });
  // scripts/parquet_dump.py reports more than the contract names (converted_type): not a difference.
  assert.deepEqual(compareSchema({ rows: [], schema: contractSchema().map((c) => ({ ...c, converted_type: 'NONE' })) }), {
    identical: true,
  });
  assert.match(compareSchema({ rows: [], schema }).difference!, /^amount: INT64/);
});

test('rows compare in any order, with amounts canonical, and a reader error is a difference', () => {
  const w = { total: 10, runId: 't' };
  const records = [changeRecordAt(w, 0), changeRecordAt(w, 1)];
  const asRead = records.map((r) => ({ ...r, amount: canonicalAmount(r.amount) })).reverse();
  assert.deepEqual(compareRows({ rows: asRead }, records), { identical: true });
  assert.equal(compareRows({ rows: [{ ...asRead[0]!, amount: '0x0f41dc' }, asRead[1]!] }, records).identical, false);
  assert.deepEqual(compareRows({ error: 'ParquetDecodingException' }, records), {
    identical: false,
    difference: 'ParquetDecodingException',
  });
});
