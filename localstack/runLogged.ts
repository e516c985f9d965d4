import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { logTail } from './waitUntil.ts';

/**
 * Runs a command to completion with its output appended to `logFile` (installs are long and chatty);
 * on failure throws the error `fail` builds from the log's last line and the exit status.
 */
export async function runLogged(command: string, args: string[], logFile: string, fail: (tail: string) => Error): Promise<void> {
  mkdirSync(dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  try {
    const exit = await new Promise<number | string>((resolve) => {
      const child = spawn(command, args, { stdio: ['ignore', fd, fd] });
      child.once('error', (e) => resolve(e.message));
      child.once('close', (code, signal) => resolve(code ?? `killed by ${signal}`));
    });
    if (exit !== 0) throw fail(`${await logTail(logFile, 1)} (exit ${exit})`);
  } finally {
    closeSync(fd);
  }
}
