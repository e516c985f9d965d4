import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InstallFailedError } from '../errors.ts';
import type { StackPaths } from '../StackPaths.ts';
import { runLogged } from '../runLogged.ts';

/** Pinned moto. Bump here only: the marker below makes every machine reinstall on the next `stack up`. */
export const MOTO_VERSION = '5.2.5';
/**
 * `server` brings flask (moto_server) and, in moto 5, the dependencies of every service. The service
 * extras are listed anyway so the requirement says what we rely on: dynamodb/dynamodbstreams need
 * docker + py-partiql-parser, s3 needs PyYAML, glue (the landing table's catalog) needs pyparsing;
 * sqs needs nothing extra.
 */
export const MOTO_REQUIREMENT = `moto[server,dynamodb,dynamodbstreams,glue,s3,sqs]==${MOTO_VERSION}`;

const MARKER = '.chargeback-cdc-moto';

export function motoServerBin(paths: StackPaths): string {
  return join(paths.venv, 'bin', 'moto_server');
}

/**
 * Installs the pinned moto into the project-managed venv on first use; a marker file holding the
 * requirement makes later calls free. A venv with another requirement is rebuilt from scratch.
 */
export async function ensureMotoInstalled(
  paths: StackPaths,
  onProgress: (line: string) => void,
): Promise<{ installed: boolean }> {
  const marker = join(paths.venv, MARKER);
  const current = await readFile(marker, 'utf8').catch(() => undefined);
  if (current?.trim() === MOTO_REQUIREMENT && existsSync(motoServerBin(paths))) return { installed: false };

  onProgress(`installing moto ${MOTO_VERSION} into ${paths.venv} (first run, ~1 min)…`);
  await rm(paths.venv, { recursive: true, force: true });
  const log = paths.log('install-moto');
  await runLogged(
    'python3',
    ['-m', 'venv', paths.venv],
    log,
    (tail) =>
      new InstallFailedError(
        `python3 could not create a venv at ${paths.venv} (Debian needs python3-venv: apt-get install python3-venv); see ${log}: ${tail}`,
      ),
  );
  const pip = join(paths.venv, 'bin', 'pip');
  await runLogged(
    pip,
    ['install', '--disable-pip-version-check', MOTO_REQUIREMENT],
    log,
    (tail) =>
      new InstallFailedError(
        `pip could not install ${MOTO_REQUIREMENT} from PyPI: check that PyPI is reachable and retry \`stack up\` (full output in ${log}): ${tail}`,
      ),
  );
  await writeFile(marker, `${MOTO_REQUIREMENT}\n`);
  return { installed: true };
}
