import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './test/tempDir.ts';
import { INFRA_DIR } from './paths.ts';
import { resolveFlinkJar, FlinkJarMissingError } from './bundle/flinkJar.ts';

const scratch = tempDir('cdc-synth-cli');

/** `npm run synth` as a user runs it: no AWS credentials, no terraform on PATH. */
function runSynth(env: Record<string, string>) {
  const nodeDir = path.dirname(process.execPath);
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(INFRA_DIR, 'main.ts')], {
    encoding: 'utf8',
    env: {
      PATH: `${nodeDir}:/usr/bin:/bin`,
      HOME: scratch,
      CDKTF_OUTDIR: path.join(scratch, `out-${Math.random().toString(36).slice(2)}`),
      ...env,
    },
  });
}

function configFile(config: object): string {
  const file = path.join(scratch, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('npm run synth', () => {
  it('stops with one line when the Flink JAR is not built', () => {
    const run = runSynth({ CHARGEBACK_INFRA_CONFIG: configFile({ flink: { jarPath: path.join(scratch, 'not-built.jar') } }) });
    assert.equal(run.status, 1);
    assert.equal(run.stderr, 'Flink JAR not built: run npm run build:flink\n');
  });

  it('synthesizes all five stacks offline, without credentials or terraform, given a stand-in JAR', () => {
    const jar = path.join(scratch, 'standin.jar');
    writeFileSync(jar, 'stand-in');
    const out = path.join(scratch, 'synth-ok');
    const run = runSynth({
      CDKTF_OUTDIR: out,
      CHARGEBACK_FLINK_JAR_PLACEHOLDER: jar,
      CHARGEBACK_INFRA_CONFIG: configFile({ flink: { jarPath: path.join(scratch, 'not-built.jar') } }),
    });
    assert.equal(run.status, 0, run.stderr);
    for (const stack of ['foundation', 'api', 'streaming', 'consolidation', 'monitoring'])
      assert.ok(existsSync(path.join(out, 'stacks', `chargeback-cdc-dev-${stack}`, 'cdk.tf.json')), stack);
    assert.match(run.stderr, /^synthesized chargeback-cdc-dev \(us-east-1\)/);
  });

  it('reports every invalid config value at once', () => {
    const run = runSynth({
      CHARGEBACK_INFRA_CONFIG: configFile({
        environment: 'Prod!',
        region: 'mars',
        network: { mode: 'existing', vpcId: 'vpc-1', privateSubnetIds: ['subnet-1'] },
      }),
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /environment: /);
    assert.match(run.stderr, /region: /);
    assert.match(
      run.stderr,
      /network\.privateSubnetIds: MSK Serverless and Managed Flink need subnets in at least two Availability Zones/,
    );
  });
});

describe('resolveFlinkJar', () => {
  it('uses the built JAR when it exists, the placeholder only when it does not', () => {
    const built = path.join(scratch, 'built.jar');
    writeFileSync(built, 'built');
    const placeholder = path.join(scratch, 'placeholder.jar');
    writeFileSync(placeholder, 'placeholder');
    assert.deepEqual([resolveFlinkJar(built, placeholder).path, resolveFlinkJar(built, placeholder).placeholder], [built, false]);
    assert.deepEqual(
      [
        resolveFlinkJar(path.join(scratch, 'nope.jar'), placeholder).path,
        resolveFlinkJar(path.join(scratch, 'nope.jar'), placeholder).placeholder,
      ],
      [placeholder, true],
    );
    assert.throws(() => resolveFlinkJar(path.join(scratch, 'nope.jar')), FlinkJarMissingError);
  });
});
