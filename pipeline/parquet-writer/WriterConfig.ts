import { z } from 'zod';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { definedOnly, envReader, parseConfig } from '../config/index.ts';
import { KafkaAuth, kafkaConfigFromEnv, Topics } from '../kafka/index.ts';
import { BucketBy } from './BucketAssigner.ts';
import { DEFAULT_DEDUP_WINDOW } from './DuplicateFilter.ts';
import { WriterConfigError } from './errors.ts';
import { DEFAULT_MAX_PART_BYTES, DEFAULT_ROLLOVER_MS } from './RollingPolicy.ts';
import type { WriterEvent } from './WriterEvent.ts';

/** Local default landing bucket (DESIGN §3). */
export const DEFAULT_LANDING_BUCKET = 'chargeback-cdc-landing';
export const DEFAULT_LANDING_PREFIX = 'landing/chargebacks/';
/** The writer's consumer session timeout unless KAFKA_SESSION_TIMEOUT_MS says otherwise. */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;

const positiveInt = z.number().int().positive();
const prefix = z
  .string()
  .refine((p) => p === '' || p.endsWith('/'), 'must end with "/"')
  .refine((p) => !p.startsWith('/'), 'must not start with "/"');

/**
 * The writer's one typed config, validated once at start. Defaults match the seed and DESIGN:
 * topic `chargebacks`, group `flink-parquet-writer`, rollover 60 s, parts up to 128 MiB,
 * processing-time buckets in UTC.
 */
export const WriterConfig = z
  .object({
    brokers: z
      .array(z.string().min(1))
      .min(1)
      .default(() => kafkaConfigFromEnv('parquet-writer').brokers),
    kafkaAuth: z
      .enum([KafkaAuth.PLAINTEXT, KafkaAuth.MSK_IAM])
      .default(() => kafkaConfigFromEnv('parquet-writer').auth ?? KafkaAuth.PLAINTEXT),
    clientId: z.string().min(1).default('parquet-writer'),
    groupId: z.string().min(1).default(Topics.WRITER_GROUP),
    topic: z.string().min(1).default(Topics.CHANGES),
    dlqTopic: z.string().min(1).default(Topics.DLQ),
    bucket: z.string().min(3).default(DEFAULT_LANDING_BUCKET),
    prefix: prefix.default(DEFAULT_LANDING_PREFIX),
    /** Checkpoint state (progress objects, staged parts); default `_state/<groupId>/<topic>/`, outside the landing prefix. */
    statePrefix: prefix.optional(),
    rolloverMs: positiveInt.default(DEFAULT_ROLLOVER_MS),
    maxPartBytes: positiveInt.default(DEFAULT_MAX_PART_BYTES),
    /** Default: equal to rolloverMs (Flink's default). */
    inactivityMs: positiveInt.optional(),
    bucketBy: z.enum([BucketBy.PROCESSING_TIME, BucketBy.EVENT_TIME]).default(BucketBy.PROCESSING_TIME),
    /** Cap on bytes buffered in open parts plus parts being uploaded; above it the consumer pauses. */
    maxBufferedBytes: positiveInt.default(256 * 1024 * 1024),
    /**
     * Kafka consumer session timeout: how long a crashed writer holds its partitions before the
     * group moves them. kafkajs has no static membership, so a restarted writer waits for its dead
     * member to expire: 10 s, not kafkajs' 30 s (bench `--only catchup`, docs/benchmarks.md).
     * The broker's floor is 6 s (group.min.session.timeout.ms); the heartbeat is a third of it at most.
     */
    sessionTimeoutMs: z.number().int().min(6_000).default(DEFAULT_SESSION_TIMEOUT_MS),
    /** Rows of a part are encoded into a row group once they pass this estimate. */
    rowGroupMaxBytes: positiveInt.default(4 * 1024 * 1024),
    /** Upstream duplicates are recognised among the last N records (and N chargebacks) per partition. */
    dedupWindow: positiveInt.default(DEFAULT_DEDUP_WINDOW),
    retry: z
      .object({ initialDelayMs: positiveInt.default(200), maxDelayMs: positiveInt.default(30_000) })
      .default({ initialDelayMs: 200, maxDelayMs: 30_000 }),
    s3: z
      .object({ region: z.string(), endpoint: z.string().optional(), forcePathStyle: z.boolean().optional() })
      .default(() => awsClientConfigFromEnv()),
    region: z.string().default(() => process.env.AWS_REGION ?? 'us-east-1'),
    onEvent: z.custom<(event: WriterEvent) => void>((v) => typeof v === 'function', 'must be a function').optional(),
    /** Clock for processing time; injectable for tests. */
    now: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').default(() => Date.now),
  })
  .transform((c) => ({
    ...c,
    statePrefix: c.statePrefix ?? `_state/${c.groupId}/${c.topic}/`,
    inactivityMs: c.inactivityMs ?? c.rolloverMs,
  }))
  .refine(
    (c) => (!c.statePrefix.startsWith(c.prefix) || c.prefix === '' ? true : c.statePrefix.slice(c.prefix.length).startsWith('_')),
    {
      message: 'statePrefix inside the landing prefix must start with "_" there, so readers skip it',
      path: ['statePrefix'],
    },
  );

export type WriterConfig = z.input<typeof WriterConfig>;
export type ResolvedWriterConfig = z.output<typeof WriterConfig>;

export function resolveWriterConfig(input: WriterConfig = {}): ResolvedWriterConfig {
  return parseConfig(WriterConfig, input, 'parquet-writer', (message) => new WriterConfigError(message));
}

/**
 * Config from the environment for `main.ts` and `chargeback-cdc run writer`:
 * KAFKA_BROKERS, KAFKA_AUTH, AWS_ENDPOINT_URL/AWS_REGION (via awsClientConfigFromEnv),
 * LANDING_BUCKET, LANDING_PREFIX, STATE_PREFIX, ROLLOVER_MS, MAX_PART_BYTES, INACTIVITY_MS,
 * BUCKET_BY, WRITER_GROUP_ID, KAFKA_TOPIC, DLQ_TOPIC, MAX_BUFFERED_BYTES, DEDUP_WINDOW,
 * KAFKA_SESSION_TIMEOUT_MS, ROW_GROUP_MAX_BYTES.
 */
export function writerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WriterConfig {
  const kafka = kafkaConfigFromEnv('parquet-writer', env);
  const { str, num } = envReader(env, (message) => new WriterConfigError(message));
  return definedOnly({
    brokers: kafka.brokers,
    kafkaAuth: kafka.auth,
    region: kafka.region,
    s3: awsClientConfigFromEnv(env),
    bucket: str('LANDING_BUCKET'),
    prefix: str('LANDING_PREFIX'),
    statePrefix: str('STATE_PREFIX'),
    rolloverMs: num('ROLLOVER_MS'),
    maxPartBytes: num('MAX_PART_BYTES'),
    inactivityMs: num('INACTIVITY_MS'),
    bucketBy: str('BUCKET_BY') as WriterConfig['bucketBy'],
    groupId: str('WRITER_GROUP_ID'),
    topic: str('KAFKA_TOPIC'),
    dlqTopic: str('DLQ_TOPIC'),
    maxBufferedBytes: num('MAX_BUFFERED_BYTES'),
    dedupWindow: num('DEDUP_WINDOW'),
    sessionTimeoutMs: num('KAFKA_SESSION_TIMEOUT_MS'),
    rowGroupMaxBytes: num('ROW_GROUP_MAX_BYTES'),
  });
}

/** The config as one printable object (functions omitted; no secrets are held here: credentials come from the SDK chain). */
export function printableConfig(c: ResolvedWriterConfig): Record<string, unknown> {
  const { onEvent: _e, now: _n, ...rest } = c;
  return rest;
}
