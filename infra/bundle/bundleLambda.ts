import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildSync, type Message } from 'esbuild';
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
  const runtimeFiles = copyRuntimeFiles(Object.keys(result.metafile?.inputs ?? {}), outdir);
  // The package.json marks the folder as ESM for the Lambda Node runtime (index.mjs is ESM anyway).
  writeFileSync(path.join(outdir, 'package.json'), '{"type":"module"}\n');
  const code = readFileSync(outfile);
  const map = readFileSync(`${outfile}.map`);
  const h = createHash('sha256').update(code).update(map);
  for (const f of runtimeFiles) h.update(f).update(readFileSync(path.join(outdir, f)));
  return { entry, outdir, handler: `index.${exportName}`, runtimeFiles, hash: h.digest('hex'), bytes: code.length };
}

/**
 * A bundle moves every module to index.mjs, so `new URL('./file', import.meta.url)` in a source
 * module (pipeline/schema reads its .avsc that way) would point next to index.mjs: put the file there.
 */
function copyRuntimeFiles(inputs: string[], outdir: string): string[] {
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
  return [...copied.keys()].sort();
}

const cache = new Map<string, Bundle>();

/** Same as bundleLambda, once per (entry, outdir) in a process: synth tests build many apps. */
export function bundleLambdaCached(options: BundleOptions, exportName = 'handler'): Bundle {
  const key = `${path.resolve(options.entry)}→${path.resolve(options.outdir)}#${exportName}`;
  const hit = cache.get(key);
  if (hit && existsSync(path.join(hit.outdir, 'index.mjs'))) return hit;
  const bundle = bundleLambda(options, exportName);
  cache.set(key, bundle);
  return bundle;
}
