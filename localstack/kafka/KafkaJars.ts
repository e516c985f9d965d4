import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstallFailedError } from '../errors.ts';
import { runLogged } from '../runLogged.ts';
import type { StackPaths } from '../StackPaths.ts';
import { checkMaven } from '../toolchain.ts';

/** The pom that names the broker's jars; it is the single place where the Kafka version is set. */
export const KAFKA_POM = fileURLToPath(new URL('./pom.xml', import.meta.url));

const MARKER = '.complete';

/** The `<kafka.version>` property of a pom's text. */
export function kafkaVersionOf(pomText: string): string {
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pomText)?.[1]?.trim();
  if (!version) throw new Error(`${KAFKA_POM} has no <kafka.version> property`);
  return version;
}

export const KAFKA_VERSION = kafkaVersionOf(readFileSync(KAFKA_POM, 'utf8'));

/**
 * Copies the broker's runtime jars (resolved from Maven Central into ~/.m2, then copied) into a cache
 * folder keyed by Kafka version, once; the marker holds the pom's hash so an edited pom re-resolves.
 * Returns the classpath.
 */
export async function ensureKafkaJars(paths: StackPaths, onProgress: (line: string) => void): Promise<string> {
  const pomText = await readFile(KAFKA_POM, 'utf8');
  const pomHash = createHash('sha256').update(pomText).digest('hex');
  const dir = paths.kafkaJars(KAFKA_VERSION);
  const marker = join(dir, MARKER);
  const current = await readFile(marker, 'utf8').catch(() => undefined);
  if (current?.trim() !== pomHash) {
    checkMaven();
    onProgress(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${dir} (first run, ~1 min)…`);
    await rm(dir, { recursive: true, force: true });
    const log = paths.log('install-kafka');
    await runLogged(
      'mvn',
      ['-B', '-q', '-f', KAFKA_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${dir}`, '-DincludeScope=runtime'],
      log,
      (tail) =>
        new InstallFailedError(
          `Maven could not fetch the Kafka ${KAFKA_VERSION} jars from Maven Central: check that Maven Central is reachable and retry \`stack up\` (full output in ${log}): ${tail}`,
        ),
    );
    await writeFile(marker, `${pomHash}\n`);
  }
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => join(dir, f))
    .join(delimiter);
}
