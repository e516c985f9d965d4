import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../test/tempDir.ts';
import { INFRA_DIR } from '../paths.ts';

const scratch = tempDir('cdc-scripts');
const emptyHome = path.join(scratch, 'home');
mkdirSync(emptyHome);
const fakeBin = path.join(scratch, 'bin');
mkdirSync(fakeBin);
// A terraform that must never run: the checks stop before anything calls it.
writeFileSync(path.join(fakeBin, 'terraform'), '#!/bin/sh\necho "terraform must not run in this test" >&2\nexit 99\n');
chmodSync(path.join(fakeBin, 'terraform'), 0o755);
const nodeDir = path.dirname(process.execPath);

const noJarConfig = path.join(scratch, 'no-jar.json');
writeFileSync(noJarConfig, JSON.stringify({ flink: { jarPath: path.join(scratch, 'not-built.jar') } }));

/** Runs a script with a clean environment: no AWS variables, an empty HOME, a chosen PATH. */
function run(script: string, args: string[], opts: { path: string; env?: Record<string, string> }) {
  return spawnSync('/bin/bash', [path.join(INFRA_DIR, 'scripts', script), ...args], {
    encoding: 'utf8',
    env: { PATH: opts.path, HOME: emptyHome, ...opts.env },
    timeout: 60_000,
  });
}

const CREDENTIALS_LINE =
  'deploy needs AWS credentials (none found: set AWS_PROFILE or AWS_ACCESS_KEY_ID) — nothing was changed\n';

describe('npm run deploy / destroy', () => {
  it('stops at once with one line when there are no AWS credentials', () => {
    const r = run('deploy.sh', ['deploy'], { path: `${fakeBin}:/usr/bin:/bin` });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, CREDENTIALS_LINE);
  });

  it('names both missing prerequisites in one line when terraform is missing too', () => {
    const r = run('deploy.sh', ['destroy'], { path: '/usr/bin:/bin' });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      'destroy needs the terraform CLI >= 1.5 (none on PATH) and AWS credentials (none found: set AWS_PROFILE or AWS_ACCESS_KEY_ID) — nothing was changed\n',
    );
  });

  it('finds credentials in a profile or a shared credentials file', () => {
    const home = path.join(scratch, 'home-with-creds');
    mkdirSync(path.join(home, '.aws'), { recursive: true });
    writeFileSync(
      path.join(home, '.aws', 'credentials'),
      '[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n',
    );
    const envs: Record<string, string>[] = [
      { AWS_PROFILE: 'dev' },
      { HOME: home },
      { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's' },
    ];
    for (const env of envs) {
      const r = run('deploy.sh', ['deploy'], {
        path: `${fakeBin}:${nodeDir}:/usr/bin:/bin`,
        env: { CHARGEBACK_INFRA_CONFIG: noJarConfig, ...env },
      });
      assert.doesNotMatch(r.stderr, /needs AWS credentials/, JSON.stringify(env));
    }
  });

  it('refuses to deploy without the built Flink JAR, in one line, before running cdktf', () => {
    const r = run('deploy.sh', ['deploy'], {
      path: `${fakeBin}:${nodeDir}:/usr/bin:/bin`,
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'x', CHARGEBACK_INFRA_CONFIG: noJarConfig },
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'Flink JAR not built: run npm run build:flink — nothing was changed\n');
  });

  it('rejects an unknown action', () => {
    const r = run('deploy.sh', ['apply'], { path: '/usr/bin:/bin' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^usage: /);
  });
});

describe('npm run test:aws', () => {
  it('stops with one line without AWS credentials', () => {
    const r = run('test-aws.sh', [], { path: '/usr/bin:/bin' });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      'test:aws needs AWS credentials (none found: set AWS_PROFILE or AWS_ACCESS_KEY_ID) — nothing was run\n',
    );
  });

  it('stops with one line when no deployed stack outputs are found', () => {
    const r = run('test-aws.sh', [], {
      path: `${nodeDir}:/usr/bin:/bin`,
      env: { AWS_PROFILE: 'dev', CHARGEBACK_OUTPUTS_FILE: path.join(scratch, 'none.json') },
    });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^test:aws needs the deployed stack's outputs region, msk_bootstrap_brokers, api_gateway_url, parquet_bucket_name, dynamodb_table_name \(.*\): run npm run deploy first/,
    );
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it("points the external backend at the deployed stack's outputs", () => {
    const file = path.join(scratch, 'outputs.json');
    writeFileSync(
      file,
      JSON.stringify({
        'chargeback-cdc-dev-foundation': {
          parquet_bucket_name: 'cdc-landing',
          region: 'eu-west-1',
          dynamodb_table_name: 'cdc-chargebacks',
        },
        'chargeback-cdc-dev-api': { api_gateway_url: 'https://abc.execute-api.eu-west-1.amazonaws.com' },
        'chargeback-cdc-dev-streaming': {
          msk_bootstrap_brokers: 'boot-1.kafka-serverless.eu-west-1.amazonaws.com:9098',
          kafka_topic: 'chargebacks',
        },
        'chargeback-cdc-prod-api': { api_gateway_url: 'https://other-environment' },
      }),
    );
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(INFRA_DIR, 'scripts', 'withDeployedStack.ts'), '--print'],
      {
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: emptyHome, CHARGEBACK_OUTPUTS_FILE: file },
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const env = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    assert.deepEqual(env, {
      CDC_TARGET: 'deployed',
      LOCAL_STACK: 'external',
      KAFKA_AUTH: 'msk-iam',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      KAFKA_BROKERS: 'boot-1.kafka-serverless.eu-west-1.amazonaws.com:9098',
      CHARGEBACK_API_URL: 'https://abc.execute-api.eu-west-1.amazonaws.com',
      LANDING_BUCKET: 'cdc-landing',
      TABLE_NAME: 'cdc-chargebacks',
      KAFKA_TOPIC: 'chargebacks',
    });
  });

  it('refuses a deployed run while AWS_ENDPOINT_URL points elsewhere, in one line, before cucumber starts', () => {
    const file = path.join(scratch, 'outputs-complete.json');
    writeFileSync(
      file,
      JSON.stringify({
        'chargeback-cdc-dev-foundation': { parquet_bucket_name: 'b', region: 'eu-west-1', dynamodb_table_name: 't' },
        'chargeback-cdc-dev-api': { api_gateway_url: 'https://abc.execute-api.eu-west-1.amazonaws.com' },
        'chargeback-cdc-dev-streaming': { msk_bootstrap_brokers: 'boot-1.example:9098' },
      }),
    );
    const r = run('test-aws.sh', [], {
      path: `${nodeDir}:/usr/bin:/bin`,
      env: { AWS_PROFILE: 'dev', CHARGEBACK_OUTPUTS_FILE: file, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' },
    });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "CDC_TARGET=deployed needs the target's endpoints: AWS_ENDPOINT_URL: must be unset for a deployed target (the SDK goes to AWS) — nothing was run\n",
    );
  });

  it('against a local target, asks for no credentials but names every missing endpoint in one line', () => {
    const r = run('test-aws.sh', [], {
      path: `${nodeDir}:/usr/bin:/bin`,
      env: { CDC_TARGET: 'local', LANDING_BUCKET: 'chargeback-cdc-landing' },
    });
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "CDC_TARGET=local needs the target's endpoints: CHARGEBACK_API_URL: is required; TABLE_NAME: is required; KAFKA_BROKERS: is required; KAFKA_AUTH: is required; AWS_ENDPOINT_URL: is required for a local target — nothing was run\n",
    );
  });

  it('rejects an unknown target in one line', () => {
    const r = run('test-aws.sh', [], { path: '/usr/bin:/bin', env: { CDC_TARGET: 'staging' } });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'test:aws: CDC_TARGET=staging is neither deployed nor local — nothing was run\n');
  });
});
