import { CdcError } from '../errors/index.ts';

/**
 * Errors of the daily consolidation, under the project's one root (`CdcError`): a stable static
 * `code`, a `canRetry` flag, and a message that says what failed and what to do.
 */
export class ConsolidationError extends CdcError {
  static override readonly code: string = 'CONS';
}

/** Invalid options: a day that is not YYYY-MM-DD, a target size that is not a positive byte count. */
export class ConsolidationConfigError extends ConsolidationError {
  static override readonly code = 'CONS_CONFIG';
}

/**
 * Some hours of the day have no completeness marker yet: rows may still land in them. Wait for the
 * hour closer (`chargeback-cdc close-hours`), or pass `--force` to consolidate what has landed.
 */
export class DayIncompleteError extends ConsolidationError {
  static override readonly code = 'CONS_DAY_INCOMPLETE';
  override readonly canRetry = true;
  constructor(
    readonly day: string,
    readonly missingHours: readonly string[],
  ) {
    super(
      `day ${day} is not complete: no _manifest.json for hour(s) ${missingHours.join(', ')} (UTC); ` +
        'wait for the hour closer (`chargeback-cdc close-hours`), or pass --force to consolidate what has landed so far',
    );
  }
}

/**
 * An input does not match what its hour manifest promised (file missing, unreadable, other row
 * count), or the rows written do not add up to the inputs per currency. No manifest is written:
 * the previous consolidated state stays what readers see.
 */
export class ConsolidationMismatchError extends ConsolidationError {
  static override readonly code = 'CONS_MISMATCH';
}

/** The day's manifest changed while this run worked (another run committed first); rerun to converge. */
export class ConcurrentConsolidationError extends ConsolidationError {
  static override readonly code = 'CONS_CONCURRENT';
  override readonly canRetry = true;
}

/** S3 kept failing with errors that are usually transient (throttling, timeouts, a bucket not yet there); the next scheduled run retries. */
export class StorageUnavailableError extends ConsolidationError {
  static override readonly code = 'CONS_STORAGE_UNAVAILABLE';
  override readonly canRetry = true;
}
