import type { Kafka } from 'kafkajs';
import { encodeChangeRecord } from '../pipeline/schema/index.ts';
import { changeRecordAt } from './changeRecords.ts';

export interface SteadyLoad {
  /** Records acknowledged by the broker so far. */
  sent(): number;
  /** Stops producing and resolves with the records sent. */
  stop(): Promise<number>;
}

/**
 * Produces the bench workload to `topic` at a steady `ratePerS` (a batch every 100 ms, keyed by
 * chargeback_id like the stream processor, acks=all) until stopped — the "traffic keeps flowing"
 * background of a fault measurement. A failed send is retried on the next tick, so a broker
 * hiccup delays records instead of dropping them.
 */
export async function startSteadyLoad(kafka: Kafka, topic: string, o: { ratePerS: number; runId: string }): Promise<SteadyLoad> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // A workload large enough that no chargeback repeats within a run.
  const workload = { total: 30_000_000, runId: o.runId };
  const perTick = Math.max(1, Math.round(o.ratePerS / 10));
  const started = Date.now();
  let next = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((Date.now() - started) / 1000) * o.ratePerS);
      const to = Math.min(due, next + perTick * 5);
      if (to > next) {
        const messages = [];
        for (let i = next; i < to; i++) {
          const r = changeRecordAt(workload, i);
          messages.push({ key: r.chargeback_id, value: encodeChangeRecord(r) });
        }
        try {
          await producer.send({ topic, acks: -1, messages });
          next = to;
        } catch {
          // retried from the same index on the next tick
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    sent: () => next,
    stop: async () => {
      stopped = true;
      await loop;
      await producer.disconnect();
      return next;
    },
  };
}
