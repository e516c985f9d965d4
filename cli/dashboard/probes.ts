import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Admin } from 'kafkajs';
import type { MetricsRegistry } from '../../pipeline/metrics/index.ts';

export interface ProbeStatus {
  ok: boolean;
  /** Epoch ms of the last successful probe. */
  at: number | undefined;
  error: string | undefined;
}

export const unprobed = (): ProbeStatus => ({ ok: false, at: undefined, error: undefined });

/**
 * Depth of the stream processor's SQS dead-letter queue (ApproximateNumberOfMessages, the number
 * AWS/SQS publishes as ApproximateNumberOfMessagesVisible).
 */
export function sqsDlqProbe(
  sqs: SQSClient,
  queue: { url?: string; name: string },
  registry: MetricsRegistry,
): () => Promise<void> {
  let url = queue.url;
  return async () => {
    url ??= (await sqs.send(new GetQueueUrlCommand({ QueueName: queue.name }))).QueueUrl;
    const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    registry.set('StreamDlqDepth', Number(r.Attributes?.ApproximateNumberOfMessages ?? 0));
  };
}

/**
 * Consumer lag of the writer group per partition (end offset − committed offset; a partition the
 * group never committed lags by everything still in it) and the records of the DLQ topic.
 */
export function kafkaProbe(
  admin: Admin,
  o: { topic: string; dlqTopic: string; groupId: string },
  registry: MetricsRegistry,
): () => Promise<void> {
  let connected: Promise<void> | undefined;
  const partitionsSeen = new Set<number>();
  return async () => {
    connected ??= admin.connect().catch((e: Error) => {
      connected = undefined;
      throw e;
    });
    await connected;
    const [ends, [committed], dlqEnds] = await Promise.all([
      admin.fetchTopicOffsets(o.topic),
      admin.fetchOffsets({ groupId: o.groupId, topics: [o.topic] }),
      admin.fetchTopicOffsets(o.dlqTopic),
    ]);
    for (const p of ends) {
      const done = committed?.partitions.find((c) => c.partition === p.partition)?.offset;
      const from = done === undefined || Number(done) < 0 ? BigInt(p.low) : BigInt(done);
      const lag = BigInt(p.high) - from;
      registry.set('KafkaConsumerLag', Number(lag < 0n ? 0n : lag), { Partition: String(p.partition) });
      partitionsSeen.add(p.partition);
    }
    for (const p of partitionsSeen)
      if (!ends.some((e) => e.partition === p)) registry.remove('KafkaConsumerLag', { Partition: String(p) });
    registry.set(
      'TopicDlqRecords',
      dlqEnds.reduce((n, p) => n + Number(p.high), 0),
    );
  };
}

/**
 * Runs a probe every interval, never two at once (a slow broker or S3 skips ticks instead of
 * piling up calls), keeping the status of the last attempt.
 */
export function everyInterval(
  probe: () => Promise<void>,
  intervalMs: number,
  status: ProbeStatus,
): { stop(): Promise<void>; now(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= probe()
      .then(() => Object.assign(status, { ok: true, at: Date.now(), error: undefined }))
      .catch((e: Error) => Object.assign(status, { ok: false, error: e.message }))
      .then(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void run(), intervalMs);
  timer.unref();
  return {
    now: run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
