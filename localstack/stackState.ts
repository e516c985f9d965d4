import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningBackend } from './config.ts';

/**
 * Which backend `stack up` brought up, so that `stack down`, `stack status` and `resetResources`
 * in another process act on the same one (LOCAL_STACK=auto may resolve differently later).
 */
export interface StackState {
  backend: RunningBackend;
  startedAt: string;
}

const stateFile = (runDir: string) => join(runDir, 'stack.json');

export async function readStackState(runDir: string): Promise<StackState | undefined> {
  const text = await readFile(stateFile(runDir), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  return text === undefined ? undefined : (JSON.parse(text) as StackState);
}

export async function writeStackState(runDir: string, state: StackState): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(stateFile(runDir), `${JSON.stringify(state, null, 2)}\n`);
}

export async function clearStackState(runDir: string): Promise<void> {
  await rm(stateFile(runDir), { force: true });
}
