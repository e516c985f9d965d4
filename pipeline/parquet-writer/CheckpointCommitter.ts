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
  try {
    if (pw.invalidated) return abandoned;

    // 1. in-progress → pending, one part at a time: a part leaves the snapshot as it is encoded,
    // so only its file's bytes are held while it uploads (README.md § "Memory and backpressure").
    const pending: PendingPart[] = [];
    while (snap.parts.length > 0) {
      if (pw.invalidated) return abandoned;
      const file = encodeNext(pw, snap);
      pw.inFlightBytes += file.bytes.length;
      try {
        const name = formatPartFileName({
          partition: snap.partition,
          firstOffset: file.firstOffset,
          lastOffset: file.lastOffset,
        });
        const stagingKey = deps.progress.stagingKey(snap.partition, file.bucket, name);
        await deps.store.putObject(stagingKey, file.bytes);
        pending.push({
          bucket: file.bucket,
          name,
          finalKey: finalKeyOf(deps.prefix, file.bucket, name),
          stagingKey,
          firstOffset: file.firstOffset.toString(),
          lastOffset: file.lastOffset.toString(),
          rows: file.rows,
          bytes: file.bytes.length,
        });
      } finally {
        pw.inFlightBytes -= file.bytes.length;
      }
    }
    if (pw.invalidated) return abandoned;
    return await decideAndCommit(pw, snap, pending, deps);
  } finally {
    // Abandoned or failed: the parts not encoded are dropped, so their bytes are no longer held.
    for (const part of snap.parts.splice(0)) pw.releaseClosed(part);
  }
}

/** Takes the next closed part out of the snapshot and encodes it; the part (and its row buffers) is then unreachable. */
function encodeNext(
  pw: PartitionWriter,
  snap: CheckpointSnapshot,
): { bucket: string; firstOffset: bigint; lastOffset: bigint; rows: number; bytes: Uint8Array } {
  const part = snap.parts[0]!;
  const rows = part.writer.rowCount;
  const bytes = part.writer.finish();
  snap.parts.shift();
  pw.releaseClosed(part);
  return { bucket: part.bucket, firstOffset: part.firstOffset, lastOffset: part.lastOffset, rows, bytes };
}

async function decideAndCommit(
  pw: PartitionWriter,
  snap: CheckpointSnapshot,
  pending: PendingPart[],
  deps: CommitterDeps,
): Promise<CheckpointResult> {
  const abandoned: CheckpointResult = { committed: false, files: [], rows: 0, bytes: 0 };
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
