import type { HourId } from './hours.ts';

/**
 * The topic's log end offsets (high watermarks) per partition, read once at `takenAtMs`, after
 * the hours through `coversThrough` had ended plus the grace. A record at an offset at or past
 * `logEnd[p]` only became readable after the snapshot, when every writer clock (within the grace)
 * was already past those hours, so it cannot land in them (README.md § "The rule").
 */
export interface LogEndSnapshot {
  readonly takenAtMs: number;
  /** The newest hour this snapshot vouches for: its end + grace ≤ takenAtMs. */
  readonly coversThrough: HourId;
  /** Partition → log end offset (the offset the next record gets). */
  readonly logEnd: ReadonlyMap<number, bigint>;
}

/** Per partition: the group's committed offset (the next record to process; everything before it is in committed files). */
export type CommittedOffsets = ReadonlyMap<number, bigint>;

export interface PartitionBehind {
  partition: number;
  /** undefined when the group has committed nothing for the partition yet. */
  committed: bigint | undefined;
  logEnd: bigint;
}

export type Completeness = { complete: true } | { complete: false; behind: PartitionBehind[] };

/**
 * The completeness rule: the hours a snapshot covers are complete once the writer group's
 * committed offset has reached the snapshot's log end on every partition. A partition whose log
 * was empty at the snapshot (log end 0) needs no commit at all.
 *
 * @example
 * isComplete(snapshot, new Map([[0, 12n], [1, 7n], [2, 0n]])) // { complete: true } when logEnd is ≤ those
 */
export function isComplete(snapshot: Pick<LogEndSnapshot, 'logEnd'>, committed: CommittedOffsets): Completeness {
  const behind: PartitionBehind[] = [];
  for (const [partition, logEnd] of [...snapshot.logEnd].sort(([a], [b]) => a - b)) {
    if (logEnd <= 0n) continue;
    const c = committed.get(partition);
    if (c === undefined || c < logEnd) behind.push({ partition, committed: c, logEnd });
  }
  return behind.length === 0 ? { complete: true } : { complete: false, behind };
}

/**
 * True when the topic's current log end is below the snapshot's on some partition: offsets only
 * grow on one log, so the topic was re-created or Kafka re-formatted, and the snapshot's offsets
 * will never be reached. The closer then takes a new snapshot.
 */
export function logWentBack(snapshot: Pick<LogEndSnapshot, 'logEnd'>, current: ReadonlyMap<number, bigint>): boolean {
  for (const [p, end] of snapshot.logEnd) {
    const now = current.get(p);
    if (now !== undefined && now < end) return true;
  }
  return false;
}
