import { CdcError } from '../errors/index.ts';

/**
 * Errors of `chargeback-cdc query`, under the project's one root. Messages are one line a user
 * can act on: the CLI prints them as they are and exits 1.
 */
export class QueryError extends CdcError {
  static override readonly code: string = 'QUERY';
}

/** DuckDB refused the SQL (syntax, unknown column or table, type error, …); the message is DuckDB's first line. */
export class InvalidSqlError extends QueryError {
  static override readonly code = 'QUERY_SQL';
}

/** `--from` is not an `s3://bucket/prefix/` URI. */
export class InvalidLandingUriError extends QueryError {
  static override readonly code = 'QUERY_FROM';
}

/** Listing or fetching the landing zone's files failed (S3 down, bucket missing, access denied). */
export class LandingFetchError extends QueryError {
  static override readonly code = 'QUERY_FETCH';
  override readonly canRetry: boolean;
  constructor(message: string, options: { cause?: unknown; canRetry: boolean }) {
    super(message, options);
    this.canRetry = options.canRetry;
  }
}

/** `--source` does not fit `--from` (the consolidated copy is by whole day of a bucket), or is not a known source. */
export class InvalidSourceError extends QueryError {
  static override readonly code = 'QUERY_SOURCE';
}
