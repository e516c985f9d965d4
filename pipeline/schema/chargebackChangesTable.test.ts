import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bucketIdOf } from '../parquet-writer/BucketAssigner.ts';
import { finalKeyOf } from '../parquet-writer/CheckpointCommitter.ts';
import { formatPartFileName } from '../parquet-writer/PartFileNamer.ts';
import { chargebackChangesTable, projectedLocation, CHARGEBACK_CHANGES_TABLE } from './chargebackChangesTable.ts';
import { SchemaDefinitionError } from './errors.ts';
import { CHANGE_RECORD_GLUE_COLUMNS } from './glueColumns.ts';

const options = { bucket: 'chargeback-cdc-landing', prefix: 'landing/chargebacks/', projectionStartDay: '2026-01-01' };

describe('chargeback_changes table', () => {
  it('is an external Parquet table over the landing prefix with the schema-derived columns', () => {
    const t = chargebackChangesTable(options);
    assert.equal(t.name, CHARGEBACK_CHANGES_TABLE);
    assert.equal(t.tableType, 'EXTERNAL_TABLE');
    assert.equal(t.location, 's3://chargeback-cdc-landing/landing/chargebacks/');
    assert.equal(t.columns, CHANGE_RECORD_GLUE_COLUMNS);
    assert.equal(t.storage.serializationLibrary, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    assert.deepEqual(
      t.partitionKeys.map((k) => [k.name, k.type]),
      [
        ['day', 'string'],
        ['hour', 'int'],
      ],
    );
    assert.equal(t.parameters.classification, 'parquet');
  });

  it('projects day (date, yyyy-MM-dd, from the configured start to NOW) and hour (0-23, two digits): no crawler', () => {
    const p = chargebackChangesTable(options).parameters;
    assert.deepEqual(
      Object.fromEntries(Object.entries(p).filter(([k]) => k.startsWith('projection.') || k === 'storage.location.template')),
      {
        'projection.enabled': 'true',
        'projection.day.type': 'date',
        'projection.day.format': 'yyyy-MM-dd',
        'projection.day.range': '2026-01-01,NOW',
        'projection.day.interval': '1',
        'projection.day.interval.unit': 'DAYS',
        'projection.hour.type': 'integer',
        'projection.hour.range': '0,23',
        'projection.hour.digits': '2',
        'storage.location.template': 's3://chargeback-cdc-landing/landing/chargebacks/${day}/${hour}/',
      },
    );
  });

  it("projects, for any instant, the folder the writer commits that instant's part files to", () => {
    const { parameters } = chargebackChangesTable(options);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2099, 11, 31, 23, 59, 59, 999) }),
        fc.nat(3),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        (ms, partition, offset) => {
          const bucket = bucketIdOf(ms); // 2026-01-31/23
          const key = finalKeyOf(
            options.prefix,
            bucket,
            formatPartFileName({ partition, firstOffset: offset, lastOffset: offset + 5n }),
          );
          const iso = new Date(ms).toISOString();
          const folder = projectedLocation(parameters, { day: iso.slice(0, 10), hour: new Date(ms).getUTCHours() });
          assert.equal(`s3://${options.bucket}/${key}`.slice(0, folder.length), folder);
          assert.equal(
            `s3://${options.bucket}/${key}`.slice(folder.length).includes('/'),
            false,
            'the file sits in the folder itself',
          );
        },
      ),
    );
    assert.equal(
      projectedLocation(parameters, { day: '2026-01-31', hour: 5 }),
      's3://chargeback-cdc-landing/landing/chargebacks/2026-01-31/05/',
    );
  });

  it('refuses a bad start day or prefix, naming every problem', () => {
    assert.throws(
      () => chargebackChangesTable({ bucket: '', prefix: '/landing', projectionStartDay: '2026-02-30' }),
      (e: unknown) =>
        e instanceof SchemaDefinitionError &&
        /bucket: empty/.test(e.message) &&
        /prefix: "\/landing"/.test(e.message) &&
        /projectionStartDay: "2026-02-30"/.test(e.message),
    );
  });
});
