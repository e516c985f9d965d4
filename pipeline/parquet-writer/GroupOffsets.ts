import type { Admin, Consumer } from 'kafkajs';
import type { WriterEvent } from './WriterEvent.ts';

/**
 * The consumer group's committed offsets of the partitions this writer owns. They trail the
 * progress objects (README.md § "Lifecycle and exactly once"): committed for lag monitoring and
 * tools, and read at recovery to notice another engine that moved a partition further.
 */
export class GroupOffsets {
  /** Per partition: the next offset to consume, everything before it durable (what `stats()` reports). */
  readonly committed = new Map<number, bigint>();

  constructor(
    private readonly clients: { consumer: Consumer; admin: Admin },
    private readonly groupId: string,
    private readonly topic: string,
    private readonly emit: (event: WriterEvent) => void,
  ) {}

  /** The group's committed offset of the partition, or undefined when it has none or cannot be read. */
  async fetch(partition: number): Promise<bigint | undefined> {
    try {
      const [t] = await this.clients.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] });
      const o = t?.partitions.find((x) => x.partition === partition)?.offset;
      return o === undefined || Number(o) < 0 ? undefined : BigInt(o);
    } catch {
      return undefined; // the progress object alone is enough to resume safely
    }
  }

  /**
   * Commits `next` for the partition; while this writer still owns it, `committed` moves forward
   * too. A failure is reported, not thrown: the progress object already holds the offset.
   */
  async commit(partition: number, next: bigint, owned: boolean): Promise<void> {
    if (owned && next > (this.committed.get(partition) ?? -1n)) this.committed.set(partition, next);
    try {
      await this.clients.consumer.commitOffsets([{ topic: this.topic, partition, offset: next.toString() }]);
    } catch (e) {
      this.emit({ type: 'kafka-commit-failed', partition, offset: next.toString(), error: (e as Error).message });
    }
  }
}
