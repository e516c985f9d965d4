import type { CurrencyTotal } from './HourManifest.ts';
import type { HourId } from './hours.ts';

/** What the closer did or is waiting for; `describeCloserEvent` turns one into a log line. */
export type CloserEvent =
  | {
      type: 'snapshot-taken';
      /** Why a new snapshot: none yet, the old one does not cover the next hour, or the log went back (topic re-created). */
      reason: 'first' | 'newer-hours' | 'log-went-back';
      takenAt: string;
      coversThrough: HourId;
      logEnd: Record<string, string>;
    }
  | {
      type: 'waiting-for-progress';
      hours: { first: HourId; last: HourId };
      behind: Array<{ partition: number; committed: string | null; logEnd: string }>;
    }
  | { type: 'waiting-for-uploads'; hour: HourId; uploads: string[] }
  | {
      type: 'marker-written';
      hour: HourId;
      uri: string;
      files: number;
      rows: number;
      currencies: Record<string, CurrencyTotal>;
    }
  /** The marker was already there with the same content: a retry after a crash, or a second closer. */
  | { type: 'marker-exists'; hour: HourId; uri: string }
  /** The marker was already there with other content: the hour's files changed after it was closed. */
  | { type: 'marker-differs'; hour: HourId; uri: string }
  | { type: 'pass-failed'; error: string; code: string; canRetry: boolean };

export function describeCloserEvent(e: CloserEvent): string {
  switch (e.type) {
    case 'snapshot-taken':
      return `log-end snapshot (${e.reason}) at ${e.takenAt} for hours through ${e.coversThrough}: ${offsets(e.logEnd)}`;
    case 'waiting-for-progress':
      return `hours ${e.hours.first}${e.hours.last === e.hours.first ? '' : `..${e.hours.last}`} wait for the writer group: ${e.behind
        .map((b) => `partition ${b.partition} committed ${b.committed ?? 'nothing'} of ${b.logEnd}`)
        .join(', ')}`;
    case 'waiting-for-uploads':
      return `hour ${e.hour} waits for ${e.uploads.length} open multipart upload(s) (a Flink part file not yet committed): ${e.uploads.join(', ')}`;
    case 'marker-written':
      return `hour ${e.hour} complete: wrote ${e.uri} (${e.files} file(s), ${e.rows} row(s)${Object.entries(e.currencies)
        .map(([c, t]) => `; ${c}: ${t.rows} row(s), sum ${t.amount}`)
        .join('')})`;
    case 'marker-exists':
      return `hour ${e.hour} was already closed: ${e.uri} holds the same manifest`;
    case 'marker-differs':
      return `hour ${e.hour} was already closed, but ${e.uri} differs from its files now: a file landed in the hour after it was closed (left as it is; run chargeback-cdc reconcile)`;
    case 'pass-failed':
      return `closing hours failed (${e.code}${e.canRetry ? ', retried on the next poll' : ''}): ${e.error}`;
  }
}

function offsets(o: Record<string, string>): string {
  return Object.entries(o)
    .map(([p, v]) => `p${p}=${v}`)
    .join(' ');
}
