/** Progress and log events of the writer, delivered to `WriterConfig.onEvent` (main.ts prints them). */
export type WriterEvent =
  | { type: 'started'; groupId: string; topic: string; bucket: string; prefix: string; statePrefix: string }
  | { type: 'partitions-assigned'; partitions: number[] }
  | { type: 'partitions-revoked'; partitions: number[] }
  | {
      type: 'partition-recovered';
      partition: number;
      /** Next offset this writer consumes. */
      resumeOffset: string;
      source: 'progress' | 'landed-files' | 'empty';
      /** Pending parts of an interrupted checkpoint made visible during recovery. */
      completedPendingFiles: string[];
      orphansDeleted: number;
      epoch: number;
    }
  | {
      type: 'file-committed';
      key: string;
      bucket: string;
      partition: number;
      firstOffset: string;
      lastOffset: string;
      rows: number;
      bytes: number;
    }
  | { type: 'checkpoint-committed'; partition: number; through: string; files: number; rows: number; reason: string }
  | { type: 'dead-lettered'; partition: number; offset: string; reason: string }
  | {
      type: 'dead-letter-stored';
      partition: number;
      offset: string;
      /** Original bytes; the JSON sidecar beside it holds the reason, origin and headers. */
      uri: string;
      /** Whether a pointer record reached the dead-letter topic (false: the S3 objects alone are the record). */
      pointerSent: boolean;
      rejectedBecause: string;
    }
  | { type: 'duplicate-dropped'; partition: number; offset: string; eventId: string; verdict: string }
  | { type: 'offset-gap'; partition: number; expected: string; got: string }
  | { type: 'backpressure'; paused: boolean; bufferedBytes: number; maxBufferedBytes: number }
  | { type: 'retrying'; operation: string; attempt: number; delayMs: number; error: string }
  | { type: 'fenced'; partition: number; message: string }
  | { type: 'kafka-commit-failed'; partition: number; offset: string; error: string }
  | { type: 'log-end-unknown'; partition: number; error: string }
  | { type: 'stopping' }
  | { type: 'stopped' }
  | { type: 'fatal'; error: string };

/** One human-readable line per event (what main.ts and the CLI print). */
export function describeWriterEvent(e: WriterEvent): string {
  switch (e.type) {
    case 'started':
      return `writer started: group ${e.groupId}, topic ${e.topic} → s3://${e.bucket}/${e.prefix} (state s3://${e.bucket}/${e.statePrefix})`;
    case 'partitions-assigned':
      return `assigned partitions [${e.partitions.join(', ')}]`;
    case 'partitions-revoked':
      return `revoked partitions [${e.partitions.join(', ')}]: their buffered records will be consumed again by the new owner`;
    case 'partition-recovered':
      return (
        `partition ${e.partition} recovered from ${e.source}: resuming at offset ${e.resumeOffset} (epoch ${e.epoch})` +
        (e.completedPendingFiles.length
          ? `, committed ${e.completedPendingFiles.length} pending file(s) of an interrupted checkpoint`
          : '') +
        (e.orphansDeleted ? `, deleted ${e.orphansDeleted} staged orphan(s)` : '')
      );
    case 'file-committed':
      return `committed s3://…/${e.key} (${e.rows} rows, ${e.bytes} bytes, partition ${e.partition} offsets ${e.firstOffset}..${e.lastOffset})`;
    case 'checkpoint-committed':
      return `checkpoint partition ${e.partition} through offset ${e.through}: ${e.files} file(s), ${e.rows} rows (${e.reason})`;
    case 'dead-lettered':
      return `poison record partition ${e.partition} offset ${e.offset} → DLQ: ${e.reason}`;
    case 'dead-letter-stored':
      return `poison record partition ${e.partition} offset ${e.offset} refused by the DLQ topic (${e.rejectedBecause}): original bytes and reason stored at ${e.uri}${e.pointerSent ? ', pointer record sent to the DLQ topic' : '; the pointer was refused too, the S3 objects alone are the record'}`;
    case 'duplicate-dropped':
      return `duplicate dropped: partition ${e.partition} offset ${e.offset} event_id ${e.eventId} (${e.verdict})`;
    case 'offset-gap':
      return `partition ${e.partition}: offsets ${e.expected}..${BigInt(e.got) - 1n} are not in the topic (retention, compaction or transaction markers); continuing at ${e.got}`;
    case 'backpressure':
      return e.paused
        ? `backpressure: ${e.bufferedBytes} bytes buffered ≥ ${e.maxBufferedBytes}; consumer paused until uploads drain`
        : `backpressure released: ${e.bufferedBytes} bytes buffered; consumer resumed`;
    case 'retrying':
      return `retrying ${e.operation} in ${e.delayMs} ms (attempt ${e.attempt}): ${e.error}`;
    case 'fenced':
      return `fenced: ${e.message}`;
    case 'kafka-commit-failed':
      return `could not commit offset ${e.offset} of partition ${e.partition} to the group (${e.error}); the progress object already holds it`;
    case 'log-end-unknown':
      return `partition ${e.partition}: could not read the topic's log end offset (${e.error}); the landing state was not compared with it on this assignment`;
    case 'stopping':
      return 'stopping: flushing open parts';
    case 'stopped':
      return 'writer stopped';
    case 'fatal':
      return `fatal: ${e.error}`;
  }
}
