import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { TerraformRunError } from '../errors.ts';

export { TerraformRunError };

export interface TerraformCli {
  path: string;
  version: string;
}

/** The terraform binary on PATH and its version, or undefined when there is none. */
export function findTerraform(env: NodeJS.ProcessEnv = process.env): TerraformCli | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'terraform');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    // -json prints {"terraform_version": …} and never warns about the CLI config (plain `version` does).
    const run = spawnSync(candidate, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' } });
    const version = /"terraform_version":\s*"([^"]+)"/.exec(run.stdout ?? '')?.[1];
    if (run.status === 0 && version) return { path: candidate, version };
  }
  return undefined;
}

export interface TerraformRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs terraform asynchronously (several stacks validate side by side) and collects its output. */
export function runTerraform(cli: TerraformCli, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    execFile(cli.path, args, { cwd, env, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (error && status === -1) reject(new TerraformRunError(`could not run terraform ${args[0]}: ${error.message}`));
      else resolve({ status, stdout, stderr });
    });
  });
}
