import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Testing } from 'cdktf';
import { athenaSymlinkKey } from '../../pipeline/consolidation/index.ts';
import { CHANGE_RECORD_GLUE_COLUMNS, chargebackChangesTable } from '../../pipeline/schema/index.ts';
import { SYMLINK_TEXT_INPUT_FORMAT } from '../../pipeline/query/consolidatedChangesTable.ts';
import { CHARGEBACK_CHANGES_ALL_VIEW_SQL, CHARGEBACKS_CURRENT_VIEW_SQL } from '../../pipeline/query/views.ts';
import type { PolicyDocument } from '../iam/PolicyDocument.ts';
import { AnalyticsCatalog } from './AnalyticsCatalog.ts';

/** The construct alone in a test scope: what Terraform would get for the catalog, without the rest of the app. */
type Body = Record<string, unknown>;
const BUCKET = 'chargeback-cdc-dev-landing';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const tf = JSON.parse(
  Testing.synthScope(
    (scope) =>
      new AnalyticsCatalog(scope, 'analytics', {
        databaseName: 'chargeback_cdc_dev',
        workgroupName: 'chargeback-cdc-dev-analytics',
        analystPolicyName: 'chargeback-cdc-dev-analyst',
        bucketName: BUCKET,
        bucketArn: BUCKET_ARN,
        landingPrefix: 'landing/chargebacks/',
        projectionStartDay: '2026-01-01',
        dataKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/data',
        accountId: '111122223333',
        partition: 'aws',
        region: 'us-east-1',
      }),
  ),
) as { resource: Record<string, Record<string, Body>> };
const all = (type: string) => Object.values(tf.resource[type] ?? {});
const named = (type: string, name: string) => {
  const found = all(type).filter((b) => b.name === name);
  assert.equal(found.length, 1, `one ${type} named ${name}`);
  return found[0]!;
};
/** What Terraform hands AWS: `$${x}` in a JSON string is the literal `${x}`. */
const literal = (v: string) => v.replaceAll('$${', '${');

describe('AnalyticsCatalog', () => {
  it('declares chargeback_changes_consolidated: symlink input, Parquet SerDe and output, the landing columns, over _athena/', () => {
    const t = named('aws_glue_catalog_table', 'chargeback_changes_consolidated');
    const sd = t.storage_descriptor as {
      location: string;
      input_format: string;
      output_format: string;
      ser_de_info: { serialization_library: string };
      columns: { name: string; type: string }[];
    };
    assert.equal(t.table_type, 'EXTERNAL_TABLE');
    assert.equal(sd.location, `s3://${BUCKET}/consolidated/chargebacks/_athena/`);
    assert.equal(sd.input_format, SYMLINK_TEXT_INPUT_FORMAT);
    assert.equal(sd.input_format, 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat');
    assert.equal(sd.output_format, 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat');
    assert.equal(sd.ser_de_info.serialization_library, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    const landing = named('aws_glue_catalog_table', 'chargeback_changes').storage_descriptor as { columns: unknown };
    assert.deepEqual(sd.columns, landing.columns, 'the same columns as the landing table');
    assert.deepEqual(
      sd.columns.map((c) => [c.name, c.type]),
      CHANGE_RECORD_GLUE_COLUMNS.map((c) => [c.name, c.type]),
    );
  });

  it('partitions the consolidated table by day, by date projection over the folders the job writes symlink files to', () => {
    const t = named('aws_glue_catalog_table', 'chargeback_changes_consolidated');
    assert.deepEqual(
      (t.partition_keys as { name: string; type: string }[]).map((k) => [k.name, k.type]),
      [['day', 'string']],
    );
    const p = t.parameters as Record<string, string>;
    assert.equal(p['projection.enabled'], 'true');
    assert.equal(p['projection.day.type'], 'date');
    assert.equal(p['projection.day.format'], 'yyyy-MM-dd');
    assert.equal(p['projection.day.range'], '2026-01-01,NOW');
    assert.equal(p['projection.day.interval'], '1');
    assert.equal(p['projection.day.interval.unit'], 'DAYS');
    // Escaped for Terraform, so Glue receives the placeholder and not an interpolation.
    assert.equal(p['storage.location.template'], `s3://${BUCKET}/consolidated/chargebacks/_athena/day=$\${day}/`);
    const projected = literal(p['storage.location.template']!).replaceAll('${day}', '2026-01-31');
    assert.equal(`${projected}symlink.txt`, `s3://${BUCKET}/${athenaSymlinkKey('consolidated/chargebacks/', '2026-01-31')}`);
    // The day key has the landing table's type, so the combined view compares them as they are.
    const landingDay = (
      named('aws_glue_catalog_table', 'chargeback_changes').partition_keys as { name: string; type: string }[]
    )[0];
    assert.deepEqual([landingDay?.name, landingDay?.type], ['day', 'string']);
    assert.equal(
      chargebackChangesTable({ bucket: BUCKET, prefix: 'landing/chargebacks/', projectionStartDay: '2026-01-01' })
        .partitionKeys[0]!.type,
      'string',
    );
  });

  it('ships chargeback_changes_all and chargebacks_current over it as named queries, with the SQL of views.ts', () => {
    const allView = named('aws_athena_named_query', 'chargeback_changes_all');
    assert.equal(allView.query, CHARGEBACK_CHANGES_ALL_VIEW_SQL);
    assert.match(String(allView.query), /FROM chargeback_changes_consolidated c\nUNION ALL\n/);
    const current = named('aws_athena_named_query', 'chargebacks_current');
    assert.equal(current.query, CHARGEBACKS_CURRENT_VIEW_SQL);
    assert.match(String(current.query), /FROM chargeback_changes_all c\b/);
    for (const q of [allView, current]) assert.match(String(q.description), /chargeback_changes_all/);
  });

  it('lets analysts read the consolidated prefix (symlinks and the files they list) and its tables, nothing more', () => {
    const policy = JSON.parse(String(all('aws_iam_policy')[0]!.policy)) as PolicyDocument;
    const sid = (s: string) => policy.Statement.find((x) => x.Sid === s)!;
    assert.deepEqual(sid('ReadConsolidatedDays').Action, ['s3:GetObject']);
    assert.deepEqual(sid('ReadConsolidatedDays').Resource, [`${BUCKET_ARN}/consolidated/chargebacks/*`]);
    assert.deepEqual(sid('ReadLandedParts').Resource, [`${BUCKET_ARN}/landing/chargebacks/*`]);
    assert.deepEqual(sid('ListLandingConsolidatedAndResultsOnly').Condition, {
      StringLike: { 's3:prefix': ['landing/chargebacks/*', 'consolidated/chargebacks/*', 'athena-results/*'] },
    });
    const tables = [sid('ReadTheCatalogTableAndView').Resource].flat();
    for (const t of ['chargeback_changes', 'chargeback_changes_consolidated', 'chargeback_changes_all', 'chargebacks_current'])
      assert.ok(tables.includes(`arn:aws:glue:us-east-1:111122223333:table/chargeback_cdc_dev/${t}`), t);
    for (const st of policy.Statement) for (const a of [st.Action].flat()) assert.ok(!a.includes('*'), `action ${a}`);
    assert.ok(
      policy.Statement.every((st) =>
        [st.Action].flat().every((a) => !/^s3:(Put|Delete)/.test(a) || st.Sid === 'WriteAndReadQueryResults'),
      ),
      'writes only query results',
    );
  });
});
