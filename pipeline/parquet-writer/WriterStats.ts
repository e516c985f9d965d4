import type { PartitionWriter } from './PartitionWriter.ts';

/** Live counters of a running writer (`RunningWriter.stats()`). Counts are for this process only. */
export interface WriterStats {
  /** Records taken from Kafka (each offset once, replays of skipped offsets not counted). */
  recordsConsumed: number;
  /** Rows in part files this process committed. */
  rowsLanded: number;
  filesCommitted: number;
  bytesCommitted: number;
  dlqRecords: number;
  /** Of those, records the dead-letter topic refused for good (too large, not authorized): kept in S3. */
  dlqStoredInS3: number;
  duplicatesDropped: number;
  /** Event-time buckets only: records whose event hour was older than the processing hour. */
  lateRecords: number;
  /** Distinct buckets with an open (in-progress) part. */
  openBuckets: number;
  openParts: number;
  bufferedRows: number;
  /** Open parts (encoded + estimated) plus parts being uploaded. */
  bufferedBytes: number;
  /** True while the consumer is paused because bufferedBytes reached maxBufferedBytes. */
  paused: boolean;
  lastCommitAt: string | null;
  /** Per partition: the next offset to consume, everything before it durable (Kafka's committed-offset convention). */
  committedOffsets: Record<number, string>;
  assignedPartitions: number[];
}

export type WriterCounters = Pick<
  WriterStats,
  | 'recordsConsumed'
  | 'rowsLanded'
  | 'filesCommitted'
  | 'bytesCommitted'
  | 'dlqRecords'
  | 'dlqStoredInS3'
  | 'duplicatesDropped'
  | 'lateRecords'
  | 'lastCommitAt'
>;

export function emptyCounters(): WriterCounters {
  return {
    recordsConsumed: 0,
    rowsLanded: 0,
    filesCommitted: 0,
    bytesCommitted: 0,
    dlqRecords: 0,
    dlqStoredInS3: 0,
    duplicatesDropped: 0,
    lateRecords: 0,
    lastCommitAt: null,
  };
}

/** Live view over the counters and the partitions this writer owns. */
export function collectStats(
  counters: WriterCounters,
  partitions: ReadonlyMap<number, PartitionWriter>,
  now: { bufferedBytes: number; paused: boolean; committed: ReadonlyMap<number, bigint> },
): WriterStats {
  const buckets = new Set<string>();
  let openParts = 0;
  let bufferedRows = 0;
  for (const pw of partitions.values()) {
    for (const p of pw.openParts()) {
      buckets.add(p.bucket);
      openParts++;
    }
    bufferedRows += pw.bufferedRows;
  }
  return {
    ...counters,
    openBuckets: buckets.size,
    openParts,
    bufferedRows,
    bufferedBytes: now.bufferedBytes,
    paused: now.paused,
    committedOffsets: Object.fromEntries([...now.committed].map(([p, o]) => [p, o.toString()])),
    assignedPartitions: [...partitions.keys()].sort((a, b) => a - b),
  };
}
