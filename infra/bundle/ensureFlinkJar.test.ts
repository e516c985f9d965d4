import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../test/tempDir.ts';
import { REPO_ROOT } from '../paths.ts';
import { FlinkJarMissingError } from './flinkJar.ts';
import { ensureFlinkJar, FlinkJarBuildError, FLINK_JAR_BUILD_OUTPUT } from './ensureFlinkJar.ts';

const scratch = tempDir('cdc-ensure-jar');
let n = 0;

/** A repository without the JAR, a stand-in build script, and a PATH with (or without) mvn and java. */
function fixture(opts: { build?: string; tools?: string[] } = {}) {
  const repoRoot = path.join(scratch, `repo-${++n}`);
  const bin = path.join(repoRoot, 'bin');
  mkdirSync(bin, { recursive: true });
  // What the build scripts run, without the rest of /usr/bin (this machine's real mvn and java).
  for (const tool of ['bash', 'mkdir'])
    symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
  for (const tool of opts.tools ?? ['mvn', 'java']) {
    writeFileSync(path.join(bin, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, tool), 0o755);
  }
  const buildScript = path.join(repoRoot, 'build.sh');
  writeFileSync(
    buildScript,
    opts.build ??
      `mkdir -p "${path.join(repoRoot, 'pipeline/flink-job/target')}" && echo jar > "${path.join(repoRoot, FLINK_JAR_BUILD_OUTPUT)}" && echo "maven says hi" >&2\n`,
  );
  const lines: string[] = [];
  const options = {
    repoRoot,
    buildDir: path.join(repoRoot, '.build'),
    buildScript,
    env: { PATH: bin },
    log: (l: string) => lines.push(l),
  };
  return { repoRoot, jar: path.join(repoRoot, FLINK_JAR_BUILD_OUTPUT), options, lines };
}

describe('npm run synth gets the Flink JAR whatever the order of commands', () => {
  it('uses a built JAR as it is, without building or a word', () => {
    const f = fixture({ build: 'exit 99\n' });
    mkdirSync(path.dirname(f.jar), { recursive: true });
    writeFileSync(f.jar, 'built earlier');
    const jar = ensureFlinkJar(f.jar, f.options);
    assert.deepEqual([jar.path, jar.placeholder, f.lines], [f.jar, false, []]);
  });

  it('builds the missing JAR with the build script, saying so in one line first', () => {
    const f = fixture();
    const jar = ensureFlinkJar(f.jar, f.options);
    assert.deepEqual([jar.path, jar.placeholder], [f.jar, false]);
    assert.equal(readFileSync(f.jar, 'utf8'), 'jar\n');
    assert.equal(f.lines.length, 1);
    assert.match(
      f.lines[0]!,
      /^Flink JAR not built: building it with bash build\.sh \(Maven; cached in pipeline\/flink-job\/target\//,
    );
  });

  it('stops with the reason when the build fails, instead of synthesizing without the job', () => {
    const f = fixture({ build: 'echo "[ERROR] compilation failure" >&2; exit 3\n' });
    assert.throws(
      () => ensureFlinkJar(f.jar, f.options),
      (e: Error) => e instanceof FlinkJarBuildError && /failed \(exit 3\): see the Maven output above/.test(e.message),
    );
  });

  it('without Maven or Java, synthesizes with a stand-in and says the streaming stack is not deployable', () => {
    const f = fixture({ tools: ['java'] });
    const jar = ensureFlinkJar(f.jar, f.options);
    assert.equal(jar.placeholder, true);
    assert.ok(existsSync(jar.path));
    assert.ok(!existsSync(f.jar), 'nothing was built');
    assert.deepEqual(f.lines, [
      'Flink JAR not built and no mvn on PATH to build it: synthesizing with a stand-in JAR — the streaming stack is not deployable until npm run build:flink succeeds',
    ]);
  });

  it('does not build a JAR configured at another path: that stays the one-line missing-JAR error', () => {
    const f = fixture();
    assert.throws(() => ensureFlinkJar(path.join(f.repoRoot, 'elsewhere.jar'), f.options), FlinkJarMissingError);
    assert.deepEqual(f.lines, []);
  });
});

describe('pipeline/flink-job/build.sh', () => {
  it('describes the JAR as the pom builds it: the S3 file system is shaded in, only Flink, the file connector and logging are provided', () => {
    const pom = readFileSync(path.join(REPO_ROOT, 'pipeline/flink-job/pom.xml'), 'utf8');
    const deps = [...pom.matchAll(/<dependency>([\s\S]*?)<\/dependency>/g)].map((m) => ({
      artifact: /<artifactId>([^<]+)<\/artifactId>/.exec(m[1]!)![1]!,
      scope: /<scope>([^<]+)<\/scope>/.exec(m[1]!)?.[1] ?? 'compile',
    }));
    assert.equal(deps.find((d) => d.artifact === 'flink-s3-fs-hadoop')?.scope, 'compile');
    const header = readFileSync(path.join(REPO_ROOT, 'pipeline/flink-job/build.sh'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    assert.doesNotMatch(header, /S3 plugin (is|are) provided|provided by the runtime/i);
    assert.match(header, /flink-s3-fs-hadoop[^\n]*\n?[^\n]*inside it|S3 file system[\s\S]*inside it/);
    // The pom writes no plugins/ folder (the S3 file system is in the JAR), so the header names none.
    assert.doesNotMatch(pom, /plugins\/s3-fs-hadoop/);
    assert.doesNotMatch(header, /plugins\/s3-fs-hadoop/);
  });
});
