import {
  decodeChangeRecord,
  formatFieldErrors,
  LONE_SURROGATE,
  LONE_SURROGATE_PROBLEM,
  toParquetRow,
  type ChangeRecord,
} from '../schema/index.ts';
import { bucketIdOf, BucketBy, type BucketAssigner } from './BucketAssigner.ts';
import { DuplicateVerdict } from './DuplicateFilter.ts';
import type { OpenPart, PartitionWriter } from './PartitionWriter.ts';

/**
 * What happens to one Kafka record of a partition, in offset order: decoded and validated 1:1,
 * then dead-lettered (poison), dropped (upstream duplicate) or appended to the open part of its
 * bucket. The offset counts as processed only after that — for poison, after the dead letter is
 * acknowledged — so a checkpoint never covers a record that is not accounted for.
 */
export type RecordOutcome =
  | { kind: 'dead-lettered'; reason: string }
  | { kind: 'duplicate'; verdict: DuplicateVerdict; record: ChangeRecord }
  | { kind: 'appended'; record: ChangeRecord; part: OpenPart; late: boolean };

export interface TakeRecordContext {
  assigner: BucketAssigner;
  nowMs: number;
  deadLetter: (reason: string) => Promise<void>;
}

export async function takeRecord(
  pw: PartitionWriter,
  offset: bigint,
  value: Uint8Array | null,
  ctx: TakeRecordContext,
): Promise<RecordOutcome> {
  const decoded = decodeChangeRecord(value);
  let outcome: RecordOutcome;
  if (!decoded.ok) {
    outcome = { kind: 'dead-lettered', reason: formatFieldErrors(decoded.errors) };
  } else {
    const problem = unencodableText(decoded.value);
    if (problem) outcome = { kind: 'dead-lettered', reason: problem };
    else {
      const verdict = pw.dedup.verdict(decoded.value);
      if (verdict !== DuplicateVerdict.NEW) outcome = { kind: 'duplicate', verdict, record: decoded.value };
      else {
        const bucket = ctx.assigner.bucketFor(decoded.value, ctx.nowMs);
        const late = ctx.assigner.kind === BucketBy.EVENT_TIME && bucket < bucketIdOf(ctx.nowMs);
        const part = pw.append(toParquetRow(decoded.value), bucket, offset, ctx.nowMs);
        // Remembered only once appended: if the append throws, Kafka delivers the record again,
        // and it must not look like a duplicate of itself then.
        pw.dedup.accept(decoded.value);
        outcome = { kind: 'appended', record: decoded.value, part, late };
      }
    }
  }
  if (outcome.kind === 'dead-lettered') await ctx.deadLetter(outcome.reason);
  pw.markProcessed(offset, ctx.nowMs);
  return outcome;
}

/**
 * A JSON `\ud800` escape decodes to a lone UTF-16 surrogate, which has no UTF-8 encoding: Parquet
 * would silently store U+FFFD instead. Such a record is poison, not a row that differs from its source.
 */
function unencodableText(r: ChangeRecord): string | undefined {
  const bad = (Object.keys(r) as Array<keyof ChangeRecord>).filter(
    (k) => typeof r[k] === 'string' && LONE_SURROGATE.test(r[k] as string),
  );
  return bad.length ? bad.map((k) => `${k}: ${LONE_SURROGATE_PROBLEM}`).join('; ') : undefined;
}
