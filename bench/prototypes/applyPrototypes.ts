import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Proposed pipeline changes live here as patches (bench/prototypes/*.patch) instead of edits to
 * code other people own: this makes a throw-away copy of the repo's pipeline/ (and what its code
 * imports), applies the patches with `git apply`, and returns the copy's root, so the benchmark can
 * run the patched writer side by side with the real one on the same topic. The lead applies a
 * patch with `git apply bench/prototypes/<name>.patch`.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('.', import.meta.url));

export function prototypePatches(): string[] {
  return readdirSync(HERE)
    .filter((f) => f.endsWith('.patch'))
    .sort()
    .map((f) => join(HERE, f));
}

export function applyPrototypes(patches = prototypePatches()): { root: string; patches: string[]; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'bench-prototype-'));
  for (const dir of ['pipeline', 'fixtures']) {
    cpSync(join(REPO, dir), join(root, dir), {
      recursive: true,
      filter: (src) => !src.includes(`${join('flink-job', 'target')}`),
    });
  }
  for (const f of ['package.json', 'tsconfig.json']) cpSync(join(REPO, f), join(root, f));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  for (const p of patches) {
    try {
      execFileSync('git', ['apply', '--unsafe-paths', `--directory=.`, p], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      rmSync(root, { recursive: true, force: true });
      throw new Error(
        `prototype ${p} does not apply to the current pipeline/ (was it already applied, or the code changed?): ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`,
      );
    }
  }
  return { root, patches, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
