import type { BenchStack } from '../BenchStack.ts';
import { progress } from '../progress.ts';
import { ratePerSecond, type Throughput } from '../summary.ts';

/**
 * The Kafka client's raw consume rate on the pre-loaded topic: a consumer in a fresh group with
 * the writer's client settings (kafkajs defaults, eachBatch, one partition at a time), doing
 * nothing with the messages and committing nothing. Timed like the writer: from `run()`
 * returning (the group joined) until every record has been handed over.
 */
export async function measureConsumeCeiling(
  stack: BenchStack,
  topic: string,
  records: number,
  timeoutMs: number,
): Promise<Throughput & { client: string }> {
  const consumer = stack.kafka.consumer({ groupId: stack.name('consume-ceiling') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let count = 0;
    let bytes = 0;
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch }) => {
        count += batch.messages.length;
        for (const m of batch.messages) bytes += m.value?.length ?? 0;
        if (count >= records) finished();
      },
    });
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise<never>(
        (_, reject) =>
          (timer = setTimeout(
            () => reject(new Error(`consumed ${count} of ${records} records in ${timeoutMs / 1000} s`)),
            timeoutMs,
          )),
      ),
    ]).finally(() => clearTimeout(timer));
    const ms = Date.now() - started;
    progress(
      `  consumed ${count.toLocaleString('en-US')} records (${Math.round(bytes / 1024 / 1024)} MiB) in ${(ms / 1000).toFixed(1)} s`,
    );
    return { records, ms, recordsPerS: ratePerSecond(records, ms)!, client: 'kafkajs 2.2.4' };
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
}
