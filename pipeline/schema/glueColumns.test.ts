import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { readParquetFile, writeParquetFile } from '../parquet-writer/index.ts';
import { changeRecordAvroSchema, type AvroRecordSchema } from './avroSchema.ts';
import { SchemaDefinitionError } from './errors.ts';
import { CHANGE_RECORD_GLUE_COLUMNS, GLUE_COMMENT_MAX, glueColumnsOf, hiveTypeOf } from './glueColumns.ts';
import { toParquetRow } from './parquetRow.ts';

describe('glue columns', () => {
  it('declare every Avro field of the change record, in order, with exact decimal money and timestamps', () => {
    assert.deepEqual(
      CHANGE_RECORD_GLUE_COLUMNS.map((c) => [c.name, c.type]),
      [
        ['schema_version', 'int'],
        ['event_id', 'string'],
        ['event_type', 'string'],
        ['sequence_number', 'string'],
        ['event_time', 'timestamp'],
        ['chargeback_id', 'string'],
        ['merchant_id', 'string'],
        ['amount', 'decimal(18,4)'],
        ['currency', 'string'],
        ['reason', 'string'],
        ['status', 'string'],
        ['previous_status', 'string'],
        ['created_at', 'timestamp'],
        ['updated_at', 'timestamp'],
      ],
    );
    assert.deepEqual(
      CHANGE_RECORD_GLUE_COLUMNS.map((c) => c.name),
      changeRecordAvroSchema.fields.map((f) => f.name),
    );
    assert.equal(CHANGE_RECORD_GLUE_COLUMNS.find((c) => c.name === 'amount')?.comment?.startsWith('Exact amount'), true);
  });

  it('maps each Avro type to the Hive type Athena reads its Parquet column as', () => {
    const cases: [unknown, string][] = [
      ['string', 'string'],
      ['int', 'int'],
      ['long', 'bigint'],
      ['boolean', 'boolean'],
      ['double', 'double'],
      ['bytes', 'binary'],
      [{ type: 'string' }, 'string'],
      [{ type: 'bytes', logicalType: 'decimal', precision: 18, scale: 4 }, 'decimal(18,4)'],
      [{ type: 'fixed', size: 16, logicalType: 'decimal', precision: 38, scale: 0 }, 'decimal(38,0)'],
      [{ type: 'long', logicalType: 'timestamp-millis' }, 'timestamp'],
      [{ type: 'long', logicalType: 'timestamp-micros' }, 'timestamp'],
      [{ type: 'int', logicalType: 'date' }, 'date'],
      [['null', 'string'], 'string'],
      [[{ type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 }, 'null'], 'decimal(10,2)'],
    ];
    for (const [avro, hive] of cases) assert.equal(hiveTypeOf('f', avro), hive, JSON.stringify(avro));
  });

  it('refuses what it cannot map, naming the field and the type', () => {
    const cases: [unknown, RegExp][] = [
      [['null', 'string', 'int'], /field f has the union \["null","string","int"\]/],
      [['string', 'int'], /union/],
      [{ type: 'bytes', logicalType: 'decimal', precision: 39, scale: 2 }, /decimal precision 39/],
      [{ type: 'bytes', logicalType: 'decimal', precision: 4, scale: 5 }, /decimal scale 5/],
      [{ type: 'bytes', logicalType: 'decimal' }, /decimal precision undefined/],
      [{ type: 'string', logicalType: 'timestamp-millis' }, /timestamp-millis on string/],
      [{ type: 'record', name: 'x', fields: [] }, /has Avro type record/],
      [{ type: 'int', logicalType: 'time-millis' }, /logical type time-millis/],
      ['null', /Avro type null/],
    ];
    for (const [avro, message] of cases) {
      assert.throws(
        () => hiveTypeOf('f', avro),
        (e: unknown) => e instanceof SchemaDefinitionError && message.test(e.message),
        JSON.stringify(avro),
      );
    }
  });

  it("keeps a field's doc as its comment, cut to Glue's 255 characters", () => {
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      namespace: 'n',
      fields: [
        { name: 'a', type: 'string', doc: 'x'.repeat(300) },
        { name: 'b', type: 'int' },
      ],
    };
    const [a, b] = glueColumnsOf(schema);
    assert.equal(a?.comment?.length, GLUE_COMMENT_MAX);
    assert.equal(b?.comment, undefined);
  });

  it("agree with the columns the embedded writer actually writes (the Parquet file's own schema)", async () => {
    const bytes = writeParquetFile([
      toParquetRow(changeRecord(1)),
      toParquetRow(changeRecord(2, { previous_status: 'RECEIVED' })),
    ]);
    const { schema } = await readParquetFile(bytes);
    // How Athena's Parquet reader types each written column.
    const hiveOf = (physical: string, logical: string | null): string => {
      if (logical === 'STRING') return 'string';
      const decimal = /^DECIMAL\((\d+),(\d+)\)$/.exec(logical ?? '');
      if (decimal) return `decimal(${decimal[1]},${decimal[2]})`;
      if (logical?.startsWith('TIMESTAMP(')) return 'timestamp';
      if (logical === null && physical === 'INT32') return 'int';
      if (logical === null && physical === 'INT64') return 'bigint';
      return `unmapped ${physical} ${logical}`;
    };
    assert.deepEqual(
      schema.map((c) => [c.name, hiveOf(c.physicalType, c.logicalType)]),
      CHANGE_RECORD_GLUE_COLUMNS.map((c) => [c.name, c.type]),
    );
  });
});
