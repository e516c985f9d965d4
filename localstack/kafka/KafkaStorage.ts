import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * What the broker's log dir holds, read from disk so it can be answered while the broker is down
 * (after a crash): whether it was ever formatted, for which cluster, and which of our topics have
 * records in their segments. This decides whether `stack up` may start the broker on it.
 */
export interface KafkaStorage {
  dataDir: string;
  /** `meta.properties` exists: `kafka-storage format` ran, so the broker can start on this dir as it is. */
  formatted: boolean;
  clusterId?: string;
  /** Non-internal topics whose partitions hold log segment bytes (records), largest first. */
  topicsWithRecords: Array<{ topic: string; bytes: number }>;
}

/** `<topic>-<partition>`; topic deletion renames the dir to `<topic>-<partition>.<id>-delete` first. */
const PARTITION_DIR = /^(.+)-(\d+)$/;

export async function readKafkaStorage(dataDir: string): Promise<KafkaStorage> {
  const meta = await readFile(join(dataDir, 'meta.properties'), 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return undefined;
    throw e;
  });
  const clusterId = meta === undefined ? undefined : /^cluster\.id=(.+)$/m.exec(meta)?.[1]?.trim();
  const bytesByTopic = new Map<string, number>();
  for (const entry of await entriesOf(dataDir)) {
    const m = PARTITION_DIR.exec(entry);
    // Internal topics (__consumer_offsets, __cluster_metadata, …) hold no records of ours.
    if (!m || entry.startsWith('__')) continue;
    const bytes = await segmentBytes(join(dataDir, entry));
    if (bytes > 0) bytesByTopic.set(m[1]!, (bytesByTopic.get(m[1]!) ?? 0) + bytes);
  }
  return {
    dataDir,
    formatted: meta !== undefined,
    ...(clusterId ? { clusterId } : {}),
    topicsWithRecords: [...bytesByTopic].map(([topic, bytes]) => ({ topic, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** "chargebacks (1.2 MiB), chargebacks-dlq (4.0 KiB)": what a re-format would drop, for one-line notices. */
export function describeTopicsWithRecords(storage: KafkaStorage): string {
  return storage.topicsWithRecords.map((t) => `${t.topic} (${formatBytes(t.bytes)})`).join(', ');
}

async function entriesOf(dir: string): Promise<string[]> {
  return readdir(dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  });
}

/** Sum of the `.log` segments (index files are preallocated, so their size says nothing). */
async function segmentBytes(partitionDir: string): Promise<number> {
  let total = 0;
  for (const f of await entriesOf(partitionDir)) if (f.endsWith('.log')) total += (await stat(join(partitionDir, f))).size;
  return total;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
