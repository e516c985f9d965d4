import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

/**
 * Runs a TypeScript entry point of the repo in its own Node process (tsx), bounded by a timeout,
 * and resolves with its stdout; stderr passes through. Rejects on a non-zero exit or the timeout
 * (the child is then killed). `onSpawn` gets the child's pid, e.g. to watch its memory while it works.
 */
export function runTsChild(
  entry: string,
  args: string[],
  opts: { timeoutMs: number; nodeArgs?: string[]; env?: NodeJS.ProcessEnv; onSpawn?: (pid: number) => void },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', entry, ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: opts.env ?? process.env,
    });
    if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not finish within ${opts.timeoutMs / 1000} s`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${entry} exited with ${code ?? signal}`));
    });
  });
}
