/**
 * Part file names: `part-<kafkaPartition>-<firstOffset>-<lastOffset>.parquet`.
 *
 * Like Kafka Connect's S3 sink (`<topic>+<partition>+<startOffset>`), the name says which Kafka
 * records the file holds, so a landed file can be traced back to its offsets and the landed
 * offsets of a partition can be rebuilt from a listing. Offsets are zero-padded to 10 digits
 * (Kafka Connect's default width) so names sort by offset within a partition; larger offsets
 * simply get longer. Prefix `part` and suffix `.parquet` are Flink's `OutputFileConfig` defaults
 * plus the extension. A part may hold a subset of its range: poison records and upstream
 * duplicates in between are not rows.
 */
export interface PartFileName {
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
}

export const PART_PREFIX = 'part';
export const PART_SUFFIX = '.parquet';
export const OFFSET_PAD_WIDTH = 10;

const PART_NAME = /^part-(0|[1-9]\d*)-(\d+)-(\d+)\.parquet$/;

export function formatPartFileName({ partition, firstOffset, lastOffset }: PartFileName): string {
  if (!Number.isInteger(partition) || partition < 0)
    throw new RangeError(`partition must be a non-negative integer, got ${partition}`);
  if (firstOffset < 0n || lastOffset < firstOffset) {
    throw new RangeError(`offset range must be 0 <= first <= last, got ${firstOffset}..${lastOffset}`);
  }
  const pad = (o: bigint) => o.toString().padStart(OFFSET_PAD_WIDTH, '0');
  return `${PART_PREFIX}-${partition}-${pad(firstOffset)}-${pad(lastOffset)}${PART_SUFFIX}`;
}

/** Parses a part file name (the last path segment); undefined for anything else (e.g. Flink's `part-<uuid>-<n>`). */
export function parsePartFileName(name: string): PartFileName | undefined {
  const m = PART_NAME.exec(name);
  if (!m) return undefined;
  const firstOffset = BigInt(m[2]!);
  const lastOffset = BigInt(m[3]!);
  if (lastOffset < firstOffset) return undefined;
  return { partition: Number(m[1]), firstOffset, lastOffset };
}
