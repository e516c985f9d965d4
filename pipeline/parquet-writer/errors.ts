import { CdcError } from '../errors/index.ts';

/**
 * Errors of the embedded Parquet writer, under the project's one root (`CdcError`): a stable
 * static `code` and a `canRetry` flag, so the retry loop asks the error instead of parsing
 * messages, and a message that says what failed and what to do.
 */
export class ParquetWriterError extends CdcError {
  static override readonly code: string = 'PW';
}

/** Invalid writer configuration (a zod issue list turned into one readable line). */
export class WriterConfigError extends ParquetWriterError {
  static override readonly code = 'PW_CONFIG';
}

/** S3 did not answer or answered 5xx/429: the operation is retried with backoff, forever. */
export class StorageUnavailableError extends ParquetWriterError {
  static override readonly code = 'PW_STORAGE_UNAVAILABLE';
  override readonly canRetry = true;
}

/** S3 refused the request for a reason retrying cannot fix (403, 400, …): the writer stops. */
export class StorageRejectedError extends ParquetWriterError {
  static override readonly code = 'PW_STORAGE_REJECTED';
}

/**
 * An S3 call failed with something that is neither an S3 answer nor a known transient network
 * failure — typically a programming error such as a TypeError. Not retried: the writer stops.
 */
export class UnexpectedStorageError extends ParquetWriterError {
  static override readonly code = 'PW_STORAGE_UNEXPECTED';
}

/**
 * The partition's progress object changed under us: another writer instance took the partition
 * over, and this one drops what it buffered for it (fencing: README.md § "Lifecycle and exactly once").
 */
export class PartitionFencedError extends ParquetWriterError {
  static override readonly code = 'PW_PARTITION_FENCED';
  constructor(
    readonly partition: number,
    message: string,
  ) {
    super(message);
  }
}

/** The state in S3 contradicts itself (e.g. a pending part whose staged and final objects are both gone). */
export class RecoveryError extends ParquetWriterError {
  static override readonly code = 'PW_RECOVERY';
}

/** A Parquet file that is not a landed change-record file (bad bytes, missing or mistyped columns). */
export class InvalidPartFileError extends ParquetWriterError {
  static override readonly code = 'PW_INVALID_PART_FILE';
}

/** The dead-letter topic did not acknowledge a poison record; retried like storage errors. */
export class DeadLetterPublishError extends ParquetWriterError {
  static override readonly code = 'PW_DLQ_PUBLISH';
  override readonly canRetry = true;
}

/** A conditional write (If-Match / If-None-Match) lost to a concurrent writer of the same object. */
export class ConditionalWriteConflictError extends ParquetWriterError {
  static override readonly code = 'PW_CONDITIONAL_WRITE_CONFLICT';
}

/** The writer is stopping: a retry loop gave up waiting so shutdown can proceed. */
export class WriterStoppedError extends ParquetWriterError {
  static override readonly code = 'PW_STOPPED';
}

/**
 * The partition's landed progress is past the topic's log end: the topic was re-created or Kafka
 * re-formatted while the landing state was kept. Records now written below the progress would be
 * skipped as already landed, so the writer stops instead of idling on them.
 */
export class ProgressAheadOfLogError extends ParquetWriterError {
  static override readonly code = 'PW_PROGRESS_AHEAD_OF_LOG';
}

/**
 * The dead-letter topic refused a record for a reason retrying cannot fix (record too large,
 * authorization, invalid topic): the record takes the S3 path instead (`DeadLetterPublisher`).
 */
export class DeadLetterRejectedError extends ParquetWriterError {
  static override readonly code = 'PW_DLQ_REJECTED';
  constructor(
    readonly kafkaErrorType: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
