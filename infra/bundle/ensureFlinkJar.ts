import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FlinkJarBuildError } from '../errors.ts';
import { resolveFlinkJar, type FlinkJar } from './flinkJar.ts';

export { FlinkJarBuildError };

/** What pipeline/flink-job/build.sh writes, relative to the repository (InfraConfig's default jarPath). */
export const FLINK_JAR_BUILD_OUTPUT = 'pipeline/flink-job/target/chargeback-flink-job.jar';

export interface EnsureFlinkJarOptions {
  repoRoot: string;
  /** Folder for the stand-in JAR when the job cannot be built here (git-ignored infra/.build). */
  buildDir: string;
  /** The build to run; default pipeline/flink-job/build.sh (Maven, dependencies cached in ~/.m2). */
  buildScript?: string;
  env?: NodeJS.ProcessEnv;
  /** One line per thing synth does about the JAR (stderr in `npm run synth`). */
  log: (line: string) => void;
}

/**
 * The Flink JAR for `npm run synth`, so a fresh clone synthesizes without knowing the build
 * order: an existing JAR is used; the project's own JAR, when missing, is built first with
 * build.sh (which caches in pipeline/flink-job/target/ and ~/.m2); where Maven or Java is not
 * installed, the stacks are synthesized with a stand-in and a notice that the streaming stack
 * is not deployable (deploy checks for the real JAR on its own). A JAR at another configured
 * path is not ours to build: its absence stays the one-line FlinkJarMissingError.
 */
export function ensureFlinkJar(jarPath: string, options: EnsureFlinkJarOptions): FlinkJar {
  const env = options.env ?? process.env;
  const ours = path.resolve(jarPath) === path.resolve(options.repoRoot, FLINK_JAR_BUILD_OUTPUT);
  try {
    return resolveFlinkJar(jarPath);
  } catch (e) {
    if (!ours) throw e;
  }
  const missingTools = ['mvn', 'java'].filter((tool) => !onPath(tool, env) && !(tool === 'java' && javaHome(env)));
  if (missingTools.length) {
    const standIn = path.join(options.buildDir, 'flink-job-stand-in.jar');
    mkdirSync(options.buildDir, { recursive: true });
    writeFileSync(standIn, 'stand-in for pipeline/flink-job/target/chargeback-flink-job.jar: the job was not built\n');
    options.log(
      `Flink JAR not built and no ${missingTools.join(' or ')} on PATH to build it: synthesizing with a stand-in JAR — the streaming stack is not deployable until npm run build:flink succeeds`,
    );
    return resolveFlinkJar(jarPath, standIn);
  }
  const script = options.buildScript ?? path.join(options.repoRoot, 'pipeline/flink-job/build.sh');
  options.log(
    `Flink JAR not built: building it with bash ${path.relative(options.repoRoot, script)} (Maven; cached in pipeline/flink-job/target/ and ~/.m2, the first build downloads dependencies)…`,
  );
  // Maven's output goes to stderr with our own lines; stdout stays free for whoever reads synth's.
  const run = spawnSync('bash', [script], { stdio: ['ignore', 2, 2], env });
  if (run.status !== 0)
    throw new FlinkJarBuildError(
      `building the Flink JAR failed (${run.error ? run.error.message : `exit ${run.status}`}): see the Maven output above, or set CHARGEBACK_FLINK_JAR_PLACEHOLDER=<file> to synthesize without the job`,
    );
  try {
    return resolveFlinkJar(jarPath);
  } catch {
    throw new FlinkJarBuildError(`${script} finished but ${jarPath} is still missing`);
  }
}

function onPath(tool: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function javaHome(env: NodeJS.ProcessEnv): boolean {
  if (!env.JAVA_HOME) return false;
  try {
    accessSync(path.join(env.JAVA_HOME, 'bin', 'java'), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
