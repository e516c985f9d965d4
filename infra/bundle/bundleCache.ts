import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Bundle, BundleOptions } from './bundleLambda.ts';
import { cdcHome } from '../../pipeline/config/index.ts';

/**
 * Lambda bundles kept between processes, so a synth (and every synth test file, each its own
 * process) does not spend seconds in esbuild on the three bundles it made a minute ago.
 *
 * An entry is reused only while every file esbuild read to make it (the metafile's inputs, node_modules
 * included) has the same content, and the entry point, options and esbuild version are the same:
 * esbuild's output is a function of exactly those. Entries are written to a temporary folder and renamed
 * into place, so a process never reads a half-written entry; any trouble reading one means "miss".
 *
 * Where: `$CHARGEBACK_CDC_BUNDLE_CACHE`, else `${CHARGEBACK_CDC_HOME:-~/.cache/chargeback-cdc}/lambda-bundles`.
 * `CHARGEBACK_CDC_BUNDLE_CACHE=off` turns it off.
 */
export interface CachedBuild {
  bundle: Omit<Bundle, 'outdir' | 'entry' | 'zip'>;
  /** Absolute path → sha256 of its content, for every file esbuild read. */
  inputs: Record<string, string>;
}

export function bundleCacheRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.CHARGEBACK_CDC_BUNDLE_CACHE;
  if (configured === 'off') return undefined;
  if (configured) return configured;
  return path.join(cdcHome(env), 'lambda-bundles');
}

export function cacheKey(entry: string, options: BundleOptions, exportName: string, esbuildVersion: string): string {
  const { outdir: _outdir, ...shape } = options;
  return createHash('sha256')
    .update(JSON.stringify({ entry, shape, exportName, esbuildVersion, cwd: process.cwd() }))
    .digest('hex')
    .slice(0, 32);
}

export function hashFile(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Copies a valid entry's files into `outdir` and returns its bundle, or undefined on any miss. */
export function restoreBundle(root: string, key: string, entry: string, outdir: string): Bundle | undefined {
  const dir = path.join(root, key);
  try {
    const build = JSON.parse(readFileSync(path.join(dir, 'build.json'), 'utf8')) as CachedBuild;
    for (const [file, sha] of Object.entries(build.inputs)) {
      if (!existsSync(file) || hashFile(file) !== sha) return undefined;
    }
    rmSync(outdir, { recursive: true, force: true });
    cpSync(path.join(dir, 'files'), outdir, { recursive: true });
    cpSync(path.join(dir, 'code.zip'), `${outdir}.zip`);
    return { ...build.bundle, entry, outdir, zip: `${outdir}.zip` };
  } catch {
    return undefined; // absent, being replaced by another process, or unreadable: build instead
  }
}

/** Stores a fresh build; a failure to store only costs the next process a build. */
export function storeBundle(root: string, key: string, bundle: Bundle, inputs: Record<string, string>): void {
  const dir = path.join(root, key);
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    mkdirSync(tmp, { recursive: true });
    cpSync(bundle.outdir, path.join(tmp, 'files'), { recursive: true });
    cpSync(bundle.zip, path.join(tmp, 'code.zip'));
    const { outdir: _o, entry: _e, zip: _z, ...rest } = bundle;
    writeFileSync(path.join(tmp, 'build.json'), JSON.stringify({ bundle: rest, inputs } satisfies CachedBuild));
    // A stale entry goes aside first: renaming onto a non-empty folder fails.
    if (existsSync(dir)) renameSync(dir, `${tmp}.old`);
    renameSync(tmp, dir);
  } catch {
    // another process stored the same key at the same moment: theirs is as good as ours
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(`${tmp}.old`, { recursive: true, force: true });
  }
}
