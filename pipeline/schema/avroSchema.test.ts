import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANGE_RECORD_FIELD_SPECS, CHANGE_RECORD_FIELDS, changeRecordAvroSchema, parquetSchemaElements } from './avroSchema.ts';
import type { ChangeRecord } from './changeRecord.ts';
import { encodeChangeRecord } from './changeRecordCodec.ts';
import { ChangeRecordSchema } from './ChangeRecordSchema.ts';
import { CHARGEBACK_FIELDS, StoredChargeback } from './chargeback.ts';
import { AMOUNT_PRECISION, AMOUNT_SCALE } from './money.ts';
import { toParquetRow } from './parquetRow.ts';
import { validateChangeRecord } from './validateChangeRecord.ts';
import { sampleChargeback } from '../../fixtures/streamEvents.ts';

/** Typed as the TypeScript type, so it has exactly the type's fields (the compiler refuses a missing or an extra one). */
const sample: ChangeRecord = {
  schema_version: 1,
  event_id: 'e',
  event_type: 'INSERT',
  sequence_number: '1',
  event_time: '2026-01-01T00:00:00.000Z',
  previous_status: null,
  ...sampleChargeback,
};

test('the TypeScript type, the zod schema and the Avro schema have the same fields; zod and the wire in Avro order', () => {
  assert.deepEqual(Object.keys(sample).sort(), [...CHANGE_RECORD_FIELDS].sort(), 'TypeScript type vs Avro schema');
  assert.deepEqual(Object.keys(ChangeRecordSchema.shape), CHANGE_RECORD_FIELDS, 'zod schema vs Avro schema');
  const parsed = ChangeRecordSchema.safeParse({ ...sample, extra: 1 });
  assert.ok(parsed.success);
  assert.deepEqual(Object.keys(parsed.data), CHANGE_RECORD_FIELDS, 'zod output order');
});

test('zod and the fast validator take null exactly where the Avro schema allows it, and the JSON type of each Avro kind', () => {
  const jsonTypeOf = {
    int: 'number',
    long: 'number',
    string: 'string',
    decimal: 'string',
    'timestamp-millis': 'string',
  } as const;
  const everyFieldSet: ChangeRecord = { ...sample, event_type: 'MODIFY', previous_status: 'RECEIVED' };
  for (const spec of CHANGE_RECORD_FIELD_SPECS) {
    const rule = ChangeRecordSchema.shape[spec.name];
    assert.equal(rule.safeParse(null).success, spec.nullable, `zod on null ${spec.name}`);
    assert.equal(validateChangeRecord({ ...sample, [spec.name]: null }).ok, spec.nullable, `validator on null ${spec.name}`);
    const jsonType = jsonTypeOf[spec.kind as keyof typeof jsonTypeOf];
    assert.ok(jsonType, `no JSON type known for Avro kind ${spec.kind} of ${spec.name}`);
    assert.equal(typeof everyFieldSet[spec.name], jsonType, `sample ${spec.name}`);
    const wrong = jsonType === 'number' ? String(everyFieldSet[spec.name]) : 1;
    assert.equal(rule.safeParse(wrong).success, false, `zod on ${spec.name} = ${JSON.stringify(wrong)}`);
  }
});

test("the chargeback fields are the stored chargeback's, every one of them in the Avro schema", () => {
  assert.deepEqual([...CHARGEBACK_FIELDS].sort(), Object.keys(StoredChargeback.shape).sort());
  assert.deepEqual(
    CHARGEBACK_FIELDS,
    CHANGE_RECORD_FIELDS.filter((f) => (CHARGEBACK_FIELDS as readonly string[]).includes(f)),
  );
});

test("the money constants are the Avro decimal's precision and scale", () => {
  const amount = CHANGE_RECORD_FIELD_SPECS.find((s) => s.kind === 'decimal');
  assert.equal(amount?.precision, AMOUNT_PRECISION);
  assert.equal(amount?.scale, AMOUNT_SCALE);
});

test('the wire JSON carries exactly the Avro schema fields, in its order', () => {
  assert.deepEqual(Object.keys(JSON.parse(encodeChangeRecord(sample).toString())), CHANGE_RECORD_FIELDS);
});

test('the Parquet row carries exactly the Avro schema fields', () => {
  assert.deepEqual(Object.keys(toParquetRow(sample)).sort(), [...CHANGE_RECORD_FIELDS].sort());
});

test('the Parquet schema is derived with exact types: DECIMAL(18,4) money, UTC millisecond timestamps, explicit nullability', () => {
  const els = Object.fromEntries(
    parquetSchemaElements()
      .slice(1)
      .map((e) => [e.name, e]),
  );
  assert.deepEqual(els.amount!.logical_type, { type: 'DECIMAL', precision: 18, scale: 4 });
  assert.equal(els.amount!.type, 'BYTE_ARRAY');
  for (const t of ['event_time', 'created_at', 'updated_at'])
    assert.deepEqual(els[t]!.logical_type, { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
  assert.equal(els.previous_status!.repetition_type, 'OPTIONAL');
  assert.equal(els.chargeback_id!.repetition_type, 'REQUIRED');
  assert.ok(!Object.values(els).some((e) => e.type === 'DOUBLE' || e.type === 'FLOAT'), 'no binary floats anywhere');
  assert.equal(parquetSchemaElements()[0]!.num_children, changeRecordAvroSchema.fields.length);
});

test('the field specs are derived from the Avro schema: kinds, nullability and decimal precision', () => {
  const specs = Object.fromEntries(CHANGE_RECORD_FIELD_SPECS.map((s) => [s.name, s]));
  assert.deepEqual(
    CHANGE_RECORD_FIELD_SPECS.map((s) => s.name),
    CHANGE_RECORD_FIELDS,
  );
  assert.deepEqual(specs.amount, { name: 'amount', kind: 'decimal', nullable: false, precision: 18, scale: 4 });
  assert.deepEqual(specs.event_time, { name: 'event_time', kind: 'timestamp-millis', nullable: false });
  assert.deepEqual(specs.previous_status, { name: 'previous_status', kind: 'string', nullable: true });
  assert.deepEqual(specs.schema_version, { name: 'schema_version', kind: 'int', nullable: false });
});
