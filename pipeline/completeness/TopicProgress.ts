import type { Admin } from 'kafkajs';
import { ProgressUnavailableError } from './errors.ts';

/** Where the closer reads committed progress: the topic's log ends and the writer group's committed offsets. */
export interface TopicProgress {
  /** Partition → high watermark: the offset the next readable record gets. */
  logEnd(): Promise<Map<number, bigint>>;
  /** Partition → the group's committed offset; partitions without one are absent. */
  committed(): Promise<Map<number, bigint>>;
}

/**
 * TopicProgress from Kafka's admin API. Both engines commit the same group (`flink-parquet-writer`):
 * the embedded writer after a checkpoint's files are visible, the Flink job when a checkpoint
 * completes (README.md § "Both engines").
 *
 * `high` (the high watermark), not the leader's log end: a record above it is not readable yet,
 * so it is consumed — and bucketed by a writer's clock — only after the snapshot.
 */
export function kafkaTopicProgress(admin: Admin, topic: string, groupId: string): TopicProgress {
  const ask = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      throw new ProgressUnavailableError(`reading ${what} of topic ${topic} from Kafka: ${(e as Error).message}`, { cause: e });
    }
  };
  return {
    logEnd: () =>
      ask('the log end offsets', async () => {
        const offsets = await admin.fetchTopicOffsets(topic);
        return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
      }),
    committed: () =>
      ask(`group ${groupId}'s committed offsets`, async () => {
        const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
        const out = new Map<number, bigint>();
        for (const p of t?.partitions ?? []) if (Number(p.offset) >= 0) out.set(p.partition, BigInt(p.offset));
        return out;
      }),
  };
}
