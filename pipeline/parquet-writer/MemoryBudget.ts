import { Backpressure } from './Backpressure.ts';
import type { PartitionWriter } from './PartitionWriter.ts';
import type { WriterEvent } from './WriterEvent.ts';

export interface MemoryBudgetDeps {
  /** Partition writers this writer owns. */
  owned: () => Iterable<PartitionWriter>;
  /** Partition writers with checkpoints still uploading (revoked ones included). */
  draining: () => Iterable<PartitionWriter>;
  /** Checkpoint a partition early, turning its buffered rows into an upload that frees them. */
  rollEarly: (pw: PartitionWriter) => void;
  /** Pause / resume the consumer; false when it is not running. */
  pause: () => boolean;
  resume: () => boolean;
  emit: (event: WriterEvent) => void;
}

/**
 * Enforces `maxBufferedBytes` over every byte the writer holds: open parts (encoded + estimated),
 * parts closed by a checkpoint that wait behind an earlier one (during an S3 outage each rollover
 * queues another) and files being uploaded, of owned and draining partitions. `Backpressure` decides; this rolls
 * the partition with the most open bytes and pauses or resumes the consumer accordingly.
 */
export class MemoryBudget {
  private readonly backpressure: Backpressure;

  constructor(
    readonly maxBufferedBytes: number,
    private readonly deps: MemoryBudgetDeps,
  ) {
    this.backpressure = new Backpressure(maxBufferedBytes);
  }

  get paused(): boolean {
    return this.backpressure.paused;
  }

  bufferedBytes(): number {
    let n = 0;
    for (const pw of new Set([...this.deps.owned(), ...this.deps.draining()])) n += pw.bufferedBytes;
    return n;
  }

  apply(): void {
    const used = this.bufferedBytes();
    const decision = this.backpressure.decide(used);
    if (decision.rollBiggest) {
      let biggest: PartitionWriter | undefined;
      let biggestOpen = 0;
      for (const pw of this.deps.owned()) {
        const open = pw.bufferedBytes - pw.inFlightBytes - pw.closedBytes;
        if (open > biggestOpen) [biggest, biggestOpen] = [pw, open];
      }
      if (biggest) this.deps.rollEarly(biggest);
    }
    if (decision.pause === undefined) return;
    // Consumer not running (starting or stopping): the next evaluation retries.
    if (!(decision.pause ? this.deps.pause() : this.deps.resume())) return;
    this.backpressure.paused = decision.pause;
    this.deps.emit({
      type: 'backpressure',
      paused: decision.pause,
      bufferedBytes: used,
      maxBufferedBytes: this.maxBufferedBytes,
    });
  }
}
