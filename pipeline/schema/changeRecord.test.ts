import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHANGE_RECORD_FIELDS } from './avroSchema.ts';
import { decodeChangeRecord, encodeChangeRecord } from './changeRecordCodec.ts';
import { validateChangeRecord } from './validateChangeRecord.ts';
import { fromParquetRow, toParquetRow } from './parquetRow.ts';
import { canonicalAmount } from './money.ts';
import { changeRecordArb } from '../../fixtures/arbitraries.ts';

test('property: change record → topic bytes → change record is the identity', () => {
  fc.assert(
    fc.property(changeRecordArb, (r) => {
      const d = decodeChangeRecord(encodeChangeRecord(r));
      assert.ok(d.ok, JSON.stringify(!d.ok && d.errors));
      assert.deepEqual(d.value, r);
    }),
    { numRuns: 500 },
  );
});

test('property: change record → Parquet row → change record keeps every value (amount canonical)', () => {
  fc.assert(
    fc.property(changeRecordArb, (r) => {
      assert.deepEqual(fromParquetRow(toParquetRow(r)), { ...r, amount: canonicalAmount(r.amount) });
    }),
    { numRuns: 500 },
  );
});

test('property: encoding is deterministic (same record, same bytes) so replays are byte-identical', () => {
  fc.assert(fc.property(changeRecordArb, (r) => assert.deepEqual(encodeChangeRecord({ ...r }), encodeChangeRecord(r))));
});

test('reports every problem with its field at once: each field that is missing or wrong, and no other', () => {
  const given = {
    schema_version: 1,
    event_type: 'UPSERT',
    amount: '1.999',
    currency: 'USD',
    status: 'OPEN',
    created_at: 'yesterday',
  };
  const r = validateChangeRecord(given);
  assert.ok(!r.ok);
  // Every field is missing or wrong except the valid schema_version and currency (amount is wrong for USD).
  const expected = CHANGE_RECORD_FIELDS.filter((f) => f !== 'schema_version' && f !== 'currency');
  assert.deepEqual([...new Set(r.errors.map((e) => e.field))].sort(), [...expected].sort(), JSON.stringify(r.errors));
});

test('undecodable bytes are errors, never exceptions: empty, non-UTF-8, not JSON, not an object, unknown version', () => {
  const problems = [
    new Uint8Array(),
    new Uint8Array([0xff, 0xfe, 0x00]),
    Buffer.from('{nope'),
    Buffer.from('[1,2]'),
    Buffer.from('{"schema_version":2}'),
  ].map((b) => {
    const d = decodeChangeRecord(b);
    assert.ok(!d.ok);
    return d.errors[0]!.problem;
  });
  assert.match(problems[0]!, /empty/);
  assert.match(problems[1]!, /UTF-8/);
  assert.match(problems[2]!, /not JSON/);
  assert.match(problems[3]!, /JSON object/);
  assert.match(problems[4]!, /unknown schema_version 2/);
});

test('an amount written as a JSON number is refused (the wire contract is a decimal string), without float rounding in the message', () => {
  const d = decodeChangeRecord(Buffer.from('{"schema_version":1,"amount":10.10}'));
  assert.ok(!d.ok);
  assert.ok(d.errors.some((e) => e.field === 'amount' && /decimal string/.test(e.problem)));
});
