import { rm } from 'node:fs/promises';
import { LocalPorts } from '../config.ts';
import { isAlive, livePid, spawnDetached, stopProcess } from '../DetachedProcess.ts';
import { ResetFailedError, ServiceStartError } from '../errors.ts';
import type { StackPaths } from '../StackPaths.ts';
import { logTail, waitUntil } from '../waitUntil.ts';
import { motoServerBin } from './MotoInstaller.ts';

const HOST = '127.0.0.1';
/** Part of moto's command line (`…/venv/bin/moto_server -H … -p …`), to recognise our own pid. */
const MARKER = 'moto_server';
const BASE_URL = `http://${HOST}:${LocalPorts.aws}`;

export function motoPid(paths: StackPaths): Promise<number | undefined> {
  return livePid(paths.pidFile('moto'), MARKER);
}

/** moto answers its management API (served by the same process as DynamoDB, Streams, S3 and SQS). */
export async function motoHealthy(timeoutMs = 1500): Promise<boolean> {
  try {
    const res = await fetch(`${BASE_URL}/moto-api/`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    // Refused or timed out: that is the answer "not healthy", not an error of ours.
    return false;
  }
}

/** Starts moto_server detached and waits until it answers; returns its pid. */
export async function startMoto(paths: StackPaths): Promise<number> {
  const logFile = paths.log('moto');
  const pid = await spawnDetached({
    command: motoServerBin(paths),
    args: ['-H', HOST, '-p', String(LocalPorts.aws)],
    logFile,
    pidFile: paths.pidFile('moto'),
  });
  let exited = false;
  const ready = await waitUntil(async () => ((await motoHealthy()) ? true : undefined), {
    timeoutMs: 30_000,
    abortIf: () => {
      exited ||= !isAlive(pid);
      return exited ? 'moto_server exited' : undefined;
    },
  });
  if (!ready.ok) {
    await stopProcess(pid, 2_000);
    throw new ServiceStartError(`moto did not start on ${BASE_URL}: ${ready.reason}; see ${logFile}:\n${await logTail(logFile)}`);
  }
  return pid;
}

export async function stopMoto(paths: StackPaths): Promise<void> {
  const pid = await motoPid(paths);
  // moto keeps everything in memory and has nothing to flush: a short grace is enough.
  if (pid !== undefined) await stopProcess(pid, 5_000);
  await rm(paths.pidFile('moto'), { force: true });
}

/** Clears every moto backend (tables, streams, buckets, queues) in one call: DESIGN §9. */
export async function resetMoto(endpoint: string = BASE_URL): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
  await res.body?.cancel();
  if (!res.ok) throw new ResetFailedError(`moto reset at ${endpoint}/moto-api/reset answered HTTP ${res.status}`);
}
