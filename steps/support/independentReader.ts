import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cdcHome } from '../../pipeline/config/index.ts';

const run = promisify(execFile);

/** pyarrow, pinned: the independent reader both writers' files are checked with. */
export const PYARROW_REQUIREMENT = 'pyarrow==22.0.0';

export interface DumpedFile {
  path: string;
  schema: Array<{ name: string; physical_type: string; logical_type: string; converted_type: string; nullable: boolean }>;
  rows: Array<Record<string, unknown>>;
  codecs: string[];
}

function venvDir(): string {
  return join(cdcHome(), 'venv-tools');
}

/** Installs pyarrow into its own venv on first use (a marker file makes later calls free). */
export async function ensurePyarrow(): Promise<string> {
  const dir = venvDir();
  const python = join(dir, 'bin', 'python');
  const marker = join(dir, '.chargeback-cdc-tools');
  if (existsSync(python) && (await readFile(marker, 'utf8').catch(() => '')).trim() === PYARROW_REQUIREMENT) return python;
  console.error(`installing ${PYARROW_REQUIREMENT} into ${dir} (first run)…`);
  await run('python3', ['-m', 'venv', dir]);
  try {
    await run(join(dir, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', PYARROW_REQUIREMENT], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (e) {
    throw new Error(
      `pip could not install ${PYARROW_REQUIREMENT} from PyPI (check that PyPI is reachable): ${(e as Error).message}`,
    );
  }
  await writeFile(marker, `${PYARROW_REQUIREMENT}\n`);
  return python;
}

/** Reads Parquet files with pyarrow (scripts/parquet_dump.py). */
export async function dumpWithPyarrow(paths: string[]): Promise<DumpedFile[]> {
  const python = await ensurePyarrow();
  const { stdout } = await run(python, ['scripts/parquet_dump.py', ...paths], { maxBuffer: 256 * 1024 * 1024 });
  return (JSON.parse(stdout) as { files: DumpedFile[] }).files;
}

/** What pyarrow found in a landing zone (scripts/event_id_scan.py). */
export interface EventIdScan {
  files: number;
  rows: number;
  distinct: number;
  /** How many event_ids are in more than one row. */
  duplicated: number;
  /** The first 20 of them, with the files holding them. */
  duplicates: Array<{ event_id: string; count: number; files: string[] }>;
}

/**
 * Reads the event_id column of every part file under s3://<bucket>/<prefix> with pyarrow's own S3
 * client (at AWS_ENDPOINT_URL), so a duplicate is found without any of the project's reading code.
 */
export async function scanEventIdsWithPyarrow(bucket: string, prefix = 'landing/chargebacks/'): Promise<EventIdScan> {
  const python = await ensurePyarrow();
  const { stdout } = await run(python, ['scripts/event_id_scan.py', bucket, prefix], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as EventIdScan;
}
