import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { commandLineOf } from './portHolder.ts';

/**
 * A service process that outlives the `stack up` that started it: its own process group (so a
 * Ctrl-C in the terminal does not reach it), output appended to a log file, pid in a pid file.
 */
export interface DetachedSpec {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
  /** Keep the previous log (a broker restarted by a fault-injection test) instead of starting a new one. */
  appendLog?: boolean;
}

export async function spawnDetached(spec: DetachedSpec): Promise<number> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  mkdirSync(dirname(spec.pidFile), { recursive: true });
  const fd = openSync(spec.logFile, spec.appendLog ? 'a' : 'w');
  try {
    writeSync(fd, `--- ${new Date().toISOString()} ${spec.command} ${spec.args.join(' ')}\n`);
    const child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', fd, fd], env: spec.env ?? process.env });
    // spawn reports a missing binary asynchronously: wait for 'spawn' or 'error' before trusting the pid.
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    const pid = child.pid;
    if (pid === undefined) throw new Error(`${spec.command} started without a pid`);
    await writeFile(spec.pidFile, `${pid}\n`);
    return pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * The pid in a pid file when that process is alive and still ours (its command line contains
 * `marker`, which guards against a recycled pid); a stale pid file is removed.
 */
export async function livePid(pidFile: string, marker: string): Promise<number | undefined> {
  const text = await readFile(pidFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  const pid = text === undefined ? NaN : Number.parseInt(text, 10);
  if (Number.isNaN(pid)) return undefined;
  if (isAlive(pid)) {
    const command = await commandLineOf(pid);
    // Without /proc (not Linux) we cannot read the command line; trust the pid file then.
    if (command === undefined || command.includes(marker)) return pid;
  }
  await rm(pidFile, { force: true });
  return undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else, which still means alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, wait up to graceMs for a clean shutdown, then SIGKILL. Resolves how it ended. */
export async function stopProcess(pid: number, graceMs: number): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!signal(pid, 'SIGTERM')) return 'not-running';
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return 'killed';
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
