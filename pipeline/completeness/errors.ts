import { CdcError } from '../errors/index.ts';

/**
 * Errors of the hour closer, under the project's one root (`CdcError`): a stable static `code`,
 * a `canRetry` flag, and a message that says what failed and what to do.
 */
export class CompletenessError extends CdcError {
  static override readonly code: string = 'HC';
}

/** Invalid closer configuration (a zod issue list as one readable line), or a bucketing it cannot close. */
export class CloserConfigError extends CompletenessError {
  static override readonly code = 'HC_CONFIG';
}

/**
 * A committed part file of the hour cannot be accounted for (not Parquet, a column missing, a row
 * without a valid amount or currency). No marker is written for that hour: a manifest that leaves
 * rows out would be a false promise. The file will not change by itself; inspect it with
 * `chargeback-cdc inspect s3://<bucket>/<key>`.
 */
export class UnreadableHourError extends CompletenessError {
  static override readonly code = 'HC_UNREADABLE_HOUR';
}

/** The closer's state object is not what this version writes (hand-edited, or another tool's). */
export class CorruptCloserStateError extends CompletenessError {
  static override readonly code = 'HC_CORRUPT_STATE';
}

/** Kafka could not tell the log end offsets or the group's committed offsets; the next poll asks again. */
export class ProgressUnavailableError extends CompletenessError {
  static override readonly code = 'HC_PROGRESS_UNAVAILABLE';
  override readonly canRetry = true;
}

/** S3 could not list the hour's open multipart uploads; the next poll asks again. */
export class UploadsUnavailableError extends CompletenessError {
  static override readonly code = 'HC_UPLOADS_UNAVAILABLE';
  override readonly canRetry = true;
}
