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
export const DuplicateVerdict = {
  NEW: 'new',
  DUPLICATE_EVENT: 'duplicate-event-id',
  STALE_SEQUENCE: 'stale-sequence-number',
} as const;
export type DuplicateVerdict = (typeof DuplicateVerdict)[keyof typeof DuplicateVerdict];

export interface DedupSnapshot {
  eventIds: string[];
  /** [chargeback_id, highest sequence_number] pairs, oldest first. */
  sequences: Array<[string, string]>;
}

export const DEFAULT_DEDUP_WINDOW = 10_000;

export class DuplicateFilter {
  private readonly eventIds = new Set<string>();
  /** Accepted event ids, oldest first (ids are unique: a known id is never accepted again). */
  private readonly eventOrder = new BoundedQueue<string>();
  private readonly sequences = new Map<string, { seq: bigint; touched: number }>();
  /** [chargeback, touched] in the order chargebacks were seen; an entry is live while `touched` matches the map. */
  private readonly sequenceOrder = new BoundedQueue<[string, number]>();
  private touches = 0;

  constructor(readonly capacity: number = DEFAULT_DEDUP_WINDOW) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`dedup window must be a positive integer, got ${capacity}`);
  }

  static restore(snapshot: DedupSnapshot | undefined, capacity: number = DEFAULT_DEDUP_WINDOW): DuplicateFilter {
    const f = new DuplicateFilter(capacity);
    for (const id of snapshot?.eventIds ?? []) f.rememberEvent(id);
    for (const [cb, seq] of snapshot?.sequences ?? []) f.rememberSequence(cb, BigInt(seq));
    return f;
  }

  verdict(record: Pick<ChangeRecord, 'event_id' | 'chargeback_id' | 'sequence_number'>): DuplicateVerdict {
    if (this.eventIds.has(record.event_id)) return DuplicateVerdict.DUPLICATE_EVENT;
    const highest = this.sequences.get(record.chargeback_id)?.seq;
    if (highest !== undefined && BigInt(record.sequence_number) <= highest) return DuplicateVerdict.STALE_SEQUENCE;
    return DuplicateVerdict.NEW;
  }

  /** Records a record that was appended to its part (never before the append: see takeRecord). */
  accept(record: Pick<ChangeRecord, 'event_id' | 'chargeback_id' | 'sequence_number'>): void {
    this.rememberEvent(record.event_id);
    this.rememberSequence(record.chargeback_id, BigInt(record.sequence_number));
  }

  get size(): number {
    return this.eventIds.size;
  }

  snapshot(): DedupSnapshot {
    const sequences: Array<[string, string]> = [];
    for (const [cb, touched] of this.sequenceOrder) {
      const s = this.sequences.get(cb);
      if (s && s.touched === touched) sequences.push([cb, s.seq.toString()]);
    }
    return { eventIds: [...this.eventOrder], sequences };
  }

  // Eviction pops the oldest entry of a queue instead of `set.values().next()`: V8 leaves deleted
  // entries of a Set/Map in place until it rehashes, so taking the first live entry of a FIFO-evicted
  // Set walks over every hole, which made eviction the writer's hottest path (docs/benchmarks.md).
  private rememberEvent(id: string): void {
    if (this.eventIds.has(id)) return; // only restore() can repeat an id; its position is kept
    this.eventIds.add(id);
    this.eventOrder.push(id);
    if (this.eventIds.size > this.capacity) this.eventIds.delete(this.eventOrder.shift()!);
  }

  private rememberSequence(chargebackId: string, seq: bigint): void {
    const prev = this.sequences.get(chargebackId)?.seq;
    const touched = ++this.touches;
    this.sequences.set(chargebackId, { seq: prev !== undefined && prev > seq ? prev : seq, touched });
    this.sequenceOrder.push([chargebackId, touched]);
    while (this.sequences.size > this.capacity) {
      const [cb, t] = this.sequenceOrder.shift()!;
      if (this.sequences.get(cb)?.touched === t) this.sequences.delete(cb);
    }
    // Stale entries (chargebacks seen again since) are dropped once they dominate the queue.
    if (this.sequenceOrder.length > 2 * this.capacity + 1024)
      this.sequenceOrder.retain(([cb, t]) => this.sequences.get(cb)?.touched === t);
  }
}

/** An array-backed FIFO with O(1) amortised push/shift (Array#shift is O(n)). */
class BoundedQueue<T> implements Iterable<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(v: T): void {
    this.items.push(v);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  retain(keep: (v: T) => boolean): void {
    this.items = this.items.slice(this.head).filter(keep);
    this.head = 0;
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = this.head; i < this.items.length; i++) yield this.items[i]!;
  }
}
