import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findAwsProviderMirror, type ProviderMirror } from './providerMirror.ts';
import { startProviderServer } from './providerServer.ts';
import { findTerraform, runTerraform, TerraformRunError, type TerraformCli } from './terraformCli.ts';

/**
 * `terraform validate` of every synthesized stack: Terraform itself (and the AWS provider's
 * schema) checks what our synth assertions and checkov only read. Each stack is validated in a
 * temp copy with `init -backend=false`, so no state, backend or credentials are touched, and
 * with a CLI config written here that installs `hashicorp/aws` only from the local mirror —
 * never from the network, and never from whatever ~/.terraformrc a machine happens to have.
 *
 *   npx tsx infra/terraform/validateStacks.ts [cdktf.out folder]     (after npm run synth)
 */
export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  range?: { filename: string; start: { line: number } };
}

export interface StackValidation {
  stack: string;
  valid: boolean;
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export interface ValidateOptions {
  terraform: TerraformCli;
  mirror: ProviderMirror;
  /** Stacks validated side by side; each validate loads the provider's schema (~5 s of CPU). */
  concurrency?: number;
  /** Only these stacks (folder names under stacks/); default: all. */
  stacks?: string[];
  /** TF_REATTACH_PROVIDERS of a shared provider process (providerServer.ts) for the validate step. */
  reattach?: string;
}

/** A CLI config that installs hashicorp/aws from `mirrorDir` only: no direct download, no cache. */
export function mirrorOnlyCliConfig(mirrorDir: string): string {
  return `# Written by infra/terraform/validateStacks.ts for one validate run.
provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirrorDir)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;
}

export async function validateStacks(cdktfOut: string, options: ValidateOptions): Promise<StackValidation[]> {
  const stacksDir = path.join(cdktfOut, 'stacks');
  const stacks = existsSync(stacksDir)
    ? readdirSync(stacksDir).filter(
        (d) => existsSync(path.join(stacksDir, d, 'cdk.tf.json')) && (!options.stacks || options.stacks.includes(d)),
      )
    : [];
  if (!stacks.length) throw new TerraformRunError(`no synthesized stacks in ${stacksDir}: run npm run synth first`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'cdc-tf-validate-'));
  try {
    const cliConfig = path.join(workDir, 'terraformrc');
    writeFileSync(cliConfig, mirrorOnlyCliConfig(options.mirror.dir));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    };
    // Each of these would point init or validate somewhere other than the temp copy.
    for (const name of [
      'TF_PLUGIN_CACHE_DIR',
      'TF_DATA_DIR',
      'TF_WORKSPACE',
      'TF_CLI_ARGS',
      'TF_CLI_ARGS_init',
      'TF_CLI_ARGS_validate',
      'TF_REATTACH_PROVIDERS',
    ])
      delete env[name];
    const queue = [...stacks];
    const results: StackValidation[] = [];
    const worker = async () => {
      for (let stack = queue.shift(); stack; stack = queue.shift()) {
        // Only the JSON: validate never opens the assets (Lambda zips, the JAR) it names.
        const dir = path.join(workDir, stack);
        mkdirSync(dir);
        copyFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
        results.push(await validateOne(stack, dir, options.terraform, env, options.reattach));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
    return results.sort((a, b) => a.stack.localeCompare(b.stack));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function validateOne(
  stack: string,
  dir: string,
  cli: TerraformCli,
  env: NodeJS.ProcessEnv,
  reattach: string | undefined,
): Promise<StackValidation> {
  // init without the shared provider: installing from the mirror is what checks the version constraint.
  const init = await runTerraform(cli, ['init', '-backend=false', '-input=false', '-no-color'], dir, env);
  if (init.status !== 0)
    throw new TerraformRunError(
      `terraform init of ${stack} failed (exit ${init.status}):\n${init.stderr.trim() || init.stdout.trim()}`,
    );
  // validate exits 1 on invalid configuration but still prints its JSON report.
  const run = await runTerraform(
    cli,
    ['validate', '-json', '-no-color'],
    dir,
    reattach ? { ...env, TF_REATTACH_PROVIDERS: reattach } : env,
  );
  let report: { valid?: boolean; diagnostics?: Diagnostic[] };
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch {
    throw new TerraformRunError(`terraform validate of ${stack} printed no JSON (exit ${run.status}):\n${run.stderr.trim()}`);
  }
  const diagnostics = report.diagnostics ?? [];
  return {
    stack,
    valid: report.valid === true,
    errors: diagnostics.filter((d) => d.severity === 'error'),
    warnings: diagnostics.filter((d) => d.severity === 'warning'),
  };
}

export function formatValidation(results: StackValidation[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.valid && !r.warnings.length ? 'valid  ' : r.valid ? 'WARN   ' : 'INVALID'} ${r.stack}`);
    for (const d of [...r.errors, ...r.warnings])
      lines.push(
        `  ${d.severity}: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.range ? ` at ${d.range.filename}:${d.range.start.line}` : ''}${d.detail ? `\n    ${d.detail.replace(/\n/g, '\n    ')}` : ''}`,
      );
  }
  return lines.join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cdktf.out'));
  const terraform = findTerraform();
  const mirror = findAwsProviderMirror();
  if (!terraform || !mirror.found) {
    console.error(
      `terraform validate needs ${!terraform ? 'a terraform binary on PATH' : `an AWS provider mirror (looked in ${mirror.lookedIn.join(', ')})`}`,
    );
    process.exit(2);
  }
  const server = mirror.found.binary ? await startProviderServer(mirror.found.binary) : undefined;
  try {
    const results = await validateStacks(outdir, { terraform, mirror: mirror.found, reattach: server?.reattach });
    console.log(formatValidation(results));
    process.exitCode = results.every((r) => r.valid && !r.warnings.length) ? 0 : 1;
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
  } finally {
    await server?.stop();
  }
}
