import type { ParquetRow } from '../schema/index.ts';
import type { DuplicateFilter, DedupSnapshot } from './DuplicateFilter.ts';
import { ParquetPartWriter } from './ParquetPartWriter.ts';
import type { StoredProgress } from './PartitionProgress.ts';
import { RollReason, type RollingPolicy } from './RollingPolicy.ts';

/**
 * Everything this writer holds for one Kafka partition it owns: the open (in-progress) part per
 * bucket, the next offset to take, the offset known durable, the duplicate window and the
 * progress object's ETag. A checkpoint closes *all* open parts of the partition at once, like
 * Flink rolling every bulk part file on a checkpoint (README.md § "Buckets, part files, rolling").
 */
export interface OpenPart {
  readonly bucket: string;
  readonly writer: ParquetPartWriter;
  readonly firstOffset: bigint;
  lastOffset: bigint;
  readonly createdAtMs: number;
  lastUpdatedAtMs: number;
  readonly sizeBytes: number;
}

/** A part closed by a checkpoint: its rows are final, its file not yet encoded or uploaded. */
export interface ClosingPart {
  bucket: string;
  writer: ParquetPartWriter;
  firstOffset: bigint;
  lastOffset: bigint;
  /** Its size when closed, counted in `closedBytes` until the committer releases it. */
  heldBytes: number;
}

export interface CheckpointSnapshot {
  partition: number;
  /** Last offset covered: every offset <= through is in `parts`, an earlier checkpoint, the DLQ, or a dropped duplicate. */
  through: bigint;
  parts: ClosingPart[];
  dedup: DedupSnapshot;
  reason: string;
}

export class PartitionWriter {
  /** Next offset to process. */
  nextOffset: bigint;
  /** Highest offset whose checkpoint has been taken (may still be uploading). */
  checkpointedThrough: bigint;
  /** Highest offset durable in S3 (checkpoint's progress written and parts visible). */
  committedThrough: bigint;
  progress: StoredProgress;
  /**
   * Bytes of parts closed by a checkpoint that are neither encoded nor staged yet: they wait
   * behind the partition's earlier checkpoints, which during an S3 outage may be many.
   */
  closedBytes = 0;
  /** Bytes of encoded part files being uploaded to their staging key. */
  inFlightBytes = 0;
  /** Set when the partition was revoked or another writer fenced us: drop everything, recover before consuming again. */
  invalidated = false;
  /** Serialises this partition's checkpoints. */
  chain: Promise<void> = Promise.resolve();
  lastActivityMs: number;
  readonly dedup: DuplicateFilter;
  private readonly open = new Map<string, OpenPart>();

  constructor(
    readonly partition: number,
    recovered: { through: bigint; progress: StoredProgress; dedup: DuplicateFilter },
    private readonly rowGroupMaxBytes: number,
    nowMs: number,
  ) {
    this.nextOffset = recovered.through + 1n;
    this.checkpointedThrough = recovered.through;
    this.committedThrough = recovered.through;
    this.progress = recovered.progress;
    this.dedup = recovered.dedup;
    this.lastActivityMs = nowMs;
  }

  append(row: ParquetRow, bucket: string, offset: bigint, nowMs: number): OpenPart {
    let part = this.open.get(bucket);
    if (!part) {
      const writer = new ParquetPartWriter({ rowGroupMaxBytes: this.rowGroupMaxBytes });
      const created = { bucket, writer, firstOffset: offset, lastOffset: offset, createdAtMs: nowMs, lastUpdatedAtMs: nowMs };
      part = Object.defineProperty(created, 'sizeBytes', { get: () => writer.sizeBytes, enumerable: true }) as OpenPart;
      this.open.set(bucket, part);
    }
    part.writer.append(row);
    part.lastOffset = offset;
    part.lastUpdatedAtMs = nowMs;
    return part;
  }

  /** The record at `offset` is handled (appended, dead-lettered or dropped). */
  markProcessed(offset: bigint, nowMs: number): void {
    this.nextOffset = offset + 1n;
    this.lastActivityMs = nowMs;
  }

  openParts(): OpenPart[] {
    return [...this.open.values()];
  }

  /** Every byte held for this partition: open parts, closed parts waiting to upload, files uploading. */
  get bufferedBytes(): number {
    let n = this.closedBytes + this.inFlightBytes;
    for (const p of this.open.values()) n += p.sizeBytes;
    return n;
  }

  get bufferedRows(): number {
    let n = 0;
    for (const p of this.open.values()) n += p.writer.rowCount;
    return n;
  }

  /** Why this partition should checkpoint now, or undefined. */
  rollReason(policy: RollingPolicy, nowMs: number): string | undefined {
    for (const p of this.open.values()) {
      const r = policy.rollReason(p, nowMs);
      if (r) return r;
    }
    // Only poison records or duplicates since the last checkpoint: commit their offsets once idle.
    if (
      this.open.size === 0 &&
      this.nextOffset - 1n > this.checkpointedThrough &&
      nowMs - this.lastActivityMs >= policy.inactivityMs
    ) {
      return RollReason.INACTIVITY;
    }
    return undefined;
  }

  /** Closes every open part and captures what the checkpoint commits; undefined when there is nothing new. */
  takeCheckpoint(reason: string): CheckpointSnapshot | undefined {
    const through = this.nextOffset - 1n;
    if (through <= this.checkpointedThrough && this.open.size === 0) return undefined;
    const parts: ClosingPart[] = [...this.open.values()].map((p) => ({
      bucket: p.bucket,
      writer: p.writer,
      firstOffset: p.firstOffset,
      lastOffset: p.lastOffset,
      heldBytes: p.sizeBytes,
    }));
    for (const p of parts) this.closedBytes += p.heldBytes;
    this.open.clear();
    this.checkpointedThrough = through;
    return { partition: this.partition, through, parts, dedup: this.dedup.snapshot(), reason };
  }

  /** A closed part was encoded (its bytes now count as in flight) or abandoned. */
  releaseClosed(part: ClosingPart): void {
    this.closedBytes -= part.heldBytes;
    part.heldBytes = 0;
  }

  /**
   * Drops all buffered state (revoked or fenced): those records will be consumed again by whoever
   * owns the partition. Closed parts already queued are released by their checkpoints, which
   * return at once for an invalidated writer.
   */
  invalidate(): void {
    this.invalidated = true;
    this.open.clear();
  }
}
