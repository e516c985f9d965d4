import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { synth, resources, stacksOf, type TfBody, type TfJson } from './test/synthFixture.ts';
import { isWildcardAction, type PolicyDocument } from './iam/PolicyDocument.ts';

const SEED_OUTPUTS = [
  'msk_bootstrap_brokers',
  'parquet_bucket_name',
  'flink_application_name',
  'lambda_log_group_name',
  'flink_log_group_name',
  'cloudwatch_dashboard_url',
  'api_gateway_url',
  'region',
];

/** Every IAM-style JSON document held by an attribute of any resource. */
function policies(stack: TfJson): { where: string; doc: PolicyDocument }[] {
  const out: { where: string; doc: PolicyDocument }[] = [];
  for (const [type, byId] of Object.entries(stack.resource ?? {})) {
    for (const [id, body] of Object.entries(byId)) {
      for (const [attr, value] of Object.entries(body)) {
        if (typeof value === 'string' && value.startsWith('{"Version":"2012-10-17"'))
          out.push({ where: `${type}.${id}.${attr}`, doc: JSON.parse(value) as PolicyDocument });
      }
    }
  }
  return out;
}

describe('the deployment as a whole', () => {
  const s = synth();
  const stacks = stacksOf(s);

  it('is five stacks whose dependencies are explicit: foundation ← api, streaming, consolidation ← monitoring', () => {
    const manifest = JSON.parse(readFileSync(path.join(s.outdir, 'manifest.json'), 'utf8')) as {
      stacks: Record<string, { dependencies: string[] }>;
    };
    const deps = (id: string) => [...manifest.stacks[id]!.dependencies].sort();
    const n = s.names.stacks;
    assert.deepEqual(
      Object.keys(manifest.stacks).sort(),
      [n.api, n.foundation, n.monitoring, n.streaming, n.consolidation].sort(),
    );
    assert.deepEqual(deps(n.foundation), []);
    assert.deepEqual(deps(n.api), [n.foundation]);
    assert.deepEqual(deps(n.streaming), [n.foundation]);
    // Not on streaming: the consolidation keeps running while the streaming stack is destroyed.
    assert.deepEqual(deps(n.consolidation), [n.foundation]);
    assert.deepEqual(deps(n.monitoring), [n.api, n.foundation, n.streaming, n.consolidation].sort());
  });

  it("outputs each of the seed's outputs exactly once, under the seed's name", () => {
    for (const name of SEED_OUTPUTS) {
      const holders = stacks.filter(([, st]) => st.output?.[name]);
      assert.equal(holders.length, 1, `${name} in ${holders.map(([n]) => n).join(', ') || 'no stack'}`);
    }
  });

  it('grants no wildcard action in any Allow statement (the TLS-only bucket policy denies s3:*)', () => {
    let allowStatements = 0;
    for (const [, st] of stacks) {
      for (const { where, doc } of policies(st)) {
        for (const statement of doc.Statement) {
          if (statement.Effect === 'Allow') {
            allowStatements++;
            const wild = statement.Action.filter(isWildcardAction);
            assert.deepEqual(wild, [], `${where} ${statement.Sid ?? ''}`);
          } else {
            assert.match(where, /^aws_s3_bucket_policy\./, `a Deny outside the bucket policy: ${where}`);
          }
        }
      }
    }
    assert.ok(allowStatements > 20, `found ${allowStatements} Allow statements to check`);
  });

  it('scopes every Allow on "*" to actions that have no resource-level permissions (EC2 ENIs, X-Ray, key policy)', () => {
    const allowedOnStar =
      /^(ec2:(Describe\w+|CreateNetworkInterface|CreateNetworkInterfacePermission|DeleteNetworkInterface|AssignPrivateIpAddresses|UnassignPrivateIpAddresses)|xray:Put\w+|sts:AssumeRole)$/;
    for (const [, st] of stacks) {
      for (const { where, doc } of policies(st)) {
        if (where.startsWith('aws_kms_key.')) continue; // in a key policy "*" means "this key"
        for (const statement of doc.Statement.filter((x) => x.Effect === 'Allow' && x.Resource === '*')) {
          for (const action of statement.Action) assert.match(action, allowedOnStar, `${where}: ${action} on "*"`);
        }
      }
    }
  });

  it('lets only the intended service assume each role, from this account only', () => {
    const roles = stacks.flatMap(([, st]) => resources(st, 'aws_iam_role'));
    assert.equal(roles.length, 10); // api, stream processor, topic creator, Flink, VPC flow logs, consolidation job, check, its scheduler, hour closer, its scheduler
    for (const [id, role] of roles) {
      const trust = JSON.parse(role.assume_role_policy as string) as PolicyDocument;
      assert.equal(trust.Statement.length, 1, id);
      assert.deepEqual(Object.keys(trust.Statement[0]!.Principal as object), ['Service'], id);
      assert.deepEqual(
        trust.Statement[0]!.Condition,
        { StringEquals: { 'aws:SourceAccount': '${data.aws_caller_identity.caller.account_id}' } },
        id,
      );
    }
  });

  it('gives every log group a retention and the environment key, and creates each before its writer', () => {
    const groups = stacks.flatMap(([, st]) => resources(st, 'aws_cloudwatch_log_group'));
    assert.equal(groups.length, 9); // 6 Lambdas, API access logs, Flink, VPC flow logs
    for (const [id, g] of groups) {
      assert.equal(g.retention_in_days, 30, id);
      assert.ok(g.kms_key_id, id);
    }
    for (const [, st] of stacks) {
      for (const [id, fn] of resources(st, 'aws_lambda_function')) {
        const logGroup = (fn.logging_config as { log_group: string }).log_group;
        assert.match(logGroup, /^\$\{aws_cloudwatch_log_group\.[^.]+\.name\}$/, id);
        assert.ok((fn.depends_on as string[]).includes(logGroup.slice(2, -'.name}'.length)), `${id} waits for its log group`);
      }
    }
  });

  it('runs every Lambda on a Node 20/22 runtime with active tracing and JSON logs', () => {
    const fns = stacks.flatMap(([, st]) => resources(st, 'aws_lambda_function')).map(([, b]) => b as TfBody);
    assert.equal(fns.length, 6);
    for (const fn of fns) {
      assert.match(String(fn.runtime), /^nodejs2[02]\.x$/);
      assert.deepEqual(fn.tracing_config, { mode: 'Active' });
      assert.equal((fn.logging_config as { log_format: string }).log_format, 'JSON');
    }
  });

  it('tags everything with project, environment and stack through the provider', () => {
    for (const [name, st] of stacks) {
      const aws = (st.provider as { aws: { region: string; default_tags: { tags: Record<string, string> }[] }[] }).aws[0]!;
      assert.equal(aws.default_tags[0]!.tags.project, 'chargeback-cdc', name);
      assert.equal(aws.default_tags[0]!.tags.environment, 'dev', name);
      assert.equal(aws.region, 'us-east-1');
    }
  });

  it('keeps local state outside cdktf.out, at the same path for a stack and for the stacks that read it', () => {
    const backend = (st: TfJson) => (st.terraform as { backend: { local: { path: string } } }).backend.local.path;
    const statePath = backend(s.foundation);
    assert.match(statePath, /^\.\.\/\.\.\/\.\.\/.+\/terraform\.chargeback-cdc-dev-foundation\.tfstate$/);
    const resolved = path.resolve(s.outdir, 'stacks', s.names.stacks.foundation, statePath);
    assert.ok(!resolved.startsWith(s.outdir + path.sep), `${resolved} is outside ${s.outdir}`);
    const remote = (s.streaming.data as Record<string, Record<string, { config: { path: string } }>>).terraform_remote_state!;
    assert.deepEqual(
      Object.values(remote).map((r) => r.config.path),
      [backend(s.foundation)],
    );
  });

  it('uses an encrypted, locked S3 backend when configured, and then requires the Terraform that can lock it (>= 1.10)', () => {
    const remote = synth({ backend: { kind: 's3', bucket: 'acme-tfstate' } });
    for (const [name, st] of stacksOf(remote)) {
      const tf = st.terraform as { backend: { s3: Record<string, unknown> }; required_version: string };
      assert.equal(tf.backend.s3.use_lockfile, true, name);
      // use_lockfile is an unknown key to Terraform 1.5–1.9: their init fails on it.
      assert.equal(tf.required_version, '>= 1.10.0', name);
    }
    const backend = (remote.api.terraform as { backend: { s3: Record<string, unknown> } }).backend.s3;
    assert.deepEqual(backend, {
      bucket: 'acme-tfstate',
      key: 'chargeback-cdc/dev/chargeback-cdc-dev-api.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
  });

  it('keeps Terraform >= 1.5 (import blocks) where nothing needs more: local state, or S3 locked by a DynamoDB table', () => {
    const tfOf = (st: TfJson) => st.terraform as { backend: { s3?: Record<string, unknown> }; required_version: string };
    for (const [name, st] of stacks) assert.equal(tfOf(st).required_version, '>= 1.5.0', name);
    const dynamo = synth({ backend: { kind: 's3', bucket: 'acme-tfstate', dynamodbTable: 'tf-locks' } });
    for (const [name, st] of stacksOf(dynamo)) {
      assert.equal(tfOf(st).backend.s3?.use_lockfile, undefined, name);
      assert.equal(tfOf(st).backend.s3?.dynamodb_table, 'tf-locks', name);
      assert.equal(tfOf(st).required_version, '>= 1.5.0', name);
    }
  });

  it('accepts hashicorp/aws 5.100 (the version validated here) up to 6.x, not only the 6.25.0 the bindings were generated from', () => {
    for (const [name, st] of stacks) {
      const aws = (st.terraform as { required_providers: Record<string, { source: string; version: string }> }).required_providers
        .aws!;
      assert.deepEqual(aws, { source: 'aws', version: '>= 5.100.0, < 7.0.0' }, name);
    }
  });
});
