import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Admin, ITopicConfig, Kafka } from 'kafkajs';
import { loadStackConfig, stackDown, stackStatus, stackUp } from '../localstack/index.ts';
// Not re-exported by localstack/index.ts; the bench creates and removes its own resources with the same idempotent helpers
// and waits for its topics the same way.
import {
  deleteBucket,
  deleteQueue,
  deleteTable,
  ensureBucket,
  ensureQueue,
  ensureTable,
  type TableInfo,
} from '../localstack/awsResources.ts';
import { waitUntil } from '../localstack/waitUntil.ts';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { createKafka, Topics } from '../pipeline/kafka/index.ts';
import { progress } from './progress.ts';

/**
 * The local stack as the benchmark uses it. It starts the stack (`stackUp`) only when it is not
 * up, and stops it at the end only then. Every measurement gets its own Kafka topics, consumer
 * groups, S3 buckets, table and queue, all named `bench-<runId>-…`, so a benchmark never touches
 * the `chargebacks` topic, table or landing bucket that another process may be using; they are
 * deleted at the end (BENCH_KEEP=1 keeps them for a post-mortem).
 */
export class BenchStack {
  readonly runId = randomUUID().slice(0, 8);
  readonly brokers: string[];
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly s3: S3Client;
  readonly ddb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly region: string;
  readonly awsEndpoint: string | undefined;
  private readonly topics: string[] = [];
  private readonly buckets: string[] = [];
  private readonly tables: string[] = [];
  private readonly queues: string[] = [];

  private constructor(readonly startedStack: boolean) {
    this.brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
    const aws = awsClientConfigFromEnv();
    this.region = aws.region;
    this.awsEndpoint = aws.endpoint;
    this.kafka = createKafka({
      brokers: this.brokers,
      clientId: `bench-${this.runId}`,
      auth: (process.env.KAFKA_AUTH as 'plaintext' | 'msk-iam' | undefined) ?? 'plaintext',
      region: this.region,
    });
    this.admin = this.kafka.admin();
    this.s3 = new S3Client(aws);
    this.ddb = new DynamoDBClient(aws);
    this.sqs = new SQSClient(aws);
  }

  /** Connects to the running stack, or starts it (and remembers to stop it). */
  static async open(): Promise<BenchStack> {
    const status = await stackStatus().catch(() => undefined);
    const up = status !== undefined && status.services.length > 0 && status.services.every((s) => s.state === 'up' && s.healthy);
    if (!up) {
      progress('local stack is not up: starting it (it will be stopped at the end)');
      await stackUp({ onProgress: progress });
    }
    const stack = new BenchStack(!up);
    await stack.admin.connect();
    progress(
      `run ${stack.runId}: Kafka ${stack.brokers.join(',')}, AWS ${stack.awsEndpoint ?? 'default endpoints'}${up ? ' (stack already up, reused)' : ''}`,
    );
    return stack;
  }

  /** `bench-<runId>-<what>`: every resource this run creates. */
  name(what: string): string {
    return `bench-${this.runId}-${what}`;
  }

  async createTopic(what: string, configEntries: ITopicConfig['configEntries'] = []): Promise<string> {
    const topic = this.name(what);
    // Not kafkajs's waitForLeaders, which retries only LEADER_NOT_AVAILABLE: a broker that has just
    // created a topic may first answer UNKNOWN_TOPIC_OR_PARTITION (seen under load). The wait of
    // localstack's ensureTopics, which cannot be used here since it sets the topic's config itself.
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: [
        { topic, numPartitions: Topics.PARTITIONS, replicationFactor: loadStackConfig().topicReplicationFactor, configEntries },
      ],
    });
    this.topics.push(topic);
    const led = await waitUntil(
      async () => {
        const [t] = (await this.admin.fetchTopicMetadata({ topics: [topic] })).topics;
        return t && t.partitions.length === Topics.PARTITIONS && t.partitions.every((p) => p.leader >= 0) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    if (!led.ok) throw new Error(`Kafka topic ${topic} has no leader for every partition: ${led.reason}`);
    return topic;
  }

  async createBucket(what: string): Promise<string> {
    const bucket = this.name(what);
    await ensureBucket(this.s3, bucket, this.region);
    this.buckets.push(bucket);
    return bucket;
  }

  async createTable(what: string): Promise<TableInfo> {
    const name = this.name(what);
    this.tables.push(name);
    return ensureTable(this.ddb, name);
  }

  async createQueue(what: string): Promise<string> {
    const name = this.name(what);
    this.queues.push(name);
    return (await ensureQueue(this.sqs, name)).url;
  }

  /** Deletes what this run created (each step on its own, so one failure does not leave the rest), then stops the stack if we started it. */
  async close(): Promise<void> {
    if (process.env.BENCH_KEEP) {
      progress(`BENCH_KEEP set: leaving ${[...this.topics, ...this.buckets, ...this.tables, ...this.queues].join(', ')}`);
    } else {
      const steps: Array<[string, () => Promise<unknown>]> = [
        [
          'topics',
          () => (this.topics.length ? this.admin.deleteTopics({ topics: this.topics, timeout: 30_000 }) : Promise.resolve()),
        ],
        ...this.buckets.map((b): [string, () => Promise<unknown>] => [`bucket ${b}`, () => deleteBucket(this.s3, b)]),
        ...this.tables.map((t): [string, () => Promise<unknown>] => [`table ${t}`, () => deleteTable(this.ddb, t)]),
        ...this.queues.map((q): [string, () => Promise<unknown>] => [`queue ${q}`, () => deleteQueue(this.sqs, q)]),
      ];
      for (const [what, step] of steps) await step().catch((e: Error) => progress(`cleanup of ${what} failed: ${e.message}`));
    }
    await this.admin.disconnect().catch(() => undefined);
    for (const c of [this.s3, this.ddb, this.sqs]) c.destroy();
    if (this.startedStack) {
      progress('stopping the local stack this run started');
      await stackDown({ onProgress: progress }).catch((e: Error) => progress(`stack down failed: ${e.message}`));
    }
  }
}
