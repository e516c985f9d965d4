/**
 * When an in-progress part file rolls (closes), mirroring Flink's `DefaultRollingPolicy`:
 * by size (`maxPartSize`), by age (`rolloverInterval`) and by inactivity (`inactivityInterval`).
 * Flink only accepts a checkpoint-based policy for bulk formats because a Parquet file cannot be
 * resumed; here a roll *is* a checkpoint of the partition (see README), so the size/interval/
 * inactivity rules of the row formats apply unchanged.
 *
 * Size counts the bytes already encoded into row groups plus an estimate for the rows still
 * buffered (not yet encoded), so a part rolls before its buffered rows get out of hand.
 */
export interface PartFileState {
  /** Processing time the part was opened (first record). */
  readonly createdAtMs: number;
  /** Processing time of the part's latest record. */
  readonly lastUpdatedAtMs: number;
  /** Encoded bytes + estimated bytes of buffered rows. */
  readonly sizeBytes: number;
}

export interface RollingPolicyOptions {
  rolloverMs: number;
  maxPartBytes: number;
  inactivityMs: number;
}

export const DEFAULT_ROLLOVER_MS = 60_000;
export const DEFAULT_MAX_PART_BYTES = 128 * 1024 * 1024;

export class RollingPolicy {
  readonly rolloverMs: number;
  readonly maxPartBytes: number;
  readonly inactivityMs: number;

  constructor(options: Partial<RollingPolicyOptions> = {}) {
    this.rolloverMs = options.rolloverMs ?? DEFAULT_ROLLOVER_MS;
    this.maxPartBytes = options.maxPartBytes ?? DEFAULT_MAX_PART_BYTES;
    // Flink's default inactivity interval equals its rollover interval.
    this.inactivityMs = options.inactivityMs ?? this.rolloverMs;
    for (const [name, v] of Object.entries({
      rolloverMs: this.rolloverMs,
      maxPartBytes: this.maxPartBytes,
      inactivityMs: this.inactivityMs,
    })) {
      if (!Number.isFinite(v) || v <= 0) throw new RangeError(`RollingPolicy: ${name} must be a positive number, got ${v}`);
    }
  }

  /** Checked after records are appended: the part reached the size limit. */
  shouldRollOnEvent(part: PartFileState): boolean {
    return part.sizeBytes >= this.maxPartBytes;
  }

  /** Checked by the flush timer: the part is old enough, or has been idle long enough. */
  shouldRollOnProcessingTime(part: PartFileState, nowMs: number): boolean {
    return nowMs - part.createdAtMs >= this.rolloverMs || nowMs - part.lastUpdatedAtMs >= this.inactivityMs;
  }

  /** Why a part rolls at `nowMs`, or undefined (for logs and checkpoint reasons). */
  rollReason(part: PartFileState, nowMs: number): RollReason | undefined {
    if (this.shouldRollOnEvent(part)) return RollReason.SIZE;
    if (nowMs - part.createdAtMs >= this.rolloverMs) return RollReason.INTERVAL;
    if (nowMs - part.lastUpdatedAtMs >= this.inactivityMs) return RollReason.INACTIVITY;
    return undefined;
  }
}

export const RollReason = {
  SIZE: 'size',
  INTERVAL: 'interval',
  INACTIVITY: 'inactivity',
  MEMORY: 'memory-pressure',
  STOP: 'stop',
} as const;
export type RollReason = (typeof RollReason)[keyof typeof RollReason];
