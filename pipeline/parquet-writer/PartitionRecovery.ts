import type { ChangeRecord } from '../schema/index.ts';
import { DuplicateFilter, type DedupSnapshot } from './DuplicateFilter.ts';
import { PartitionFencedError, RecoveryError } from './errors.ts';
import type { ObjectStore } from './ObjectStore.ts';
import { isLandedPartKey, splitLandedKey } from './listLandedFiles.ts';
import { parsePartFileName } from './PartFileNamer.ts';
import { emptyDedup, type ProgressStore, type StoredProgress } from './PartitionProgress.ts';
import { readParquetFile } from './readParquetFile.ts';
import type { WriterEvent } from './WriterEvent.ts';

/**
 * Recovery when this writer is assigned a partition (start, restart, rebalance) — Flink's
 * restore-from-checkpoint for the FileSink, from the progress object or, without one, from the
 * landed files: README.md § "Lifecycle and exactly once".
 */
export interface RecoveryDeps {
  store: ObjectStore;
  progress: ProgressStore;
  prefix: string;
  topic: string;
  writerId: string;
  dedupWindow: number;
  emit: (event: WriterEvent) => void;
}

export interface RecoveredPartition {
  through: bigint;
  progress: StoredProgress;
  dedup: DuplicateFilter;
}

const MAX_CLAIM_ATTEMPTS = 20;

export async function recoverPartition(partition: number, deps: RecoveryDeps): Promise<RecoveredPartition> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.progress.read(partition);
    const completed: string[] = [];
    let through: bigint;
    let dedup: DedupSnapshot;
    let source: 'progress' | 'landed-files' | 'empty';
    if (stored) {
      for (const p of stored.progress.pending) {
        if (await deps.store.exists(p.finalKey)) continue;
        if (await deps.store.copyObject(p.stagingKey, p.finalKey)) {
          completed.push(p.finalKey);
          continue;
        }
        if (await deps.store.exists(p.finalKey)) continue; // another writer finished it meanwhile
        throw new RecoveryError(
          `partition ${partition}: checkpoint ${stored.progress.checkpointId} names part ${p.finalKey}, but neither it nor its staged copy ${p.stagingKey} exists; ` +
            `rows ${p.firstOffset}..${p.lastOffset} cannot be recovered from S3. Restore the object, or delete ${deps.progress.progressKey(partition)} to rebuild progress from the landed files.`,
        );
      }
      through = BigInt(stored.progress.committedThrough);
      dedup = stored.progress.dedup;
      source = 'progress';
    } else {
      const scanned = await scanLandedPartition(partition, deps);
      through = scanned.through;
      dedup = scanned.dedup;
      source = through >= 0n ? 'landed-files' : 'empty';
    }

    const epoch = (stored?.progress.owner.epoch ?? 0) + 1;
    let claimed: StoredProgress;
    try {
      claimed = await deps.progress.write(
        {
          version: 1,
          topic: deps.topic,
          partition,
          committedThrough: through.toString(),
          checkpointId: stored?.progress.checkpointId ?? 0,
          owner: { writerId: deps.writerId, epoch },
          pending: [],
          dedup,
        },
        stored?.etag ?? null,
      );
    } catch (e) {
      // Another writer claimed or checkpointed the partition between our read and write: read again.
      if (e instanceof PartitionFencedError && attempt < MAX_CLAIM_ATTEMPTS) continue;
      throw e;
    }

    // Every staged object now belongs to an undecided checkpoint: nobody will ever commit it.
    const orphans = await deps.store.listObjects(deps.progress.stagingPrefix(partition));
    for (const o of orphans) await deps.store.deleteObject(o.key);

    deps.emit({
      type: 'partition-recovered',
      partition,
      resumeOffset: (through + 1n).toString(),
      source,
      completedPendingFiles: completed,
      orphansDeleted: orphans.length,
      epoch,
    });
    return { through, progress: claimed, dedup: DuplicateFilter.restore(dedup, deps.dedupWindow) };
  }
}

/** Highest landed offset of a partition from its part names, and the duplicate window from its latest files' rows. */
async function scanLandedPartition(partition: number, deps: RecoveryDeps): Promise<{ through: bigint; dedup: DedupSnapshot }> {
  const objects = await deps.store.listObjects(deps.prefix);
  const parts = objects
    .filter((o) => isLandedPartKey(o.key, deps.prefix))
    .map((o) => ({ key: o.key, name: parsePartFileName(splitLandedKey(o.key, deps.prefix).name) }))
    .filter((p): p is { key: string; name: NonNullable<typeof p.name> } => p.name?.partition === partition)
    .sort((a, b) => (a.name.lastOffset < b.name.lastOffset ? 1 : a.name.lastOffset > b.name.lastOffset ? -1 : 0));
  if (parts.length === 0) return { through: -1n, dedup: emptyDedup() };

  // Newest files first until the window is full, then replay them oldest first into the filter.
  const newestFirst: ChangeRecord[][] = [];
  let rows = 0;
  for (const p of parts) {
    if (rows >= deps.dedupWindow) break;
    const got = await deps.store.getObject(p.key);
    if (!got) continue;
    const file = await readParquetFile(got.body);
    newestFirst.push(file.rows);
    rows += file.numRows;
  }
  const filter = new DuplicateFilter(deps.dedupWindow);
  for (const fileRows of newestFirst.reverse()) for (const r of fileRows) filter.accept(r);
  return { through: parts[0]!.name.lastOffset, dedup: filter.snapshot() };
}
