import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import path from 'node:path';
import { tempDir } from '../test/tempDir.ts';
import { bundleLambda, bundleLambdaCached, BundleError } from './bundleLambda.ts';
import { REPO_ROOT } from '../paths.ts';

const scratch = tempDir('cdc-bundle-test');

/** Loads a bundle in a fresh Node process, as the Lambda runtime would, and lists its exports. */
function exportsOf(outdir: string): Record<string, string> {
  const script = `import(${JSON.stringify(path.join(outdir, 'index.mjs'))}).then((m) => console.log(JSON.stringify(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v])))))`;
  // No project env: the module must load without the local stack's variables.
  return JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: scratch,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    }),
  ) as Record<string, string>;
}

describe('Lambda bundles are built from pipeline/ with esbuild', () => {
  for (const [name, entry] of [
    ['api', 'pipeline/api/handler.ts'],
    ['stream-processor', 'pipeline/stream-processor/handler.ts'],
    ['topic-creator', 'infra/lambdas/topic-creator.ts'],
    ['consolidation', 'pipeline/consolidation/scheduledHandler.ts'],
    ['consolidation-check', 'infra/lambdas/consolidation-check.ts'],
    ['hour-closer', 'infra/lambdas/hour-closer.ts'],
  ] as const) {
    it(`bundles ${entry} into one ESM file that loads outside the repo and exports handler`, () => {
      const bundle = bundleLambda({ entry: path.join(REPO_ROOT, entry), outdir: path.join(scratch, name) });
      assert.equal(bundle.handler, 'index.handler');
      assert.match(bundle.hash, /^[0-9a-f]{64}$/);
      assert.ok(bundle.bytes > 1000);
      assert.equal(exportsOf(bundle.outdir).handler, 'function');
      for (const f of bundle.runtimeFiles) assert.ok(existsSync(path.join(bundle.outdir, f)), f);
    });
  }

  it('copies the files the code opens at run time (the schema .avsc) next to the bundle', () => {
    const bundle = bundleLambda({
      entry: path.join(REPO_ROOT, 'pipeline/stream-processor/handler.ts'),
      outdir: path.join(scratch, 'sp-files'),
    });
    assert.ok(
      bundle.runtimeFiles.some((f) => f.endsWith('.avsc')),
      `runtime files: ${bundle.runtimeFiles.join(', ')}`,
    );
  });

  it('produces the same hash for the same source (no spurious Lambda updates)', () => {
    const entry = path.join(REPO_ROOT, 'pipeline/api/handler.ts');
    const a = bundleLambda({ entry, outdir: path.join(scratch, 'same-a') });
    const b = bundleLambda({ entry, outdir: path.join(scratch, 'same-b') });
    assert.equal(a.hash, b.hash);
    assert.deepEqual(readFileSync(a.zip), readFileSync(b.zip), 'the deployment zip is byte-for-byte the same');
    const unzipped = unzipSync(readFileSync(a.zip));
    assert.deepEqual(Object.keys(unzipped).sort(), ['index.mjs', 'index.mjs.map', 'package.json', ...a.runtimeFiles].sort());
    assert.deepEqual(Buffer.from(unzipped['index.mjs']!), readFileSync(path.join(a.outdir, 'index.mjs')));
  });

  it('reuses a bundle another process made while every file it was made from is unchanged, and rebuilds when one changes', () => {
    process.env.CHARGEBACK_CDC_BUNDLE_CACHE = path.join(scratch, 'bundle-cache');
    const entry = path.join(scratch, 'cached-handler.ts');
    const dependency = path.join(scratch, 'cached-dependency.ts');
    writeFileSync(dependency, 'export const step = 1;\n');
    writeFileSync(
      entry,
      "import { step } from './cached-dependency.ts';\nexport const handler = async (n: number) => n + step;\n",
    );
    try {
      // Different outdirs defeat the in-process memo: the second and third calls go to the shared cache.
      const first = bundleLambdaCached({ entry, outdir: path.join(scratch, 'cached-1') });
      writeFileSync(path.join(first.outdir, 'index.mjs'), 'export const tampered = 1;\n');
      const second = bundleLambdaCached({ entry, outdir: path.join(scratch, 'cached-2') });
      assert.equal(second.hash, first.hash);
      assert.equal(exportsOf(second.outdir).handler, 'function', 'restored from the cache, not from the tampered output folder');
      writeFileSync(dependency, 'export const step = 2;\n');
      const third = bundleLambdaCached({ entry, outdir: path.join(scratch, 'cached-3') });
      assert.notEqual(third.hash, first.hash, 'a changed dependency must rebuild');
      assert.equal(third.hash, bundleLambda({ entry, outdir: path.join(scratch, 'uncached') }).hash);
    } finally {
      delete process.env.CHARGEBACK_CDC_BUNDLE_CACHE;
    }
  });

  it('takes the entry as a parameter (any handler file)', () => {
    const entry = path.join(scratch, 'standin-handler.ts');
    writeFileSync(entry, 'export const handler = async (e: { n: number }): Promise<number> => e.n + 1;\n');
    const bundle = bundleLambda({ entry, outdir: path.join(scratch, 'standin') });
    assert.equal(exportsOf(bundle.outdir).handler, 'function');
  });

  it('fails with the entry named when it does not exist or exports no handler', () => {
    assert.throws(
      () => bundleLambda({ entry: path.join(scratch, 'missing.ts'), outdir: path.join(scratch, 'x') }),
      (e: Error) => e instanceof BundleError && e.message.includes('missing.ts'),
    );
    const noHandler = path.join(scratch, 'no-handler.ts');
    writeFileSync(noHandler, 'export const main = () => 1;\n');
    assert.throws(() => bundleLambda({ entry: noHandler, outdir: path.join(scratch, 'y') }), /does not export 'handler'/);
    const broken = path.join(scratch, 'broken.ts');
    writeFileSync(broken, "import { nothing } from './nowhere.ts';\nexport const handler = () => nothing;\n");
    assert.throws(
      () => bundleLambda({ entry: broken, outdir: path.join(scratch, 'z') }),
      /esbuild could not bundle .*broken\.ts[\s\S]*nowhere/,
    );
  });
});
