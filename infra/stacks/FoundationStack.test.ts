import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { synth, resource, resources, dataSource, ref, policyOf, statement, type TfJson } from '../test/synthFixture.ts';
import { NO_NAT } from '../test/configBranches.ts';
import { changeRecordAvroSchema, parquetSchemaElements, projectedLocation } from '../../pipeline/schema/index.ts';
import { CHARGEBACKS_CURRENT_VIEW_SQL } from '../../pipeline/query/views.ts';
import { bucketIdOf, formatPartFileName } from '../../pipeline/parquet-writer/index.ts';

describe('foundation stack (seed Phase 1)', () => {
  const s = synth();
  const f = s.foundation;
  let noNat: TfJson | undefined;
  const noNatFoundation = () => {
    noNat ??= synth(NO_NAT).foundation;
    return noNat;
  };

  it('creates the chargebacks table keyed by chargeback_id with a NEW_AND_OLD_IMAGES stream and point-in-time recovery', () => {
    const table = resource(f, 'aws_dynamodb_table');
    assert.equal(table.name, 'chargeback-cdc-dev-chargebacks');
    assert.equal(table.hash_key, 'chargeback_id');
    assert.deepEqual(table.attribute, [{ name: 'chargeback_id', type: 'S' }]);
    assert.equal(table.billing_mode, 'PAY_PER_REQUEST');
    assert.equal(table.stream_enabled, true);
    assert.equal(table.stream_view_type, 'NEW_AND_OLD_IMAGES');
    assert.deepEqual(table.point_in_time_recovery, { enabled: true });
  });

  it('encrypts the table with the environment key, which rotates and whose policy names every action', () => {
    const key = resource(f, 'aws_kms_key');
    assert.equal(key.enable_key_rotation, true);
    const table = resource(f, 'aws_dynamodb_table');
    assert.deepEqual(table.server_side_encryption, { enabled: true, kms_key_arn: ref(f, 'aws_kms_key', key, 'arn') });
    const policy = policyOf(key);
    for (const st of policy.Statement) for (const a of st.Action) assert.ok(!a.includes('*'), `key policy action ${a}`);
    const logs = statement(policy, 'CloudWatchLogsForThisAccountsLogGroups');
    assert.deepEqual(logs.Principal, { Service: 'logs.us-east-1.amazonaws.com' });
    assert.match(JSON.stringify(logs.Condition), /log-group:\*/);
    assert.equal(resource(f, 'aws_kms_alias').name, 'alias/chargeback-cdc-dev-data');
  });

  it('hardens the landing bucket: SSE-KMS with a bucket key, versioning, public access blocked, owner-enforced', () => {
    const bucket = resource(f, 'aws_s3_bucket');
    const bucketId = ref(f, 'aws_s3_bucket', bucket, 'id');
    assert.match(String(bucket.bucket), /^chargeback-cdc-dev-landing-\$\{data\.aws_caller_identity\.caller\.account_id\}$/);
    const sse = resource(f, 'aws_s3_bucket_server_side_encryption_configuration');
    assert.equal(sse.bucket, bucketId);
    assert.deepEqual(sse.rule, [
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: ref(f, 'aws_kms_key', resource(f, 'aws_kms_key'), 'arn'),
        },
        bucket_key_enabled: true,
      },
    ]);
    assert.deepEqual(resource(f, 'aws_s3_bucket_versioning').versioning_configuration, { status: 'Enabled' });
    const pab = resource(f, 'aws_s3_bucket_public_access_block');
    for (const k of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'])
      assert.equal(pab[k], true, k);
    assert.deepEqual(resource(f, 'aws_s3_bucket_ownership_controls').rule, { object_ownership: 'BucketOwnerEnforced' });
  });

  it('denies every request to the bucket that does not use TLS 1.2+', () => {
    const policy = policyOf(resource(f, 'aws_s3_bucket_policy'));
    const insecure = statement(policy, 'DenyInsecureTransport');
    assert.equal(insecure.Effect, 'Deny');
    assert.deepEqual(insecure.Condition, { Bool: { 'aws:SecureTransport': false } });
    assert.equal(statement(policy, 'DenyTlsOlderThan12').Effect, 'Deny');
    assert.ok(
      policy.Statement.every((st) => st.Effect === 'Deny'),
      'the bucket policy only takes rights away',
    );
  });

  it('aborts incomplete multipart uploads after days, not hours (Flink resumes them after a restore)', () => {
    const lifecycle = resource(f, 'aws_s3_bucket_lifecycle_configuration');
    const rules = lifecycle.rule as {
      id: string;
      status: string;
      abort_incomplete_multipart_upload?: { days_after_initiation: number }[];
    }[];
    const abort = rules.find((r) => r.abort_incomplete_multipart_upload);
    assert.ok(abort, 'an abort-incomplete-multipart-upload rule');
    assert.equal(abort.status, 'Enabled');
    assert.equal(abort.abort_incomplete_multipart_upload![0]!.days_after_initiation, 7);
    assert.ok(
      rules.some((r) => (r as { noncurrent_version_expiration?: unknown }).noncurrent_version_expiration),
      'old versions expire',
    );
  });

  it('builds a private network: subnets by zone ID, NAT, S3/DynamoDB gateway endpoints, deny-all default SG, flow logs', () => {
    const subnets = resources(f, 'aws_subnet').map(([, b]) => b);
    const priv = subnets.filter((b) => (b.tags as Record<string, string>).tier === 'private');
    const zones = dataSource(f, 'aws_availability_zones')[0]!;
    // A zone name maps to a different physical zone in each account; the ID does not.
    assert.ok(
      subnets.every((b) => b.availability_zone === undefined),
      'no subnet is placed by zone name',
    );
    assert.deepEqual(
      priv.map((b) => b.availability_zone_id),
      ['use1-az1', 'use1-az2', 'use1-az3'],
    );
    // A closed list (checkov CKV_AWS_394): a zone AWS adds later never joins it.
    assert.deepEqual(zones.filter, [{ name: 'zone-id', values: ['use1-az1', 'use1-az2', 'use1-az3'] }]);
    assert.match(
      (zones.lifecycle as { postcondition: { error_message: string }[] }).postcondition[0]!.error_message,
      /\(use1-az1, use1-az2, use1-az3, the default\) is offered in us-east-1: set it to 2 or 3 zone IDs/,
    );
    assert.ok(subnets.every((b) => b.map_public_ip_on_launch === false));
    assert.equal(resources(f, 'aws_nat_gateway').length, 1);
    assert.deepEqual(
      resources(f, 'aws_vpc_endpoint')
        .map(([, b]) => b.service_name)
        .sort(),
      ['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3'],
    );
    const defaultSg = resource(f, 'aws_default_security_group');
    assert.equal(defaultSg.ingress, undefined);
    assert.equal(defaultSg.egress, undefined);
    assert.equal(resource(f, 'aws_flow_log').traffic_type, 'ALL');
  });

  it('places the subnets in the configured zone IDs, and fails the plan with a message when one is not offered', () => {
    const n = noNatFoundation();
    const priv = resources(n, 'aws_subnet').map(([, b]) => b);
    assert.deepEqual(
      priv.map((b) => b.availability_zone_id),
      ['use1-az1', 'use1-az2'],
    );
    const zones = dataSource(n, 'aws_availability_zones')[0]!;
    assert.deepEqual(zones.filter, [{ name: 'zone-id', values: ['use1-az1', 'use1-az2'] }]);
    const post = (zones.lifecycle as { postcondition: { condition: string; error_message: string }[] }).postcondition[0]!;
    assert.equal(post.condition, '${length(self.zone_ids) == 2}');
    assert.match(post.error_message, /network\.availabilityZoneIds \(use1-az1, use1-az2\) is offered/);
  });

  it("without a NAT gateway, reaches SQS (the stream processor's dead letters) through an interface endpoint open to the VPC on 443 only", () => {
    const n = noNatFoundation();
    for (const t of ['aws_nat_gateway', 'aws_internet_gateway', 'aws_eip', 'aws_route'])
      assert.equal(resources(n, t).length, 0, t);
    const sqs = resources(n, 'aws_vpc_endpoint')
      .map(([, b]) => b)
      .find((b) => b.service_name === 'com.amazonaws.us-east-1.sqs');
    assert.ok(sqs, 'an SQS endpoint');
    assert.equal(sqs.vpc_endpoint_type, 'Interface');
    assert.equal(sqs.private_dns_enabled, true, 'the SDK default endpoint resolves to it');
    const privateSubnets = resources(n, 'aws_subnet').map(([, b]) => ref(n, 'aws_subnet', b, 'id'));
    assert.deepEqual(sqs.subnet_ids, privateSubnets);
    const sg = resource(n, 'aws_security_group', 'network/endpoints-sg');
    assert.deepEqual(sqs.security_group_ids, [ref(n, 'aws_security_group', sg, 'id')]);
    const ingress = resources(n, 'aws_vpc_security_group_ingress_rule').map(([, b]) => b);
    assert.deepEqual(
      ingress.map((r) => [r.security_group_id, r.cidr_ipv4, r.ip_protocol, r.from_port, r.to_port]),
      [[ref(n, 'aws_security_group', sg, 'id'), '10.40.0.0/16', 'tcp', 443, 443]],
    );
    // Gateway endpoints stay: S3 (Flink's Parquet) and DynamoDB never needed the NAT.
    assert.equal(resources(n, 'aws_vpc_endpoint').length, 3);
  });

  describe('analytics catalog (Glue + Athena)', () => {
    const table = () => resource(f, 'aws_glue_catalog_table', 'analytics/chargeback-changes');
    const bucketRef = () => ref(f, 'aws_s3_bucket', resource(f, 'aws_s3_bucket'), 'bucket');
    /** What Terraform hands Glue: `$${x}` in a JSON string is the literal `${x}`. */
    const asGlueSees = (p: Record<string, string>) =>
      Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.replaceAll('$${', '${')]));

    it("declares chargeback_changes with the Avro schema's fields, typed as the writer's Parquet columns", () => {
      const t = table();
      assert.equal(t.name, 'chargeback_changes');
      assert.equal(t.database_name, ref(f, 'aws_glue_catalog_database', resource(f, 'aws_glue_catalog_database'), 'name'));
      assert.equal(resource(f, 'aws_glue_catalog_database').name, 'chargeback_cdc_dev');
      assert.equal(t.table_type, 'EXTERNAL_TABLE');
      const sd = t.storage_descriptor as {
        location: string;
        columns: { name: string; type: string }[];
        ser_de_info: { serialization_library: string };
        input_format: string;
      };
      assert.equal(sd.location, `s3://${bucketRef()}/landing/chargebacks/`);
      assert.equal(sd.ser_de_info.serialization_library, 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
      assert.equal(sd.input_format, 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat');
      assert.deepEqual(
        sd.columns.map((c) => c.name),
        changeRecordAvroSchema.fields.map((fld) => fld.name),
      );
      // Independently of the Avro→Hive mapping: the Hive type Athena reads each written Parquet column as.
      const hiveOfParquet = parquetSchemaElements()
        .slice(1)
        .map((el) => {
          const lt = el.logical_type;
          if (lt?.type === 'STRING') return [el.name, 'string'];
          if (lt?.type === 'DECIMAL') return [el.name, `decimal(${lt.precision},${lt.scale})`];
          if (lt?.type === 'TIMESTAMP') return [el.name, 'timestamp'];
          return [el.name, { INT32: 'int', INT64: 'bigint' }[el.type as string] ?? `unmapped ${el.type}`];
        });
      assert.deepEqual(
        sd.columns.map((c) => [c.name, c.type]),
        hiveOfParquet,
      );
    });

    it("partitions by projection matching the writers' YYYY-MM-DD/HH layout, so new hours need no crawler", () => {
      const t = table();
      assert.deepEqual(t.partition_keys, [
        { name: 'day', type: 'string', comment: 'UTC day of the part file folder, YYYY-MM-DD (partition projection)' },
        { name: 'hour', type: 'int', comment: 'UTC hour of the part file folder, 0-23; the folder is HH (partition projection)' },
      ]);
      const p = t.parameters as Record<string, string>;
      assert.equal(p['projection.enabled'], 'true');
      assert.equal(p['projection.day.type'], 'date');
      assert.equal(p['projection.day.format'], 'yyyy-MM-dd');
      assert.equal(p['projection.day.range'], `${s.config.catalog.projectionStartDay},NOW`);
      assert.equal(p['projection.hour.range'], '0,23');
      assert.equal(p['projection.hour.digits'], '2');
      // Escaped for Terraform, so Glue receives the placeholders and not an interpolation.
      assert.equal(p['storage.location.template'], `s3://${bucketRef()}/landing/chargebacks/$\${day}/$\${hour}/`);
      const at = Date.UTC(2026, 0, 31, 7, 59, 59);
      const key = `landing/chargebacks/${bucketIdOf(at)}/${formatPartFileName({ partition: 2, firstOffset: 0n, lastOffset: 9n })}`;
      const folder = projectedLocation(asGlueSees(p), { day: '2026-01-31', hour: 7 });
      assert.equal(folder, `s3://${bucketRef()}/landing/chargebacks/2026-01-31/07/`);
      assert.ok(`s3://${bucketRef()}/${key}`.startsWith(folder), key);
      assert.equal(resources(f, 'aws_glue_crawler').length, 0, 'no crawler');
    });

    it('has an Athena workgroup that enforces SSE-KMS results with the data key, outside the landing prefix', () => {
      const wg = resource(f, 'aws_athena_workgroup');
      const cfg = wg.configuration as {
        enforce_workgroup_configuration: boolean;
        engine_version: { selected_engine_version: string };
        result_configuration: {
          output_location: string;
          expected_bucket_owner: string;
          encryption_configuration: { encryption_option: string; kms_key_arn: string };
        };
      };
      assert.equal(wg.name, 'chargeback-cdc-dev-analytics');
      assert.equal(cfg.enforce_workgroup_configuration, true);
      assert.equal(cfg.engine_version.selected_engine_version, 'Athena engine version 3');
      assert.deepEqual(cfg.result_configuration.encryption_configuration, {
        encryption_option: 'SSE_KMS',
        kms_key_arn: ref(f, 'aws_kms_key', resource(f, 'aws_kms_key'), 'arn'),
      });
      assert.equal(cfg.result_configuration.output_location, `s3://${bucketRef()}/athena-results/`);
      assert.ok(!cfg.result_configuration.output_location.includes(s.config.landingPrefix), 'results never land in the table');
    });

    it('ships the current-state view as a named query whose SQL is the one views.ts runs in DuckDB', () => {
      const q = resource(f, 'aws_athena_named_query', 'analytics/chargebacks-current');
      assert.equal(q.name, 'chargebacks_current');
      assert.equal(q.query, CHARGEBACKS_CURRENT_VIEW_SQL);
      assert.equal(q.workgroup, ref(f, 'aws_athena_workgroup', resource(f, 'aws_athena_workgroup'), 'name'));
      assert.equal(q.database, ref(f, 'aws_glue_catalog_database', resource(f, 'aws_glue_catalog_database'), 'name'));
    });

    it('offers analysts a policy naming every action, reading only the landing prefix and writing only results', () => {
      const policy = policyOf(resource(f, 'aws_iam_policy', 'analytics/analyst-policy'));
      for (const st of policy.Statement) {
        assert.equal(st.Effect, 'Allow');
        for (const a of st.Action) assert.ok(!a.includes('*'), `action ${a}`);
        for (const r of [st.Resource ?? []].flat()) assert.ok(r !== '*', `${st.Sid} on every resource`);
      }
      const bucketArn = ref(f, 'aws_s3_bucket', resource(f, 'aws_s3_bucket'), 'arn');
      assert.deepEqual(statement(policy, 'ReadLandedParts').Resource, [`${bucketArn}/landing/chargebacks/*`]);
      assert.deepEqual(statement(policy, 'WriteAndReadQueryResults').Resource, [`${bucketArn}/athena-results/*`]);
      assert.deepEqual(statement(policy, 'QueriesInTheWorkgroup').Resource, [
        ref(f, 'aws_athena_workgroup', resource(f, 'aws_athena_workgroup'), 'arn'),
      ]);
      assert.ok(
        policy.Statement.flatMap((st) => st.Action).every((a) => !/^glue:(Create|Update|Delete)/.test(a)),
        'read-only on the catalog',
      );
      assert.equal(
        f.output?.glue_database?.value,
        ref(f, 'aws_glue_catalog_database', resource(f, 'aws_glue_catalog_database'), 'name'),
      );
      assert.equal(
        f.output?.athena_workgroup?.value,
        ref(f, 'aws_athena_workgroup', resource(f, 'aws_athena_workgroup'), 'name'),
      );
    });
  });

  it('outputs the seed names parquet_bucket_name and region', () => {
    assert.equal(f.output?.parquet_bucket_name?.value, ref(f, 'aws_s3_bucket', resource(f, 'aws_s3_bucket'), 'bucket'));
    assert.equal(f.output?.region?.value, 'us-east-1');
  });
});

describe('foundation stack with existing resources', () => {
  it('references an existing VPC, table and bucket without creating or changing them', () => {
    const s = synth({
      network: { mode: 'existing', vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] },
      table: { mode: 'existing', name: 'chargebacks-prod' },
      bucket: { mode: 'existing', name: 'landing-prod', existingKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/abc' },
    });
    const f = s.foundation;
    for (const t of ['aws_vpc', 'aws_subnet', 'aws_dynamodb_table', 'aws_s3_bucket', 'aws_s3_bucket_policy'])
      assert.equal(resources(f, t).length, 0, t);
    const table = dataSource(f, 'aws_dynamodb_table')[0]!;
    assert.equal(table.name, 'chargebacks-prod');
    const post = (table.lifecycle as { postcondition: { condition: string }[] }).postcondition[0]!;
    assert.match(post.condition, /stream_view_type == "NEW_AND_OLD_IMAGES"/);
    assert.equal(dataSource(f, 'aws_s3_bucket')[0]!.bucket, 'landing-prod');
    // The catalog reads the existing bucket; analysts may decrypt its parts with the bucket's own key.
    const kms = statement(policyOf(resource(f, 'aws_iam_policy', 'analytics/analyst-policy')), 'DecryptPartsEncryptResults');
    assert.deepEqual(kms.Resource, [
      ref(f, 'aws_kms_key', resource(f, 'aws_kms_key'), 'arn'),
      'arn:aws:kms:us-east-1:111122223333:key/abc',
    ]);
    // The streaming stack uses the given subnets directly.
    const cluster = resource(s.streaming, 'aws_msk_serverless_cluster');
    assert.deepEqual((cluster.vpc_config as { subnet_ids: string[] }[])[0]!.subnet_ids, ['subnet-01', 'subnet-02']);
  });

  it('imports an existing table and bucket into state (Terraform import blocks) and then hardens them', () => {
    const s = synth({
      table: { mode: 'import', name: 'chargebacks' },
      bucket: { mode: 'import', name: 'seed-landing', encryption: 'SSE-S3' },
    });
    const f = s.foundation;
    const imports = (f.import ?? []).map((i) => [i.to.split('.')[0], i.id]);
    assert.deepEqual(imports.sort(), [
      ['aws_dynamodb_table', 'chargebacks'],
      ['aws_s3_bucket', 'seed-landing'],
    ]);
    assert.deepEqual((resource(f, 'aws_s3_bucket_server_side_encryption_configuration').rule as unknown[])[0], {
      apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' },
    });
    assert.equal(resources(f, 'aws_s3_bucket_public_access_block').length, 1);
  });
});
