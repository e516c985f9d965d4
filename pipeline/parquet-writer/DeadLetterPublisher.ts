import type { IHeaders, KafkaMessage, Message, Producer } from 'kafkajs';
import { DlqHeaders } from '../kafka/index.ts';
import { DeadLetterPublishError, DeadLetterRejectedError } from './errors.ts';
import type { ObjectStore } from './ObjectStore.ts';
import { permanentKafkaError } from './permanentKafkaError.ts';
import { abortableSleep, retryForever, type BackoffOptions, type RetryInfo } from './retryForever.ts';

/** Header of a dead-letter record whose original bytes are in S3 instead of its value. */
export const DLQ_PAYLOAD_S3_HEADER = 'dlq.payload.s3';

/** Where a poison record ended up. */
export type DeadLetterOutcome =
  | { kind: 'topic' }
  /** The topic refused the record itself: bytes in S3, a small pointer record on the topic. */
  | { kind: 's3-pointer'; uri: string; rejectedBecause: string }
  /** The topic refused even the pointer: the S3 objects alone are the dead letter. */
  | { kind: 's3-only'; uri: string; rejectedBecause: string };

export interface DeadLetterSource {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/**
 * Poison records (not UTF-8 JSON, invalid, unknown schema_version) go to the dead-letter topic
 * with their original key, value and headers, plus `dlq.reason` and their origin; `publish`
 * resolves once the send is acknowledged (acks=all). How that orders with checkpoints, and why
 * delivery is at-least-once: README.md § "Records".
 */
export function deadLetterMessage(source: DeadLetterSource, reason: string): Message {
  const headers: IHeaders = { ...(source.message.headers ?? {}) };
  headers[DlqHeaders.REASON] = reason;
  headers[DlqHeaders.SOURCE_TOPIC] = source.topic;
  headers[DlqHeaders.SOURCE_PARTITION] = String(source.partition);
  headers[DlqHeaders.SOURCE_OFFSET] = source.message.offset;
  return { key: source.message.key, value: source.message.value, headers, timestamp: source.message.timestamp };
}

/** S3 key of a poison record's original bytes; the JSON sidecar is the same key with `.json`. */
export function deadLetterKey(prefix: string, source: DeadLetterSource): string {
  return `${prefix}${source.topic}/${source.partition}/${source.message.offset}.bin`;
}

export interface DeadLetterOptions {
  backoff?: BackoffOptions;
  onRetry?: (info: RetryInfo) => void;
  /** Aborted when the writer stops: a waiting retry gives up at once (WriterStoppedError). */
  signal?: AbortSignal;
  /** Where records the topic refuses go, and the key prefix there (default `dead-letter/`). */
  store?: ObjectStore;
  s3Prefix?: string;
}

/** While a retry waits, the consumer's heartbeat is sent this often so its session stays alive. */
const HEARTBEAT_SLICE_MS = 1_000;

export class DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly options: DeadLetterOptions,
  ) {}

  /**
   * Transient errors are retried (forever, abortable); a permanent refusal (record too large,
   * authorization, invalid topic) stores the original bytes and the reason in S3 and sends a
   * pointer record instead; if the topic refuses that too, the S3 objects alone are the record.
   * Either way the record is kept, so its offset may advance. `heartbeat` keeps the consumer's
   * group session alive during the waits.
   */
  async publish(source: DeadLetterSource, reason: string, heartbeat?: () => Promise<void>): Promise<DeadLetterOutcome> {
    const message = deadLetterMessage(source, reason);
    try {
      await this.send(
        `send poison record ${source.topic}/${source.partition}@${source.message.offset} to ${this.topic}`,
        message,
        heartbeat,
      );
      return { kind: 'topic' };
    } catch (e) {
      if (!(e instanceof DeadLetterRejectedError) || !this.options.store) throw e;
      const uri = await this.storeInS3(source, reason, e);
      const pointer: Message = {
        key: source.message.key,
        value: Buffer.from(JSON.stringify({ reason, payload: uri, rejectedBecause: e.kafkaErrorType })),
        headers: { ...message.headers, [DLQ_PAYLOAD_S3_HEADER]: uri },
        timestamp: source.message.timestamp,
      };
      try {
        await this.send(`send dead-letter pointer ${uri} to ${this.topic}`, pointer, heartbeat);
        return { kind: 's3-pointer', uri, rejectedBecause: e.kafkaErrorType };
      } catch (again) {
        if (!(again instanceof DeadLetterRejectedError)) throw again;
        return { kind: 's3-only', uri, rejectedBecause: `${e.kafkaErrorType}; pointer: ${again.kafkaErrorType}` };
      }
    }
  }

  private async send(operation: string, message: Message, heartbeat?: () => Promise<void>): Promise<void> {
    const { onRetry, signal, backoff } = this.options;
    await retryForever(
      operation,
      async () => {
        try {
          await this.producer.send({ topic: this.topic, acks: -1, messages: [message] });
        } catch (e) {
          const permanent = permanentKafkaError(e);
          const text = `dead-letter topic ${this.topic} did not acknowledge: ${(e as Error).message}`;
          if (permanent)
            throw new DeadLetterRejectedError(permanent, `${text} (${permanent}: retrying cannot help)`, { cause: e });
          throw new DeadLetterPublishError(text, { cause: e });
        }
      },
      {
        ...(backoff ? { backoff } : {}),
        ...(onRetry ? { onRetry } : {}),
        ...(signal ? { signal } : {}),
        sleep: (ms, s) => sleepWithHeartbeat(ms, s, heartbeat),
      },
    );
  }

  /** The original bytes (`.bin`, metadata names the reason) and a JSON sidecar with the reason, origin and headers. */
  private async storeInS3(source: DeadLetterSource, reason: string, rejected: DeadLetterRejectedError): Promise<string> {
    const store = this.options.store!;
    const key = deadLetterKey(this.options.s3Prefix ?? 'dead-letter/', source);
    const headers = Object.fromEntries(
      Object.entries(source.message.headers ?? {}).map(([k, v]) => [k, v === undefined ? null : String(v)]),
    );
    const sidecar = {
      reason,
      rejectedBecause: rejected.kafkaErrorType,
      rejection: rejected.message,
      source: {
        topic: source.topic,
        partition: source.partition,
        offset: source.message.offset,
        timestamp: source.message.timestamp,
      },
      key: source.message.key?.toString('base64') ?? null,
      headers,
      payload: key,
      payloadBytes: source.message.value?.length ?? 0,
    };
    await store.putObject(key, new Uint8Array(source.message.value ?? Buffer.alloc(0)), undefined, 'application/octet-stream');
    await store.putObject(
      `${key.slice(0, -'.bin'.length)}.json`,
      Buffer.from(JSON.stringify(sidecar, null, 2)),
      undefined,
      'application/json',
    );
    return `s3://${store.bucket}/${key}`;
  }
}

/** Sleeps in slices, sending the consumer heartbeat between them (a rebalance in progress makes it throw: ignored). */
async function sleepWithHeartbeat(ms: number, signal: AbortSignal | undefined, heartbeat?: () => Promise<void>): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    await heartbeat?.().catch(() => undefined);
    const left = until - Date.now();
    if (left <= 0 || signal?.aborted) return;
    await abortableSleep(Math.min(left, HEARTBEAT_SLICE_MS), signal);
  }
}
