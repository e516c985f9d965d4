import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../test/tempDir.ts';
import { synth } from '../test/synthFixture.ts';
import { NO_NAT, OTHER_BRANCHES } from '../test/configBranches.ts';
import { findAwsProviderMirror, mirrorCandidates } from './providerMirror.ts';
import { findTerraform } from './terraformCli.ts';
import { startProviderServer, type ProviderServer } from './providerServer.ts';
import { formatValidation, mirrorOnlyCliConfig, validateStacks, type StackValidation } from './validateStacks.ts';

const terraform = findTerraform();
const mirror = findAwsProviderMirror();
/** Named and visible in the report (TAP `# SKIP`), never a pass, where this machine cannot validate. */
const skip = !terraform
  ? 'terraform validate — no terraform binary on PATH'
  : !mirror.found
    ? `terraform validate — no AWS provider mirror (hashicorp/aws >= 5.100, < 7) found (looked in ${mirror.lookedIn.join(', ')})`
    : false;

function assertAllValid(results: StackValidation[], expectedStacks: number) {
  assert.equal(results.length, expectedStacks, formatValidation(results));
  for (const r of results) {
    assert.deepEqual(
      { stack: r.stack, valid: r.valid, errors: r.errors.length, warnings: r.warnings.length },
      { stack: r.stack, valid: true, errors: 0, warnings: 0 },
      formatValidation([r]),
    );
  }
}

describe('terraform validate of the synthesized stacks, with the AWS provider from the local mirror', () => {
  /**
   * Every stack of the default config, and the stacks whose resources or attributes change with
   * the other branches of the config (the streaming and monitoring stacks of those branches
   * differ only in values). Two validates at a time on two cores, all against one provider
   * process (each would otherwise start its own and load the whole schema).
   */
  const runs: Record<string, Promise<StackValidation[]>> = {};
  let server: ProviderServer | undefined;
  before(async () => {
    if (skip) return;
    server = mirror.found!.binary ? await startProviderServer(mirror.found!.binary) : undefined;
    const cli = { terraform: terraform!, mirror: mirror.found!, reattach: server?.reattach };
    const d = synth();
    const o = synth(OTHER_BRANCHES);
    const n = synth(NO_NAT);
    const all = Promise.all([
      validateStacks(d.outdir, { ...cli, concurrency: 1 }),
      validateStacks(o.outdir, { ...cli, concurrency: 1, stacks: [o.names.stacks.foundation, o.names.stacks.api] }),
    ]);
    runs.default = all.then(([r]) => r);
    runs.otherBranches = all.then(([, r]) => r);
    runs.noNat = all.then(() => validateStacks(n.outdir, { ...cli, stacks: [n.names.stacks.foundation] }));
    // Rejections surface in the tests that await them.
    for (const r of Object.values(runs)) r.catch(() => undefined);
  });
  after(async () => {
    await Promise.allSettled(Object.values(runs));
    await server?.stop();
  });

  it('the default config: all five stacks are valid Terraform, without warnings', { skip, timeout: 600_000 }, async () => {
    const results = await runs.default!;
    console.log(
      `hashicorp/aws ${mirror.found!.version} from ${mirror.found!.dir} (${server ? 'one shared provider process' : 'a provider process per stack'}), terraform ${terraform!.version}`,
    );
    console.log(formatValidation(results));
    assertAllValid(results, 5);
  });

  it('the other branches (existing VPC, imported table and bucket, S3 backend, IAM routes): foundation and api valid', {
    skip,
    timeout: 600_000,
  }, async () => {
    assertAllValid(await runs.otherBranches!, 2);
  });

  it('a new VPC without NAT (interface endpoint, zones by ID): the foundation stack is valid', {
    skip,
    timeout: 600_000,
  }, async () => {
    assertAllValid(await runs.noNat!, 1);
  });

  it('reports an invalid stack as invalid, with what Terraform refused (the check can fail)', {
    skip,
    timeout: 120_000,
  }, async () => {
    // No provider needed (so no schema to load): an output that reads an undeclared variable.
    const out = tempDir('cdc-tf-invalid');
    mkdirSync(path.join(out, 'stacks', 'broken'), { recursive: true });
    writeFileSync(
      path.join(out, 'stacks', 'broken', 'cdk.tf.json'),
      JSON.stringify({ output: { x: { value: '${var.not_declared}' } } }),
    );
    const [broken] = await validateStacks(out, { terraform: terraform!, mirror: mirror.found! });
    assert.equal(broken!.valid, false);
    assert.equal(broken!.errors.length, 1);
    assert.match(formatValidation([broken!]), /INVALID broken\n {2}error: Reference to undeclared input variable/);
  });
});

describe('where terraform validate finds the AWS provider', () => {
  it('finds a mirror in either layout in CHARGEBACK_TF_PROVIDER_MIRROR, and only versions the stacks accept', () => {
    const root = tempDir('cdc-mirror');
    const unpacked = path.join(root, 'unpacked', 'registry.terraform.io', 'hashicorp', 'aws');
    mkdirSync(path.join(unpacked, '5.100.0', 'linux_amd64'), { recursive: true });
    writeFileSync(path.join(unpacked, '5.100.0', 'linux_amd64', 'terraform-provider-aws_v5.100.0_x5'), '');
    mkdirSync(path.join(unpacked, '4.67.0', 'linux_amd64'), { recursive: true });
    writeFileSync(path.join(unpacked, '4.67.0', 'linux_amd64', 'terraform-provider-aws_v4.67.0_x5'), '');
    const env = (dir: string) => ({ HOME: path.join(root, 'home'), CHARGEBACK_TF_PROVIDER_MIRROR: dir });
    assert.deepEqual(findAwsProviderMirror(env(path.join(root, 'unpacked')), 'linux_amd64').found, {
      dir: path.join(root, 'unpacked'),
      version: '5.100.0',
      binary: path.join(unpacked, '5.100.0', 'linux_amd64', 'terraform-provider-aws_v5.100.0_x5'),
    });
    assert.equal(findAwsProviderMirror(env(path.join(root, 'unpacked')), 'darwin_arm64').found, undefined, 'other platform');
    const packed = path.join(root, 'packed', 'registry.terraform.io', 'hashicorp', 'aws');
    mkdirSync(packed, { recursive: true });
    writeFileSync(path.join(packed, 'terraform-provider-aws_6.25.0_linux_amd64.zip'), '');
    writeFileSync(path.join(packed, 'terraform-provider-aws_7.1.0_linux_amd64.zip'), '');
    assert.deepEqual(findAwsProviderMirror(env(path.join(root, 'packed')), 'linux_amd64').found, {
      dir: path.join(root, 'packed'),
      version: '6.25.0',
    });
  });

  it('also looks where the CLI config names a mirror, and in the implicit mirror folders; names them all when none has it', () => {
    const root = tempDir('cdc-mirror-rc');
    const rc = path.join(root, 'terraformrc');
    writeFileSync(rc, 'provider_installation {\n  filesystem_mirror {\n    path = "/srv/tf-mirror"\n  }\n}\n');
    const looked = mirrorCandidates({ HOME: '/home/x', TF_CLI_CONFIG_FILE: rc });
    assert.deepEqual(looked, [
      '/srv/tf-mirror',
      '/home/x/.terraform.d/plugins',
      '/home/x/.local/share/terraform/plugins',
      '/usr/local/share/terraform/plugins',
      '/usr/share/terraform/plugins',
      '/opt/tf-plugins',
    ]);
    const none = findAwsProviderMirror({ HOME: path.join(root, 'home'), TF_CLI_CONFIG_FILE: rc }, 'plan9_mips');
    assert.equal(none.found, undefined);
    assert.ok(none.lookedIn.includes('/srv/tf-mirror'));
  });

  it('writes its own CLI config: hashicorp/aws from the mirror only, never downloaded', () => {
    const rc = mirrorOnlyCliConfig('/opt/tf-plugins');
    assert.match(
      rc,
      /filesystem_mirror \{\s+path\s+= "\/opt\/tf-plugins"\s+include = \["registry.terraform.io\/hashicorp\/aws"\]/,
    );
    assert.match(rc, /direct \{\s+exclude = \["registry.terraform.io\/hashicorp\/aws"\]/);
  });
});
