import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MissingToolError } from './errors.ts';

/** What the native stack needs on the machine: a JDK for Kafka 4 (17+), Maven to fetch it, Python for moto. */
export const ToolRequirements = { javaMajor: 17, python: [3, 11] as const } as const;

/** Major version from `java -version` output: `openjdk version "17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const version = /version "([^"]+)"/.exec(versionOutput)?.[1];
  if (!version) return undefined;
  const [first, second] = version.split(/[.+_-]/).map(Number);
  if (first === undefined || Number.isNaN(first)) return undefined;
  return first === 1 && second !== undefined ? second : first;
}

/** `Python 3.11.7` → [3, 11]. */
export function parsePythonVersion(versionOutput: string): [number, number] | undefined {
  const m = /Python (\d+)\.(\d+)/.exec(versionOutput);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The java binary: $JAVA_HOME/bin/java when JAVA_HOME is set (as Kafka's own scripts do), else PATH. */
export function javaCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

export function checkJava(env: NodeJS.ProcessEnv = process.env): string {
  const java = javaCommand(env);
  const out = run(java, ['-version']);
  const major = out === undefined ? undefined : parseJavaMajor(out);
  if (major === undefined || major < ToolRequirements.javaMajor) {
    const found = out === undefined ? `${java} not found` : `found Java ${major ?? 'of unknown version'}`;
    throw new MissingToolError(
      'java',
      `Apache Kafka 4 needs Java ${ToolRequirements.javaMajor}+ (${found}): install a JDK 17+ (Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one`,
    );
  }
  return java;
}

export function checkMaven(): void {
  if (run('mvn', ['-v']) === undefined) {
    throw new MissingToolError(
      'mvn',
      'Maven is needed once to fetch the Kafka jars from Maven Central (mvn not found): install Maven 3.8+ (Debian: apt-get install maven)',
    );
  }
}

export function checkPython(): string {
  const out = run('python3', ['--version']);
  const version = out === undefined ? undefined : parsePythonVersion(out);
  const [needMajor, needMinor] = ToolRequirements.python;
  if (!version || version[0] < needMajor || (version[0] === needMajor && version[1] < needMinor)) {
    const found = version ? `found Python ${version.join('.')}` : 'python3 not found';
    throw new MissingToolError(
      'python3',
      `moto needs Python ${needMajor}.${needMinor}+ (${found}): install it (Debian: apt-get install python3 python3-venv) and make python3 point to it`,
    );
  }
  return 'python3';
}

/** Combined stdout+stderr of a version command (java prints to stderr), or undefined if it cannot run. */
function run(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}
