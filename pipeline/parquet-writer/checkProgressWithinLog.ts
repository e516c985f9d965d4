import { ProgressAheadOfLogError } from './errors.ts';

export interface LogPosition {
  topic: string;
  partition: number;
  /** Highest offset landed (or dead-lettered, or dropped) according to the landing state; -1 for none. */
  committedThrough: bigint;
  /** The partition's log end offset: the offset the next record written to it gets. */
  logEnd: bigint;
}

/**
 * Refuses a landing state that is ahead of the topic. Offsets only grow on one topic's log, so
 * `committedThrough >= logEnd` means the log is not the one the state was written for (topic
 * deleted and re-created, broker storage re-formatted): every record below the old progress would
 * be skipped as landed. Equal to `logEnd - 1` is the normal "everything landed" state.
 */
export function checkProgressWithinLog(p: LogPosition): void {
  if (p.committedThrough < p.logEnd) return;
  throw new ProgressAheadOfLogError(
    `topic ${p.topic} partition ${p.partition}: the landing state says offsets through ${p.committedThrough} are landed (committed progress ${p.committedThrough + 1n}), ` +
      `but the partition's log end offset is ${p.logEnd}: the topic was re-created or Kafka re-formatted while the landing state was kept, ` +
      'and new records would be skipped as already landed. Run `chargeback-cdc stack reset` (it clears the landing bucket and its state too), ' +
      'or point the writer at a fresh bucket or prefix (LANDING_BUCKET / LANDING_PREFIX and STATE_PREFIX).',
  );
}
