import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotOf, type MetricsRegistry, type MetricsSnapshot } from '../../pipeline/metrics/index.ts';
import { isAlive } from '../../localstack/DetachedProcess.ts';
import { cdcHome } from '../../pipeline/config/index.ts';

/**
 * Cross-process collection for local runs: each component process (`run api|poller|writer`, `up`)
 * writes its registry to `<component>-<pid>.json` every second; the API process merges them.
 */

/** `${CHARGEBACK_CDC_HOME:-~/.cache/chargeback-cdc}/run/metrics`: where component processes leave their snapshots. */
export function metricsRunDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cdcHome(env), 'run', 'metrics');
}

/** A snapshot not rewritten for this long belongs to a hung process, or its pid was reused: ignored. */
export const SNAPSHOT_MAX_AGE_MS = 15_000;

const FILE_NAME = /^([a-z][a-z0-9-]*)-(\d+)\.json$/;

export interface SnapshotPublisher {
  readonly file: string;
  /** Writes the snapshot now (also done every interval). */
  publish(): void;
  /** Stops publishing and removes the file (a clean stop leaves nothing behind). */
  stop(): Promise<void>;
}

/**
 * Writes this process's registry to `<dir>/<component>-<pid>.json` every interval, atomically
 * (write a temporary file, then rename over), so a reader never sees half a file.
 *
 * @example
 * const publisher = publishSnapshots({ registry: processRegistry, component: 'writer' });
 * onShutdown(() => publisher.stop());
 */
export function publishSnapshots(opts: {
  registry: MetricsRegistry;
  component: string;
  dir?: string;
  intervalMs?: number;
  onError?: (e: Error) => void;
}): SnapshotPublisher {
  const dir = opts.dir ?? metricsRunDir();
  const file = join(dir, `${opts.component}-${process.pid}.json`);
  const tmp = `${file}.tmp`;
  let reported = false;
  const publish = () => {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, JSON.stringify(snapshotOf(opts.registry)));
      renameSync(tmp, file);
      reported = false;
    } catch (e) {
      // Metrics must never stop the pipeline: report once per failure streak, keep running.
      if (!reported)
        opts.onError?.(new Error(`could not write the metrics snapshot ${file}: ${(e as Error).message}`, { cause: e }));
      reported = true;
    }
  };
  publish();
  const timer = setInterval(publish, opts.intervalMs ?? 1_000);
  timer.unref();
  return {
    file,
    publish,
    stop: async () => {
      clearInterval(timer);
      rmSync(tmp, { force: true });
      rmSync(file, { force: true });
    },
  };
}

/**
 * The snapshots of the live component processes. A file whose process is gone (SIGKILL leaves it
 * behind) is deleted; one not rewritten for SNAPSHOT_MAX_AGE_MS is ignored.
 */
export async function readLiveSnapshots(
  opts: { dir?: string; excludePid?: number; now?: number; alive?: (pid: number) => boolean } = {},
): Promise<MetricsSnapshot[]> {
  const dir = opts.dir ?? metricsRunDir();
  const alive = opts.alive ?? isAlive;
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: MetricsSnapshot[] = [];
  for (const name of names) {
    const m = FILE_NAME.exec(name);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid === opts.excludePid) continue;
    if (!alive(pid)) {
      await rm(join(dir, name), { force: true }).catch(() => undefined);
      continue;
    }
    try {
      const snap = JSON.parse(await readFile(join(dir, name), 'utf8')) as MetricsSnapshot;
      if (snap.version === 1 && Array.isArray(snap.series) && now - snap.at <= SNAPSHOT_MAX_AGE_MS) out.push(snap);
    } catch {
      // removed between readdir and read (a clean stop), or not ours: skip it
    }
  }
  return out;
}
