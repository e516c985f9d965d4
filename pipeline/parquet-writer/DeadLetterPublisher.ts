import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';
import { DlqHeaders } from '../kafka/index.ts';
import { DeadLetterPublishError } from './errors.ts';
import { retryForever, type BackoffOptions, type RetryInfo } from './retryForever.ts';

/**
 * Poison records (not UTF-8 JSON, invalid, unknown schema_version) go to the dead-letter topic
 * with their original key, value and headers, plus `dlq.reason` and their origin; `publish`
 * resolves once the send is acknowledged (acks=all). How that orders with checkpoints, and why
 * delivery is at-least-once: README.md § "Records".
 */
export function deadLetterMessage(source: { topic: string; partition: number; message: KafkaMessage }, reason: string): Message {
  const headers: IHeaders = { ...(source.message.headers ?? {}) };
  headers[DlqHeaders.REASON] = reason;
  headers[DlqHeaders.SOURCE_TOPIC] = source.topic;
  headers[DlqHeaders.SOURCE_PARTITION] = String(source.partition);
  headers[DlqHeaders.SOURCE_OFFSET] = source.message.offset;
  return { key: source.message.key, value: source.message.value, headers, timestamp: source.message.timestamp };
}

export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly options: { backoff?: BackoffOptions; onRetry?: (info: RetryInfo) => void; signal?: AbortSignal },
  ) {}

  async publish(source: { topic: string; partition: number; message: KafkaMessage }, reason: string): Promise<void> {
    const message = deadLetterMessage(source, reason);
    await retryForever(
      `send poison record ${source.topic}/${source.partition}@${source.message.offset} to ${this.topic}`,
      async () => {
        try {
          await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
        } catch (e) {
          throw new DeadLetterPublishError(`dead-letter topic ${this.topic} did not acknowledge: ${(e as Error).message}`, {
            cause: e,
          });
        }
      },
      this.options,
    );
  }
}
