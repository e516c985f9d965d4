import { checkProgressWithinLog } from './checkProgressWithinLog.ts';
import type { GroupOffsets } from './GroupOffsets.ts';
import { recoverPartition, type RecoveryDeps } from './PartitionRecovery.ts';
import { PartitionWriter } from './PartitionWriter.ts';
import type { WriterEvent } from './WriterEvent.ts';

export interface AssignmentDeps {
  recovery: RecoveryDeps;
  offsets: GroupOffsets;
  /** The partition's log end offset (the next offset the topic will write). */
  logEnd: (partition: number) => Promise<bigint>;
  topic: string;
  rowGroupMaxBytes: number;
  now: () => number;
  emit: (event: WriterEvent) => void;
  /** A recovery failed: the writer stops. */
  fail: (error: unknown) => void;
}

/**
 * The partitions this writer owns, through rebalances: a revoked partition's writer is dropped
 * (its buffered records are consumed again by the new owner from the last checkpoint), an
 * assigned one is recovered from S3 (`recoverPartition`) before its first record is taken, and
 * its first fetch is moved to where the landed data ends.
 */
export class PartitionAssignments {
  /** A writer per owned, recovered partition. */
  readonly writers = new Map<number, PartitionWriter>();
  private assigned = new Set<number>();
  private readonly recovering = new Map<number, Promise<PartitionWriter>>();
  /** Offsets to seek to on the next batch of a freshly recovered partition. */
  private readonly seekTargets = new Map<number, bigint>();

  constructor(private readonly deps: AssignmentDeps) {}

  onAssignment(assigned: number[]): void {
    this.assigned = new Set(assigned);
    const revoked = [...this.writers.keys()].filter((p) => !this.assigned.has(p));
    for (const p of revoked) {
      // Its buffered records are consumed again by the new owner from the last checkpoint.
      this.writers.get(p)!.invalidate();
      this.writers.delete(p);
      this.deps.offsets.committed.delete(p);
    }
    if (revoked.length) this.deps.emit({ type: 'partitions-revoked', partitions: revoked });
    this.deps.emit({ type: 'partitions-assigned', partitions: [...assigned].sort((a, b) => a - b) });
    // Recover at once, not at the partition's first record: an interrupted checkpoint's pending
    // files become visible even if no new record ever arrives.
    for (const p of assigned) if (!this.writers.has(p)) this.recovery(p);
  }

  /** The partition's recovery, started once and shared by whoever needs the partition writer. */
  recovery(partition: number): Promise<PartitionWriter> {
    let run = this.recovering.get(partition);
    if (!run) {
      run = this.recover(partition).finally(() => this.recovering.delete(partition));
      this.recovering.set(partition, run);
      run.catch((e: unknown) => this.deps.fail(e));
    }
    return run;
  }

  /** Where the first batch after recovery must start, once; undefined afterwards. */
  takeSeekTarget(partition: number): bigint | undefined {
    const seek = this.seekTargets.get(partition);
    this.seekTargets.delete(partition);
    return seek;
  }

  /** Settles when every recovery in flight has finished, successfully or not. */
  async recoveriesSettled(): Promise<void> {
    await Promise.allSettled(this.recovering.values());
  }

  private async recover(partition: number): Promise<PartitionWriter> {
    const recovered = await recoverPartition(partition, this.deps.recovery);
    let through = recovered.through;
    // Our own group commits never run ahead of the progress object; if the group offset is ahead,
    // another engine (the Flink job) consumed this partition meanwhile and landed those records.
    const group = await this.deps.offsets.fetch(partition);
    if (group !== undefined && group - 1n > through) through = group - 1n;
    await this.checkWithinLog(partition, through);
    const pw = new PartitionWriter(partition, { ...recovered, through }, this.deps.rowGroupMaxBytes, this.deps.now());
    if (!this.assigned.has(partition)) {
      pw.invalidate(); // revoked while recovering
      return pw;
    }
    this.writers.set(partition, pw);
    this.seekTargets.set(partition, pw.nextOffset);
    this.deps.offsets.committed.set(partition, through + 1n);
    await this.deps.offsets.commit(partition, through + 1n, true);
    return pw;
  }

  /**
   * A landing state ahead of the log (topic re-created, Kafka re-formatted) stops the writer with
   * `ProgressAheadOfLogError` instead of idling on records it would take for landed. If the log
   * end cannot be read the partition is used anyway: the comparison diagnoses a mismatch, it is
   * not what keeps records exactly once.
   */
  private async checkWithinLog(partition: number, through: bigint): Promise<void> {
    let logEnd: bigint;
    try {
      logEnd = await this.deps.logEnd(partition);
    } catch (e) {
      this.deps.emit({ type: 'log-end-unknown', partition, error: (e as Error).message });
      return;
    }
    checkProgressWithinLog({ topic: this.deps.topic, partition, committedThrough: through, logEnd });
  }
}
