import type { Kafka } from 'kafkajs';
import { encodeChangeRecord } from '../pipeline/schema/index.ts';
import { changeRecordAt, type Workload } from './changeRecords.ts';
import { progress } from './progress.ts';

/**
 * Fills a topic with the workload's records before any consumer starts (the "backlog"), keyed by
 * chargeback_id with the default (murmur2) partitioner, as the stream processor produces them.
 * Sends 5 000 messages per request with a few requests in flight; acks=all.
 */
export async function preloadTopic(kafka: Kafka, topic: string, w: Workload): Promise<{ ms: number; bytes: number }> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  const chunk = 5_000;
  const inFlight = 4;
  let bytes = 0;
  let next = 0;
  let reported = 0;
  try {
    const sender = async () => {
      while (next < w.total) {
        const from = next;
        next = Math.min(w.total, next + chunk);
        const messages = [];
        for (let i = from; i < next; i++) {
          const r = changeRecordAt(w, i);
          const value = encodeChangeRecord(r);
          bytes += value.length;
          messages.push({ key: r.chargeback_id, value });
        }
        await producer.send({ topic, acks: -1, messages });
        if (next - reported >= 200_000) {
          reported = next;
          progress(`  preloaded ${next.toLocaleString('en-US')} / ${w.total.toLocaleString('en-US')} records`);
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, sender));
  } finally {
    await producer.disconnect();
  }
  return { ms: Date.now() - started, bytes };
}
