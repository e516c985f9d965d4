import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { type Zippable, zipSync } from 'fflate';
import path from 'node:path';
import { buildSync, type Message, version as esbuildVersion } from 'esbuild';
import { bundleCacheRoot, cacheKey, hashFile, restoreBundle, storeBundle } from './bundleCache.ts';
import { BundleError } from '../errors.ts';

/**
 * Bundles one Lambda entry point (TypeScript, ESM, explicit `.ts` imports) with esbuild into
 * `<outdir>/index.mjs`, the same source the local stack runs — no second copy of the code.
 *
 * Everything is bundled, AWS SDK v3 included: the runtime's SDK version is whatever AWS ships
 * that week, ours is pinned in package-lock.json.
 */
export interface BundleOptions {
  /** Absolute path (or relative to `cwd`) of the .ts file exporting the handler. */
  entry: string;
  /** Directory that receives index.mjs (+ .map); emptied first. */
  outdir: string;
  /** esbuild target; Node 20 syntax also runs on the nodejs22.x runtime. */
  target?: string;
  minify?: boolean;
}

export interface Bundle {
  entry: string;
  outdir: string;
  /** Lambda handler string for this bundle, e.g. `index.handler`. */
  handler: string;
  /** Files the code opens at run time (`new URL('./x', import.meta.url)`), copied beside index.mjs. */
  runtimeFiles: string[];
  /** sha256 of the emitted files: changes exactly when the deployed code changes. */
  hash: string;
  /** The deployment package: the folder's files in a zip that is byte-for-byte the same for the same code. */
  zip: string;
  bytes: number;
}

export { BundleError };

/**
 * Some CommonJS dependencies (kafkajs, powertools) call `require` for Node built-ins; an ESM
 * bundle has no `require`, so give it one.
 */
const REQUIRE_SHIM =
  "import { createRequire as __cdcCreateRequire } from 'node:module'; const require = __cdcCreateRequire(import.meta.url);";

export function bundleLambda(options: BundleOptions, exportName = 'handler'): Bundle {
  return buildBundle(options, exportName).bundle;
}

/** The bundle and every file it was made from: what esbuild read, and the sources of the runtime files. */
function buildBundle(options: BundleOptions, exportName: string): { bundle: Bundle; inputs: string[] } {
  const entry = path.resolve(options.entry);
  if (!existsSync(entry)) throw new BundleError(`Lambda entry not found: ${entry}`);
  const outdir = path.resolve(options.outdir);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const outfile = path.join(outdir, 'index.mjs');
  let result: ReturnType<typeof buildSync>;
  try {
    result = buildSync({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: options.target ?? 'node20',
      minify: options.minify ?? true,
      sourcemap: 'external',
      sourcesContent: false,
      legalComments: 'none',
      banner: { js: REQUIRE_SHIM },
      logLevel: 'silent',
      metafile: true,
      // Reproducible output: no absolute paths in the bundle or its source map.
      absWorkingDir: process.cwd(),
    });
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors ?? [];
    const detail = errors.map((m) => `  ${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`).join('\n');
    throw new BundleError(`esbuild could not bundle ${entry}:\n${detail || (e as Error).message}`);
  }
  const exports = result.metafile?.outputs[path.relative(process.cwd(), outfile)]?.exports ?? [];
  if (!exports.includes(exportName)) {
    throw new BundleError(`${entry} does not export '${exportName}' (exports: ${exports.join(', ') || 'none'})`);
  }
  const read = Object.keys(result.metafile?.inputs ?? {});
  const runtime = copyRuntimeFiles(read, outdir);
  const runtimeFiles = [...runtime.keys()].sort();
  // The package.json marks the folder as ESM for the Lambda Node runtime (index.mjs is ESM anyway).
  writeFileSync(path.join(outdir, 'package.json'), '{"type":"module"}\n');
  const code = readFileSync(outfile);
  const map = readFileSync(`${outfile}.map`);
  const h = createHash('sha256').update(code).update(map);
  for (const f of runtimeFiles) h.update(f).update(readFileSync(path.join(outdir, f)));
  const zip = writeDeploymentZip(outdir, ['index.mjs', 'index.mjs.map', 'package.json', ...runtimeFiles]);
  const bundle = { entry, outdir, handler: `index.${exportName}`, runtimeFiles, hash: h.digest('hex'), bytes: code.length, zip };
  // esbuild also reads the tsconfig and resolves packages through the lock's node_modules.
  const settings = ['tsconfig.json', 'package.json', 'package-lock.json'].map((f) => path.resolve(f)).filter(existsSync);
  return { bundle, inputs: [...read.map((f) => path.resolve(f)), ...runtime.values(), ...settings] };
}

/**
 * `<outdir>.zip`, made here rather than by cdktf's archive asset, which zips the folder again in a child
 * process at every synth (about a second per function). Entries are sorted and carry a fixed date, so
 * the same code gives the same bytes and Terraform sees no change.
 */
function writeDeploymentZip(outdir: string, files: string[]): string {
  const zip = `${outdir}.zip`;
  const entries: Zippable = {};
  for (const f of [...files].sort()) entries[f] = [readFileSync(path.join(outdir, f)), { level: 9, mtime: ZIP_DATE }];
  writeFileSync(zip, zipSync(entries));
  return zip;
}
const ZIP_DATE = new Date('1980-01-01T00:00:00Z');

/**
 * A bundle moves every module to index.mjs, so `new URL('./file', import.meta.url)` in a source
 * module (pipeline/schema reads its .avsc that way) would point next to index.mjs: put the file there.
 */
function copyRuntimeFiles(inputs: string[], outdir: string): Map<string, string> {
  const copied = new Map<string, string>();
  const pattern = /new URL\(\s*(['"])(\.\.?\/[^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g;
  for (const input of inputs) {
    if (!/\.[cm]?[jt]s$/.test(input) || input.includes('node_modules')) continue;
    const file = path.resolve(input);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(pattern)) {
      const target = path.resolve(path.dirname(file), m[2]!);
      const name = path.basename(target);
      if (!existsSync(target)) throw new BundleError(`${input} opens ${m[2]} at run time, but ${target} does not exist`);
      const previous = copied.get(name);
      if (previous && previous !== target)
        throw new BundleError(`two run-time files named ${name} (${previous}, ${target}) would collide beside index.mjs`);
      copyFileSync(target, path.join(outdir, name));
      copied.set(name, target);
    }
  }
  return copied;
}

const cache = new Map<string, Bundle>();

/**
 * Same as bundleLambda, once per (entry, outdir) in a process (synth tests build many apps), and
 * reused across processes while its inputs are unchanged (bundleCache.ts).
 */
export function bundleLambdaCached(options: BundleOptions, exportName = 'handler'): Bundle {
  const entry = path.resolve(options.entry);
  const outdir = path.resolve(options.outdir);
  const memoKey = `${entry}→${outdir}#${exportName}`;
  const hit = cache.get(memoKey);
  if (hit && existsSync(path.join(hit.outdir, 'index.mjs'))) return hit;
  const root = bundleCacheRoot();
  const key = cacheKey(entry, options, exportName, esbuildVersion);
  let bundle = root ? restoreBundle(root, key, entry, outdir) : undefined;
  if (!bundle) {
    const built = buildBundle(options, exportName);
    bundle = built.bundle;
    if (root) storeBundle(root, key, bundle, Object.fromEntries(built.inputs.map((f) => [f, hashFile(f)])));
  }
  cache.set(memoKey, bundle);
  return bundle;
}
