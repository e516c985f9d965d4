import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where infra/ and the repository are on disk. Its own module, so that the scripts that only
 * need a path (preflight, test:aws, synth's early checks) do not load cdktf and the provider
 * bindings (~3 s) to get it.
 */
export const INFRA_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(INFRA_DIR, '..');
