import { PartitionFencedError, RecoveryError } from './errors.ts';
import type { ObjectStore } from './ObjectStore.ts';
import { formatPartFileName } from './PartFileNamer.ts';
import type { PendingPart, ProgressStore } from './PartitionProgress.ts';
import type { CheckpointSnapshot, PartitionWriter } from './PartitionWriter.ts';
import type { WriterEvent } from './WriterEvent.ts';

/**
 * Commits one checkpoint of one partition — Flink FileSink's two-phase commit on S3 objects.
 * Steps 1–4 and why a crash at any point loses or duplicates nothing: README.md § "Lifecycle and exactly once".
 */
export interface CommitterDeps {
  store: ObjectStore;
  progress: ProgressStore;
  prefix: string;
  topic: string;
  /** Commits the consumer-group offset; failures are reported, not thrown (the progress object is the authority). */
  commitKafkaOffset: (partition: number, nextOffset: bigint) => Promise<void>;
  emit: (event: WriterEvent) => void;
}

export interface CheckpointResult {
  committed: boolean;
  files: PendingPart[];
  rows: number;
  bytes: number;
}

export function finalKeyOf(prefix: string, bucket: string, name: string): string {
  return `${prefix}${bucket}/${name}`;
}

export async function commitCheckpoint(
  pw: PartitionWriter,
  snap: CheckpointSnapshot,
  deps: CommitterDeps,
): Promise<CheckpointResult> {
  const abandoned: CheckpointResult = { committed: false, files: [], rows: 0, bytes: 0 };
  if (pw.invalidated) return abandoned;

  // 1. in-progress → pending (one part encoded at a time, so only one file's bytes are held)
  const pending: PendingPart[] = [];
  for (const part of snap.parts) {
    const rows = part.writer.rowCount;
    const bytes = part.writer.finish();
    pw.inFlightBytes += bytes.length;
    try {
      if (pw.invalidated) return abandoned;
      const name = formatPartFileName({ partition: snap.partition, firstOffset: part.firstOffset, lastOffset: part.lastOffset });
      const stagingKey = deps.progress.stagingKey(snap.partition, part.bucket, name);
      await deps.store.putObject(stagingKey, bytes);
      pending.push({
        bucket: part.bucket,
        name,
        finalKey: finalKeyOf(deps.prefix, part.bucket, name),
        stagingKey,
        firstOffset: part.firstOffset.toString(),
        lastOffset: part.lastOffset.toString(),
        rows,
        bytes: bytes.length,
      });
    } finally {
      pw.inFlightBytes -= bytes.length;
    }
  }
  if (pw.invalidated) return abandoned;

  // 2. decide the checkpoint (compare-and-swap on the progress object)
  const prev = pw.progress.progress;
  try {
    pw.progress = await deps.progress.write(
      {
        version: 1,
        topic: deps.topic,
        partition: snap.partition,
        committedThrough: snap.through.toString(),
        checkpointId: prev.checkpointId + 1,
        owner: prev.owner,
        pending,
        dedup: snap.dedup,
      },
      pw.progress.etag,
    );
  } catch (e) {
    if (e instanceof PartitionFencedError) {
      pw.invalidate();
      deps.emit({ type: 'fenced', partition: snap.partition, message: e.message });
      return abandoned;
    }
    throw e;
  }

  // 3. pending → committed
  for (const p of pending) {
    const copied = await deps.store.copyObject(p.stagingKey, p.finalKey);
    if (!copied && !(await deps.store.exists(p.finalKey))) {
      throw new RecoveryError(
        `partition ${snap.partition}: staged part ${p.stagingKey} vanished before it was committed to ${p.finalKey}; was the state prefix cleaned by hand?`,
      );
    }
    deps.emit({
      type: 'file-committed',
      key: p.finalKey,
      bucket: p.bucket,
      partition: snap.partition,
      firstOffset: p.firstOffset,
      lastOffset: p.lastOffset,
      rows: p.rows,
      bytes: p.bytes,
    });
  }
  pw.committedThrough = snap.through;

  // 4. consumer-group offset, then tidy up the staging area
  await deps.commitKafkaOffset(snap.partition, snap.through + 1n);
  for (const p of pending) await deps.store.deleteObject(p.stagingKey);

  const rows = pending.reduce((n, p) => n + p.rows, 0);
  const bytes = pending.reduce((n, p) => n + p.bytes, 0);
  deps.emit({
    type: 'checkpoint-committed',
    partition: snap.partition,
    through: snap.through.toString(),
    files: pending.length,
    rows,
    reason: snap.reason,
  });
  return { committed: true, files: pending, rows, bytes };
}
