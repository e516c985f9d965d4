import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { TailRecord } from './handOverOffsets.ts';

export interface TopicTail {
  /** Per partition, the records from its start offset up to (not including) its end offset. */
  records: Map<number, TailRecord[]>;
  /** The oldest record timestamp read (ms), or undefined when nothing was read. */
  oldestTimestampMs: number | undefined;
}

/**
 * Reads each partition's records in [from, to) — the range after a group's committed offset — with a
 * throw-away consumer group that commits nothing and is deleted afterwards. Values are decoded only
 * for their event_id (a record that is not a JSON change has none).
 *
 * @example
 * const tail = await readTopicTail(kafka, 'chargebacks', new Map([[0, 28n]]), new Map([[0, 31n]]));
 */
export async function readTopicTail(
  kafka: Kafka,
  topic: string,
  from: ReadonlyMap<number, bigint>,
  to: ReadonlyMap<number, bigint>,
  timeoutMs = 60_000,
): Promise<TopicTail> {
  const tail: TopicTail = { records: new Map(), oldestTimestampMs: undefined };
  const remaining = new Set([...to].filter(([p, end]) => (from.get(p) ?? 0n) < end).map(([p]) => p));
  if (remaining.size === 0) return tail;
  const groupId = `chargeback-cdc-handover-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId });
  let finished!: () => void;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const start = from.get(batch.partition) ?? 0n;
        const end = to.get(batch.partition) ?? 0n;
        for (const m of batch.messages) {
          const offset = BigInt(m.offset);
          if (offset < start || offset >= end) continue;
          const list = tail.records.get(batch.partition) ?? [];
          list.push({ offset, eventId: eventIdOf(m.value) });
          tail.records.set(batch.partition, list);
          const ts = Number(m.timestamp);
          if (tail.oldestTimestampMs === undefined || ts < tail.oldestTimestampMs) tail.oldestTimestampMs = ts;
          if (offset + 1n >= end) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) finished();
      },
    });
    for (const p of remaining) consumer.seek({ topic, partition: p, offset: (from.get(p) ?? 0n).toString() });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([done, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      throw new Error(
        `reading ${topic} after the committed offsets took longer than ${timeoutMs} ms (partitions ${[...remaining].join(', ')} not read through)`,
      );
    }
    return tail;
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined); // an empty throw-away group also expires by itself
    await admin.disconnect();
  }
}

function eventIdOf(value: Buffer | null): string | undefined {
  if (!value) return undefined;
  try {
    const id = (JSON.parse(value.toString('utf8')) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
