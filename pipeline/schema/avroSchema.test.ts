import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANGE_RECORD_FIELD_SPECS, CHANGE_RECORD_FIELDS, changeRecordAvroSchema, parquetSchemaElements } from './avroSchema.ts';
import { encodeChangeRecord } from './changeRecord.ts';
import { toParquetRow } from './parquetRow.ts';
import { sampleChargeback } from '../../fixtures/streamEvents.ts';

const sample = {
  schema_version: 1,
  event_id: 'e',
  event_type: 'INSERT' as const,
  sequence_number: '1',
  event_time: '2026-01-01T00:00:00.000Z',
  previous_status: null,
  ...sampleChargeback,
};

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
