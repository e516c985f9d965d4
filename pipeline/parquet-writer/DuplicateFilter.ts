import type { ChangeRecord } from '../schema/index.ts';

/**
 * Recognises upstream duplicates — the stream processor re-publishing records after a Lambda
 * retry — within a bounded window per Kafka partition:
 *
 * - by `event_id`: the last `capacity` event ids accepted on the partition;
 * - by `sequence_number` per chargeback: the highest sequence number accepted for each of the last
 *   `capacity` chargebacks seen; a record at or below it is a re-publish of an older change. This
 *   relies on DynamoDB Streams' per-item ordering, which the event source mapping keeps (a shard is
 *   retried from its lowest failed record) and the stream processor keeps (one produce call per
 *   batch, and all records of a chargeback share its key and so its partition).
 *
 * Memory is O(capacity) per partition (two insertion-ordered maps, oldest evicted first). The
 * window is part of the partition's checkpoint, so a restarted writer makes the same decisions
 * as the one that crashed. A duplicate arriving after more than `capacity` newer records of its
 * partition (and `capacity` newer chargebacks) is no longer recognised: size the window to the
 * Lambda retry window (batch size × retries in flight), 10 000 by default.
 */
export const DuplicateVerdict = { NEW: 'new', DUPLICATE_EVENT: 'duplicate-event-id', STALE_SEQUENCE: 'stale-sequence-number' } as const;
export type DuplicateVerdict = (typeof DuplicateVerdict)[keyof typeof DuplicateVerdict];

export interface DedupSnapshot {
  eventIds: string[];
  /** [chargeback_id, highest sequence_number] pairs, oldest first. */
  sequences: Array<[string, string]>;
}

export const DEFAULT_DEDUP_WINDOW = 10_000;

export class DuplicateFilter {
  private readonly eventIds = new Set<string>();
  private readonly sequences = new Map<string, bigint>();

  constructor(readonly capacity: number = DEFAULT_DEDUP_WINDOW) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`dedup window must be a positive integer, got ${capacity}`);
  }

  static restore(snapshot: DedupSnapshot | undefined, capacity: number = DEFAULT_DEDUP_WINDOW): DuplicateFilter {
    const f = new DuplicateFilter(capacity);
    for (const id of snapshot?.eventIds ?? []) f.rememberEvent(id);
    for (const [cb, seq] of snapshot?.sequences ?? []) f.rememberSequence(cb, BigInt(seq));
    return f;
  }

  verdict(record: Pick<ChangeRecord, 'event_id' | 'chargeback_id' | 'sequence_number'>): DuplicateVerdict {
    if (this.eventIds.has(record.event_id)) return DuplicateVerdict.DUPLICATE_EVENT;
    const highest = this.sequences.get(record.chargeback_id);
    if (highest !== undefined && BigInt(record.sequence_number) <= highest) return DuplicateVerdict.STALE_SEQUENCE;
    return DuplicateVerdict.NEW;
  }

  /** Records an accepted (landing) record. */
  accept(record: Pick<ChangeRecord, 'event_id' | 'chargeback_id' | 'sequence_number'>): void {
    this.rememberEvent(record.event_id);
    this.rememberSequence(record.chargeback_id, BigInt(record.sequence_number));
  }

  get size(): number {
    return this.eventIds.size;
  }

  snapshot(): DedupSnapshot {
    return {
      eventIds: [...this.eventIds],
      sequences: [...this.sequences].map(([cb, seq]) => [cb, seq.toString()]),
    };
  }

  private rememberEvent(id: string): void {
    this.eventIds.delete(id);
    this.eventIds.add(id);
    if (this.eventIds.size > this.capacity) this.eventIds.delete(this.eventIds.values().next().value!);
  }

  private rememberSequence(chargebackId: string, seq: bigint): void {
    const prev = this.sequences.get(chargebackId);
    this.sequences.delete(chargebackId); // re-insert: most recently seen chargebacks are evicted last
    this.sequences.set(chargebackId, prev !== undefined && prev > seq ? prev : seq);
    if (this.sequences.size > this.capacity) this.sequences.delete(this.sequences.keys().next().value!);
  }
}
