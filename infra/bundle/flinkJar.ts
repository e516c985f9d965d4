import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FlinkJarMissingError } from '../errors.ts';

export { FlinkJarMissingError };

export interface FlinkJar {
  path: string;
  /** First 16 hex digits of the JAR's sha256: part of its S3 key. */
  hash: string;
  placeholder: boolean;
}

/**
 * Finds the Flink job JAR that the streaming stack uploads. A missing JAR stops synth with one
 * line, unless `placeholder` names a stand-in file (tests synthesize without Maven).
 */
export function resolveFlinkJar(jarPath: string, placeholder?: string): FlinkJar {
  const real = path.resolve(jarPath);
  if (existsSync(real) && statSync(real).isFile()) return { path: real, hash: sha256Prefix(real), placeholder: false };
  if (placeholder) {
    const stand = path.resolve(placeholder);
    if (!existsSync(stand)) throw new FlinkJarMissingError(real);
    return { path: stand, hash: sha256Prefix(stand), placeholder: true };
  }
  throw new FlinkJarMissingError(real);
}

function sha256Prefix(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}
