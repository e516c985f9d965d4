/**
 * The embedded, Flink-compatible Parquet writer: Kafka `chargebacks` → exactly-once Parquet part
 * files under `s3://<bucket>/landing/chargebacks/YYYY-MM-DD/HH/` (UTC). See README.md.
 */
import { LandingWriter } from './LandingWriter.ts';
import { resolveWriterConfig, type WriterConfig } from './WriterConfig.ts';
import type { WriterStats } from './WriterStats.ts';

export interface RunningWriter {
  /** Graceful stop (the SIGTERM path): stop consuming, commit every open part, commit offsets, disconnect. */
  stop(): Promise<void>;
  stats(): WriterStats;
  /** Settles when the writer has stopped; rejects on a fatal error (S3 refusing writes, corrupt state, consumer crash). */
  done: Promise<void>;
  readonly writerId: string;
}

/**
 * Starts consuming and landing; resolves once the consumer has joined its group.
 *
 * @example
 * const writer = await startWriter({ bucket: 'chargeback-cdc-landing', rolloverMs: 10_000, onEvent: (e) => console.log(describeWriterEvent(e)) });
 * process.on('SIGTERM', () => void writer.stop());
 * await writer.done;
 */
export async function startWriter(config: WriterConfig = {}): Promise<RunningWriter> {
  const writer = new LandingWriter(resolveWriterConfig(config));
  try {
    await writer.start();
  } catch (e) {
    await writer.stop().catch(() => undefined);
    throw e;
  }
  return { stop: () => writer.stop(), stats: () => writer.stats(), done: writer.done, writerId: writer.writerId };
}

export {
  WriterConfig,
  writerConfigFromEnv,
  resolveWriterConfig,
  printableConfig,
  DEFAULT_LANDING_BUCKET,
  DEFAULT_LANDING_PREFIX,
} from './WriterConfig.ts';
export type { ResolvedWriterConfig } from './WriterConfig.ts';
export type { WriterStats } from './WriterStats.ts';
export { describeWriterEvent, type WriterEvent } from './WriterEvent.ts';

/**
 * Reads a landed Parquet file back into change records with exact amounts.
 *
 * @example
 * const { schema, rows, numRows } = await readParquetFile(new Uint8Array(await readFile('part-0-0000000000-0000000099.parquet')));
 */
export { readParquetFile, describeColumns, type ColumnDescription, type ParquetFileContents } from './readParquetFile.ts';

/**
 * Committed part files under a prefix (hidden, staging and state objects skipped).
 *
 * @example
 * for (const f of await listLandedFiles(s3, 'chargeback-cdc-landing', 'landing/chargebacks/')) console.log(f.key, f.size);
 */
export { listLandedFiles, isLandedPartKey } from './listLandedFiles.ts';
export type { S3ObjectInfo, ObjectStore } from './ObjectStore.ts';

/**
 * The writer's S3 door (transient errors retried forever, conditional-write conflicts typed), for
 * other stages that write to the landing bucket under the same rules (the hour closer).
 *
 * @example
 * const store = new LandingStore(s3ClientFor(awsClientConfigFromEnv()), { bucket: 'chargeback-cdc-landing' });
 */
export { LandingStore, s3ClientFor, type LandingStoreOptions } from './LandingStore.ts';

/** Building blocks, for tests and tools that reason about the layout. */
export { BucketBy, bucketIdOf, bucketStartMs, isBucketId, createBucketAssigner, type BucketAssigner } from './BucketAssigner.ts';
export { RollingPolicy, RollReason } from './RollingPolicy.ts';
export { formatPartFileName, parsePartFileName, type PartFileName } from './PartFileNamer.ts';
export { ProgressStore } from './PartitionProgress.ts';
export { ParquetPartWriter, writeParquetFile } from './ParquetPartWriter.ts';
export * from './errors.ts';
