import type { Admin, Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { createKafka } from '../kafka/index.ts';
import type { ResolvedWriterConfig } from './WriterConfig.ts';

/** What the consumer calls back into while it runs. */
export interface ConsumerHandlers {
  /** The group's assignment of the topic's partitions to this member (every join, so every rebalance). */
  onAssignment: (partitions: number[]) => void;
  /** The consumer crashed and kafkajs will not restart it. */
  onFatal: (error: Error) => void;
  eachBatch: (payload: EachBatchPayload) => Promise<void>;
}

/**
 * The writer's Kafka clients and their lifecycle: the consumer (auto-commit off, offsets are
 * committed by checkpoints), the idempotent producer for dead letters, and the admin client for
 * group offsets. `start` connects, checks the topics exist and runs the consumer; `disconnect`
 * closes all three.
 */
export class WriterKafkaClients {
  readonly consumer: Consumer;
  readonly producer: Producer;
  readonly admin: Admin;

  constructor(private readonly config: ResolvedWriterConfig) {
    const kafka = createKafka({
      brokers: config.brokers,
      clientId: config.clientId,
      auth: config.kafkaAuth,
      region: config.region,
    });
    this.consumer = kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      rebalanceTimeout: 60_000,
      heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 3)),
      // Shorter fetch long-poll than kafkajs' 5 s: a graceful stop waits for the fetch in flight.
      maxWaitTimeInMs: 1_000,
    });
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.admin = kafka.admin();
  }

  async start(handlers: ConsumerHandlers): Promise<void> {
    const { topic, dlqTopic } = this.config;
    const brokers = this.config.brokers.join(',');
    await Promise.all([this.consumer.connect(), this.producer.connect(), this.admin.connect()]).catch((e: Error) => {
      throw new Error(`cannot connect to Kafka at ${brokers}: ${e.message} (is the stack up? check KAFKA_BROKERS)`, { cause: e });
    });
    const existing = new Set(await this.admin.listTopics());
    const missing = [topic, dlqTopic].filter((t) => !existing.has(t));
    if (missing.length)
      throw new Error(
        `Kafka at ${brokers} has no topic ${missing.join(' or ')}; create it (\`chargeback-cdc stack up\` does) or set KAFKA_TOPIC / DLQ_TOPIC`,
      );
    await this.consumer.subscribe({ topics: [topic], fromBeginning: true });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) =>
      handlers.onAssignment(payload.memberAssignment[topic] ?? []),
    );
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart)
        handlers.onFatal(
          new Error(`Kafka consumer crashed and will not restart: ${payload.error.message}`, { cause: payload.error }),
        );
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: handlers.eachBatch,
    });
  }

  /** Stops fetching the topic; false when the consumer is not running (starting or stopping). */
  pause(): boolean {
    try {
      this.consumer.pause([{ topic: this.config.topic }]);
      return true;
    } catch {
      return false;
    }
  }

  /** Fetches the topic again; false when the consumer is not running. */
  resume(): boolean {
    try {
      this.consumer.resume([{ topic: this.config.topic }]);
      return true;
    } catch {
      return false;
    }
  }

  async disconnect(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect(), this.admin.disconnect()]);
  }
}
