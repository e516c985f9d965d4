import { millisFromIso, type ChangeRecord } from '../schema/index.ts';

/**
 * Which bucket (`YYYY-MM-DD/HH`, UTC) a record lands in — Flink's `BucketAssigner`.
 *
 * - `processing-time` (default) is Flink's `DateTimeBucketAssigner("yyyy-MM-dd/HH", UTC)`: the
 *   writer's wall clock when it takes the record.
 * - `event-time` uses the record's `event_time` (the stream's ApproximateCreationDateTime).
 *   Late-data policy: a record is never dropped or re-bucketed for being late; it lands in a new
 *   part file under its own event hour, however long that hour has been "closed". Readers of an
 *   hour prefix must therefore expect files to keep appearing for as long as upstream can be late
 *   (up to the 24 h stream retention). `stats().lateRecords` counts records whose event hour was
 *   older than the processing hour.
 */
export const BucketBy = { PROCESSING_TIME: 'processing-time', EVENT_TIME: 'event-time' } as const;
export type BucketBy = (typeof BucketBy)[keyof typeof BucketBy];

export interface BucketAssigner {
  readonly kind: BucketBy;
  /** Bucket id, e.g. `2026-01-31/23`. */
  bucketFor(record: ChangeRecord, processingTimeMs: number): string;
}

/** `YYYY-MM-DD/HH` of an epoch-millisecond instant, always in UTC (never the machine's zone). */
export function bucketIdOf(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-01-31T23:59:59.999Z
  return `${iso.slice(0, 10)}/${iso.slice(11, 13)}`;
}

const BUCKET_ID = /^(\d{4})-(\d{2})-(\d{2})\/(\d{2})$/;

/** Start of a bucket's hour in epoch millis (inverse of bucketIdOf up to the hour). */
export function bucketStartMs(bucketId: string): number {
  const m = BUCKET_ID.exec(bucketId);
  if (!m) throw new RangeError(`not a bucket id (YYYY-MM-DD/HH): ${JSON.stringify(bucketId)}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
}

export function isBucketId(value: string): boolean {
  return BUCKET_ID.test(value);
}

export const processingTimeBucketAssigner: BucketAssigner = {
  kind: BucketBy.PROCESSING_TIME,
  bucketFor: (_record, processingTimeMs) => bucketIdOf(processingTimeMs),
};

export const eventTimeBucketAssigner: BucketAssigner = {
  kind: BucketBy.EVENT_TIME,
  bucketFor: (record) => bucketIdOf(millisFromIso(record.event_time)),
};

export function createBucketAssigner(kind: BucketBy): BucketAssigner {
  return kind === BucketBy.EVENT_TIME ? eventTimeBucketAssigner : processingTimeBucketAssigner;
}
