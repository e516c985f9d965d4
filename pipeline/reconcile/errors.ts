import { CdcError } from '../errors/CdcError.ts';

/**
 * A committed landed object that reconcile cannot read as a part file (not Parquet, or without the
 * change-record columns it needs). Not retryable: the object will not change by itself; it names
 * the key so it can be inspected with `chargeback-cdc inspect s3://<bucket>/<key>`.
 */
export class UnreadableLandedFileError extends CdcError {
  static override readonly code = 'CDC_RECONCILE_UNREADABLE_LANDED_FILE';
}
