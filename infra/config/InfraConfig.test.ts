import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../test/tempDir.ts';
import { loadInfraConfig, parseInfraConfig, InfraConfigError } from './InfraConfig.ts';
import { namesOf } from './names.ts';
import { defaultZoneIds, zoneIdPrefix } from './zoneIds.ts';

describe('infra config', () => {
  it("defaults to the seed's values and a small dev environment", () => {
    const c = parseInfraConfig({});
    assert.equal(c.project, 'chargeback-cdc');
    assert.equal(c.environment, 'dev');
    assert.equal(c.region, 'us-east-1');
    assert.deepEqual(c.kafka, {
      topic: 'chargebacks',
      dlqTopic: 'chargebacks-dlq',
      partitions: 3,
      consumerGroup: 'flink-parquet-writer',
    });
    assert.equal(c.landingPrefix, 'landing/chargebacks/');
    assert.equal(c.flink.runtime, 'FLINK-1_20');
    assert.equal(c.flink.checkpointIntervalMs, 60_000);
    assert.equal(c.network.mode, 'new');
    assert.equal(c.table.mode, 'new');
    assert.equal(c.bucket.encryption, 'SSE-KMS');
    assert.ok(c.bucket.abortIncompleteMultipartUploadDays >= 2);
    assert.equal(c.streamProcessor.runtime, 'nodejs22.x');
  });

  it('reports every problem with its path at once', () => {
    assert.throws(
      () =>
        parseInfraConfig({
          environment: 'Prod',
          monitoring: { logRetentionDays: 42 },
          bucket: { abortIncompleteMultipartUploadDays: 0 },
          streamProcessor: { batchSize: 20000 },
        }),
      (e: Error) =>
        e instanceof InfraConfigError &&
        [
          'environment',
          'monitoring.logRetentionDays',
          'bucket.abortIncompleteMultipartUploadDays',
          'streamProcessor.batchSize',
        ].every((p) => e.message.includes(`  ${p}: `)),
    );
  });

  it('refuses hour-scale multipart aborts: Flink resumes multipart uploads after a restore', () => {
    assert.throws(
      () => parseInfraConfig({ bucket: { abortIncompleteMultipartUploadDays: 1 } }),
      /bucket\.abortIncompleteMultipartUploadDays/,
    );
  });

  it('takes an existing VPC only with two or more private subnets', () => {
    assert.throws(
      () => parseInfraConfig({ network: { mode: 'existing', vpcId: 'vpc-0a', privateSubnetIds: ['subnet-0a'] } }),
      /at least two Availability Zones/,
    );
    const c = parseInfraConfig({ network: { mode: 'existing', vpcId: 'vpc-0a', privateSubnetIds: ['subnet-0a', 'subnet-0b'] } });
    assert.equal(c.network.mode, 'existing');
  });

  it('refuses zones by name (they map to different physical zones per account), pointing at zone IDs', () => {
    assert.throws(
      () => parseInfraConfig({ network: { mode: 'new', availabilityZones: ['us-east-1a', 'us-east-1b'] } }),
      (e: Error) => /network\.availabilityZones: zones are chosen by zone ID: rename to availabilityZoneIds/.test(e.message),
    );
    assert.throws(
      () => parseInfraConfig({ network: { mode: 'new', availabilityZoneIds: ['us-east-1a', 'use1-az1'] } }),
      /network\.availabilityZoneIds\.0: a zone ID looks like use1-az1/,
    );
    assert.throws(
      () => parseInfraConfig({ network: { mode: 'new', availabilityZoneIds: ['use1-az1', 'use1-az1'] } }),
      /network\.availabilityZoneIds: each zone ID once/,
    );
    const c = parseInfraConfig({ network: { mode: 'new', availabilityZoneIds: ['use1-az4', 'use1-az6'] } });
    assert.deepEqual(c.network.mode === 'new' && c.network.availabilityZoneIds, ['use1-az4', 'use1-az6']);
  });

  it('defaults to the zone IDs az1–az3 of the region, derived from its name', () => {
    assert.deepEqual(defaultZoneIds('us-east-1'), ['use1-az1', 'use1-az2', 'use1-az3']);
    assert.deepEqual(
      ['eu-west-1', 'ap-southeast-2', 'ap-northeast-1', 'us-gov-west-1', 'ca-central-1', 'sa-east-1'].map(zoneIdPrefix),
      ['euw1', 'apse2', 'apne1', 'usgw1', 'cac1', 'sae1'],
    );
  });

  it('reads a JSON file, with CHARGEBACK_ENV for the environment and AWS_REGION only when the file sets no region', () => {
    const dir = tempDir('cdc-config');
    const file = path.join(dir, 'prod.json');
    writeFileSync(file, JSON.stringify({ environment: 'staging', region: 'eu-west-1', monitoring: { logRetentionDays: 365 } }));
    const c = loadInfraConfig({ CHARGEBACK_INFRA_CONFIG: file, CHARGEBACK_ENV: 'prod', AWS_REGION: 'us-west-2' });
    assert.deepEqual([c.environment, c.region, c.monitoring.logRetentionDays], ['prod', 'eu-west-1', 365]);
    assert.equal(loadInfraConfig({ AWS_REGION: 'us-west-2' }).region, 'us-west-2');
    assert.throws(() => loadInfraConfig({ CHARGEBACK_INFRA_CONFIG: path.join(dir, 'missing.json') }), /cannot read infra config/);
  });

  it('derives every physical name from project and environment', () => {
    const n = namesOf(parseInfraConfig({ project: 'cb', environment: 'prod' }));
    assert.equal(n.functions.streamProcessor, 'cb-prod-stream-processor');
    assert.equal(n.logGroups.streamProcessor, '/aws/lambda/cb-prod-stream-processor');
    assert.equal(n.table, 'cb-prod-chargebacks');
    assert.deepEqual(Object.values(n.stacks), [
      'cb-prod-foundation',
      'cb-prod-api',
      'cb-prod-streaming',
      'cb-prod-consolidation',
      'cb-prod-monitoring',
    ]);
    assert.equal(namesOf(parseInfraConfig({ table: { name: 'chargebacks' } })).table, 'chargebacks');
  });
});

describe('infra config: hour closer', () => {
  it('runs a pass every 5 minutes with the closer’s grace by default, and refuses a rate outside 1–60 minutes with its path', () => {
    const c = parseInfraConfig({});
    assert.deepEqual(c.hourCloser, {
      runtime: 'nodejs22.x',
      memoryMb: 1024,
      timeoutSeconds: 300,
      rateMinutes: 5,
      graceMs: 30_000,
      retryAttempts: 2,
      enabled: true,
    });
    assert.equal(namesOf(c).functions.hourCloser, 'chargeback-cdc-dev-hour-closer');
    assert.throws(
      () => parseInfraConfig({ hourCloser: { rateMinutes: 0, graceMs: -1 } }),
      (e: Error) =>
        e instanceof InfraConfigError && /hourCloser\.rateMinutes/.test(e.message) && /hourCloser\.graceMs/.test(e.message),
    );
  });
});
