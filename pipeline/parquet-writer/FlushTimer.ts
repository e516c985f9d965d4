import type { PartitionWriter } from './PartitionWriter.ts';
import type { RollingPolicy } from './RollingPolicy.ts';

/**
 * Rolls parts by age and inactivity even when their partition gets no records (an idle partition
 * would otherwise never flush — a known Kafka Connect S3 sink pain). It ticks at ¼ of the smaller
 * of rollover and inactivity interval, between 20 ms and 1 s.
 */
export class FlushTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly policy: RollingPolicy,
    private readonly deps: {
      now: () => number;
      owned: () => Iterable<PartitionWriter>;
      checkpoint: (pw: PartitionWriter, reason: string) => void;
      /** After each tick (checkpoints started, memory to re-evaluate). */
      afterTick: () => void;
    },
  ) {}

  get tickMs(): number {
    return Math.max(20, Math.min(1_000, Math.floor(Math.min(this.policy.rolloverMs, this.policy.inactivityMs) / 4)));
  }

  start(): void {
    if (this.stopped) return; // stopped while the writer was still starting
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = this.deps.now();
    for (const pw of this.deps.owned()) {
      if (pw.invalidated) continue;
      const reason = pw.rollReason(this.policy, now);
      if (reason) this.deps.checkpoint(pw, reason);
    }
    this.deps.afterTick();
  }
}
