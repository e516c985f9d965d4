import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { sleep } from './DetachedProcess.ts';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Checked before each probe: a reason to give up at once (e.g. "the process exited"). */
  abortIf?: () => string | undefined;
}

export type WaitOutcome<T> = { ok: true; value: T; tookMs: number } | { ok: false; reason: string };

/**
 * Polls `probe` until it returns a value, the deadline passes, or `abortIf` gives a reason.
 * A probe that throws counts as "not yet"; its last error is part of the timeout reason.
 */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<WaitOutcome<T>> {
  const started = Date.now();
  let lastError = '';
  while (Date.now() - started < opts.timeoutMs) {
    const aborted = opts.abortIf?.();
    if (aborted) return { ok: false, reason: aborted };
    try {
      const value = await probe();
      if (value !== undefined) return { ok: true, value, tookMs: Date.now() - started };
    } catch (e) {
      lastError = (e as Error).message;
    }
    await sleep(opts.intervalMs ?? 200);
  }
  return {
    ok: false,
    reason: `not ready after ${Math.round(opts.timeoutMs / 1000)} s${lastError ? ` (last error: ${lastError})` : ''}`,
  };
}

/** True when something accepts TCP connections on host:port within timeoutMs. */
export function tcpAccepts(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The last lines of a log, to put the cause of a failed start right into the error. */
export async function logTail(file: string, lines = 15): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
