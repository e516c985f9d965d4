import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { evaluate, formatVerdict, parseCheckovJson, type Finding, type SkipAnnotation } from './checkovReport.ts';
import { checkovSkip } from './checkovSkip.ts';
import { scanStacks, scannableCopy } from './scanStacks.ts';
import { synth } from '../test/synthFixture.ts';

const finding = (checkId: string, resource: string, file = 'stack/cdk.tf.json'): Finding => ({
  checkId,
  checkName: `check ${checkId}`,
  file,
  resource,
  logicalId: resource.slice(resource.indexOf('.') + 1),
});
const skip = (id: string, type: string, logicalId: string, file = 'stack/cdk.tf.json'): SkipAnnotation => ({
  id,
  comment: 'a reason long enough to read',
  file,
  block: 'resource',
  type,
  logicalId,
  constructPath: `stack/${logicalId}`,
});

describe('checkov skips declared in code', () => {
  it('a failed check on the skipped resource is skipped; the same check elsewhere still fails', () => {
    const v = evaluate(
      10,
      [finding('CKV_AWS_18', 'aws_s3_bucket.landing'), finding('CKV_AWS_18', 'aws_s3_bucket.other')],
      [skip('CKV_AWS_18', 'aws_s3_bucket', 'landing')],
    );
    assert.equal(v.ok, false);
    assert.deepEqual(
      v.failed.map((f) => f.resource),
      ['aws_s3_bucket.other'],
    );
    assert.equal(v.skipped.length, 1);
  });

  it('matches the resource.<id> form of python checks and the <type>.<id> form of graph checks', () => {
    const v = evaluate(
      1,
      [finding('CKV_AWS_117', 'resource.fn'), finding('CKV2_AWS_5', 'aws_security_group.sg')],
      [skip('CKV_AWS_117', 'aws_lambda_function', 'fn'), skip('CKV2_AWS_5', 'aws_security_group', 'sg')],
    );
    assert.equal(v.ok, true);
  });

  it('fails on a stale skip that matches no failure', () => {
    const v = evaluate(5, [], [skip('CKV_AWS_18', 'aws_s3_bucket', 'landing')]);
    assert.equal(v.ok, false);
    assert.match(formatVerdict(v), /STALE +CKV_AWS_18 skipped on stack\/landing/);
  });

  it('does not match a skip in another stack file', () => {
    const v = evaluate(
      1,
      [finding('CKV_AWS_18', 'aws_s3_bucket.landing', 'a/cdk.tf.json')],
      [skip('CKV_AWS_18', 'aws_s3_bucket', 'landing', 'b/cdk.tf.json')],
    );
    assert.equal(v.failed.length, 1);
    assert.equal(v.staleSkips.length, 1);
  });

  it('refuses a skip without a written reason, or a malformed check id', () => {
    const bucket = new S3Bucket(new TerraformStack(Testing.app(), 's'), 'b', {});
    assert.throws(() => checkovSkip(bucket, 'CKV_AWS_18', 'n/a'), /needs a written reason/);
    assert.throws(() => checkovSkip(bucket, 'AWS_18', 'a reason that is long enough'), /not a checkov check id/);
  });

  it('reads checkov JSON reports (one report or a list) and the parsing-error count', () => {
    const one = JSON.stringify({
      check_type: 'terraform_json',
      results: {
        failed_checks: [{ check_id: 'CKV_AWS_1', check_name: 'x', file_path: '/s/cdk.tf.json', resource: 'resource.r' }],
      },
      summary: { passed: 3, failed: 1, parsing_errors: 0 },
    });
    assert.deepEqual(parseCheckovJson(one), {
      passed: 3,
      parsingErrors: 0,
      findings: [finding('CKV_AWS_1', 'resource.r', 's/cdk.tf.json')].map((f) => ({ ...f, checkName: 'x' })),
    });
    assert.equal(parseCheckovJson(`[${one},${one}]`).findings.length, 2);
  });

  it('scans a copy without terraform.required_version and import blocks, which checkov cannot parse (checkov#7454)', () => {
    const stack = {
      terraform: { required_version: '>= 1.5.0', backend: { local: {} } },
      import: [{ to: 'aws_s3_bucket.b', id: 'b' }],
      resource: { aws_s3_bucket: { b: { bucket: 'b' } } },
    };
    assert.deepEqual(scannableCopy(stack), {
      terraform: { backend: { local: {} } },
      resource: { aws_s3_bucket: { b: { bucket: 'b' } } },
    });
  });
});

describe('static security scan of the synthesized Terraform JSON (checkov)', () => {
  it('passes: every failed check is skipped in code with a written reason, and no skip is stale', { timeout: 300_000 }, () => {
    const s = synth();
    const verdict = scanStacks(s.outdir);
    console.log(formatVerdict(verdict));
    assert.ok(verdict.passed > 100, `${verdict.passed} checks passed`);
    assert.deepEqual(
      verdict.failed.map((f) => `${f.checkId} ${f.resource}`),
      [],
    );
    assert.deepEqual(
      verdict.staleSkips.map((x) => `${x.id} ${x.constructPath}`),
      [],
    );
    for (const { skip: sk } of verdict.skipped)
      assert.ok(sk.comment.length >= 20, `${sk.id} on ${sk.constructPath} has a reason`);
  });

  it('passes for the other branches of the config too (skips follow the choices: none left stale)', { timeout: 300_000 }, () => {
    const s = synth({
      network: { mode: 'existing', vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-01', 'subnet-02'] },
      table: { mode: 'import', name: 'chargebacks' },
      bucket: { mode: 'import', name: 'seed-landing', encryption: 'SSE-S3' },
      api: { authorization: 'AWS_IAM', reservedConcurrency: 10 },
      monitoring: { logRetentionDays: 365 },
    });
    const verdict = scanStacks(s.outdir);
    assert.equal(verdict.ok, true, formatVerdict(verdict));
    const skipped = new Set(verdict.skipped.map((x) => `${x.skip.id} ${x.skip.constructPath.split('/').slice(1).join('/')}`));
    assert.ok(skipped.has('CKV_AWS_145 landing/bucket'), 'SSE-S3 is a declared choice');
    assert.ok(
      ![...skipped].some(
        (x) => x.startsWith('CKV_AWS_338') || x.startsWith('CKV_AWS_309') || x === 'CKV_AWS_115 api-handler/function',
      ),
    );
  });
});
