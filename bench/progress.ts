/** Progress lines of long phases, on stderr (stdout stays for the report and the JSON line). */
export function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

/** Runs `fn`, reporting how long it took; rethrows with the phase named. */
export async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  progress(`${name}…`);
  try {
    const out = await fn();
    progress(`${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return out;
  } catch (e) {
    progress(`${name}: FAILED after ${((Date.now() - started) / 1000).toFixed(1)} s: ${(e as Error).message}`);
    throw e;
  }
}
