import assert from 'node:assert/strict';
import { GetPartitionsCommand, GlueClient, type Table } from '@aws-sdk/client-glue';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Then } from '@cucumber/cucumber';
import { getCatalogTable, loadStackConfig, localAwsClientConfig } from '../localstack/index.ts';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import type { DayManifest } from '../pipeline/consolidation/index.ts';
import { SYMLINK_TEXT_INPUT_FORMAT } from '../pipeline/query/consolidatedChangesTable.ts';
import { CONSOLIDATED_CHANGES_TABLE } from '../pipeline/query/views.ts';
import { changeRecordAvroSchema, projectedLocation } from '../pipeline/schema/index.ts';
import { pastDayOf } from './query.steps.ts';
import { currentPipeline } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

/**
 * What `stack up` registered in moto's Glue, read back through the Glue API as Athena would read
 * it; the chargeback itself is filed and awaited by the shared steps of chargeback.steps.ts.
 */

const cfg = () => loadStackConfig();

async function withGlue<T>(fn: (glue: GlueClient) => Promise<T>): Promise<T> {
  const glue = new GlueClient(localAwsClientConfig(cfg()));
  try {
    return await fn(glue);
  } finally {
    glue.destroy();
  }
}

async function registeredTable(): Promise<Table> {
  const { names } = cfg();
  const table = await withGlue((glue) => getCatalogTable(glue, names.glueDatabase, 'chargeback_changes'));
  assert.ok(table, `no table chargeback_changes in the local Glue database ${names.glueDatabase}`);
  return table;
}

Then(
  'the local Glue has the table {string} in the database {string} over the landing prefix',
  async function (this: ChargebackWorld, name: string, database: string) {
    const { names } = cfg();
    assert.equal(names.glueDatabase, database);
    const table = await withGlue((glue) => getCatalogTable(glue, database, name));
    assert.ok(table, `no table ${name} in the local Glue database ${database}`);
    assert.equal(table.TableType, 'EXTERNAL_TABLE');
    assert.equal(table.StorageDescriptor?.Location, `s3://${names.bucket}/${names.landingPrefix}`);
    assert.equal(
      table.StorageDescriptor?.SerdeInfo?.SerializationLibrary,
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    assert.equal(table.Parameters?.classification, 'parquet');
  },
);

Then(
  "the table's columns are the fields of the Avro schema, in order, with exact decimal money and timestamps",
  async function (this: ChargebackWorld) {
    const columns = (await registeredTable()).StorageDescriptor?.Columns ?? [];
    assert.deepEqual(
      columns.map((c) => c.Name),
      changeRecordAvroSchema.fields.map((f) => f.name),
    );
    const typeOf = (name: string) => columns.find((c) => c.Name === name)?.Type;
    assert.equal(typeOf('amount'), 'decimal(18,4)');
    for (const ts of ['event_time', 'created_at', 'updated_at']) assert.equal(typeOf(ts), 'timestamp', ts);
    assert.equal(typeOf('schema_version'), 'int');
    assert.ok(
      columns.every((c) => !/^(float|double)$/.test(c.Type ?? '')),
      'no column is a float',
    );
  },
);

Then(
  "the table's partitions are projected by UTC day {string} and two-digit hour over the landing layout",
  async function (this: ChargebackWorld, dayFormat: string) {
    const { names } = cfg();
    const table = await registeredTable();
    assert.deepEqual(
      table.PartitionKeys?.map((k) => [k.Name, k.Type]),
      [
        ['day', 'string'],
        ['hour', 'int'],
      ],
    );
    const p = table.Parameters ?? {};
    assert.equal(p['projection.enabled'], 'true');
    assert.equal(p['projection.day.type'], 'date');
    assert.equal(p['projection.day.format'], dayFormat);
    assert.match(p['projection.day.range'] ?? '', /^\d{4}-\d{2}-\d{2},NOW$/);
    assert.equal(p['projection.hour.type'], 'integer');
    assert.equal(p['projection.hour.range'], '0,23');
    assert.equal(p['projection.hour.digits'], '2');
    assert.equal(p['storage.location.template'], `s3://${names.bucket}/${names.landingPrefix}\${day}/\${hour}/`);
  },
);

Then('the table has no registered partitions, so no crawler or partition job is needed', async function (this: ChargebackWorld) {
  const { names } = cfg();
  const partitions = await withGlue((glue) =>
    glue.send(new GetPartitionsCommand({ DatabaseName: names.glueDatabase, TableName: 'chargeback_changes' })),
  );
  assert.deepEqual(partitions.Partitions ?? [], []);
});

Then(
  'the part file holding that row is in the folder the Glue table projects for its UTC day and hour',
  async function (this: ChargebackWorld) {
    const { names } = cfg();
    const id = this.chargeback!.chargeback_id;
    const [landed] = await currentPipeline().landing.rowsWhere((r) => r.chargeback_id === id);
    assert.ok(landed, `no landed row for ${id}`);
    const m = /\/(\d{4}-\d{2}-\d{2})\/(\d{2})\/[^/]+$/.exec(landed.key);
    assert.ok(m, `landed key ${landed.key} has no YYYY-MM-DD/HH folder`);
    const folder = projectedLocation((await registeredTable()).Parameters ?? {}, { day: m[1]!, hour: Number(m[2]) });
    const uri = `s3://${names.bucket}/${landed.key}`;
    assert.ok(uri.startsWith(folder), `${uri} is not in the projected folder ${folder}`);
    assert.ok(!uri.slice(folder.length).includes('/'), `${uri} is below the projected folder ${folder}, not in it`);
  },
);

/*
 * The consolidated table as `stack up` registered it in moto's Glue, from the definition infra/
 * deploys (pipeline/query/consolidatedChangesTable.ts): the day's symlink file is in the folder the
 * table's partition projection computes for the day, and lists exactly the manifest's outputs.
 */
Then(
  "the day's symlink file is in the folder chargeback_changes_consolidated projects for it and lists exactly its manifest's Parquet files",
  async function (this: ChargebackWorld) {
    const { day } = pastDayOf(this);
    const bucket = process.env.LANDING_BUCKET!;
    const { names } = cfg();
    const table = await withGlue((glue) => getCatalogTable(glue, names.glueDatabase, CONSOLIDATED_CHANGES_TABLE));
    assert.ok(table, `no table ${CONSOLIDATED_CHANGES_TABLE} in the local Glue database ${names.glueDatabase}`);
    assert.equal(table.StorageDescriptor?.InputFormat, SYMLINK_TEXT_INPUT_FORMAT);
    const template = table.Parameters?.['storage.location.template'];
    assert.ok(template, `${CONSOLIDATED_CHANGES_TABLE} has no storage.location.template`);
    const folder = template.replaceAll('${day}', day);
    assert.ok(folder.startsWith(`s3://${bucket}/`), folder);
    const s3 = new S3Client(awsClientConfigFromEnv());
    const text = async (key: string) =>
      (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
    try {
      const manifest = JSON.parse(await text(`consolidated/chargebacks/${day}/_manifest.json`)) as DayManifest;
      const symlink = await text(`${folder.slice(`s3://${bucket}/`.length)}symlink.txt`);
      assert.equal(symlink, manifest.outputs.map((o) => `s3://${bucket}/${o.key}\n`).join(''), `symlink.txt in ${folder}`);
      assert.ok(!symlink.includes('deadbeef'), 'the orphan is not listed');
    } finally {
      s3.destroy();
    }
  },
);
