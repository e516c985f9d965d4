import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TerraformStack, Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { evaluate, formatVerdict, parseCheckovJson, type Finding, type SkipAnnotation, type Verdict } from './checkovReport.ts';
import { checkovSkip } from './checkovSkip.ts';
import { scanSynths, scannableCopy } from './scanStacks.ts';
import { NO_NAT, OTHER_BRANCHES } from '../test/configBranches.ts';
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
        passed_checks: [
          { check_id: 'CKV_AWS_2', check_name: 'y', file_path: '/s/cdk.tf.json', resource: 'resource.r' },
          { check_id: 'CKV_AWS_3', check_name: 'z', file_path: '/s/cdk.tf.json', resource: 'resource.r' },
        ],
      },
      summary: { passed: 3, failed: 1, parsing_errors: 0 },
    });
    assert.deepEqual(parseCheckovJson(one), {
      passed: 3,
      passedByFile: { 's/cdk.tf.json': 2 },
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
  // One checkov process for every config (its start-up is most of a scan), one verdict each.
  let verdicts: Record<'default' | 'otherBranches' | 'noNat', Verdict> | undefined;
  const scan = () => {
    verdicts ??= scanSynths({
      default: synth().outdir,
      otherBranches: synth(OTHER_BRANCHES).outdir,
      noNat: synth(NO_NAT).outdir,
    }) as {
      default: Verdict;
      otherBranches: Verdict;
      noNat: Verdict;
    };
    return verdicts;
  };

  it('passes: every failed check is skipped in code with a written reason, and no skip is stale', { timeout: 300_000 }, () => {
    const verdict = scan().default;
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
    const verdict = scan().otherBranches;
    assert.equal(verdict.ok, true, formatVerdict(verdict));
    assert.ok(verdict.passed > 100, `${verdict.passed} checks passed`);
    const skipped = new Set(verdict.skipped.map((x) => `${x.skip.id} ${x.skip.constructPath.split('/').slice(1).join('/')}`));
    assert.ok(skipped.has('CKV_AWS_145 landing/bucket'), 'SSE-S3 is a declared choice');
    assert.ok(
      ![...skipped].some(
        (x) => x.startsWith('CKV_AWS_338') || x.startsWith('CKV_AWS_309') || x === 'CKV_AWS_115 api-handler/function',
      ),
    );
  });

  it('passes for a new VPC without NAT gateway (its interface endpoint and security group included)', {
    timeout: 300_000,
  }, () => {
    const verdict = scan().noNat;
    assert.equal(verdict.ok, true, formatVerdict(verdict));
    assert.ok(verdict.passed > scan().default.passed, `${verdict.passed} checks passed: the endpoint and its group are scanned`);
  });

  it('keeps the synths apart: a finding in one config is not matched by a skip of another', { timeout: 300_000 }, () => {
    const { default: d, otherBranches: o } = scan();
    const files = (v: Verdict) => new Set([...v.skipped.map((x) => x.skip.file), ...v.failed.map((f) => f.file)]);
    for (const f of files(d)) assert.match(f, /^default\//);
    for (const f of files(o)) assert.match(f, /^otherBranches\//);
  });
});
