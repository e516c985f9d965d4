import { z } from 'zod';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { definedOnly, envReader, parseConfig } from '../config/index.ts';
import { KafkaAuth, kafkaConfigFromEnv, Topics } from '../kafka/index.ts';
import { BucketBy, DEFAULT_LANDING_BUCKET, DEFAULT_LANDING_PREFIX } from '../parquet-writer/index.ts';
import type { CloserEvent } from './CloserEvent.ts';
import { CloserConfigError } from './errors.ts';

const positiveInt = z.number().int().positive();

/**
 * The closer's one typed config. Defaults match the writers': topic `chargebacks`, group
 * `flink-parquet-writer`, the local landing bucket and prefix, processing-time buckets.
 */
export const CloserConfig = z
  .object({
    brokers: z
      .array(z.string().min(1))
      .min(1)
      .default(() => kafkaConfigFromEnv('hour-closer').brokers),
    kafkaAuth: z
      .enum([KafkaAuth.PLAINTEXT, KafkaAuth.MSK_IAM])
      .default(() => kafkaConfigFromEnv('hour-closer').auth ?? KafkaAuth.PLAINTEXT),
    region: z.string().default(() => process.env.AWS_REGION ?? 'us-east-1'),
    /** The writers' consumer group, whose committed offsets are the progress read. */
    groupId: z.string().min(1).default(Topics.WRITER_GROUP),
    topic: z.string().min(1).default(Topics.CHANGES),
    bucket: z.string().min(3).default(DEFAULT_LANDING_BUCKET),
    prefix: z
      .string()
      .refine((p) => p.endsWith('/') && !p.startsWith('/'), 'must end with "/" and not start with "/"')
      .default(DEFAULT_LANDING_PREFIX),
    /** The state object; default `_state/completeness/<groupId>/<topic>/closer.json`, beside the writer's state. */
    stateKey: z.string().min(1).optional(),
    /** How the writers bucket. Only processing time can be closed (README.md § "Event-time buckets"). */
    bucketBy: z.enum([BucketBy.PROCESSING_TIME, BucketBy.EVENT_TIME]).default(BucketBy.PROCESSING_TIME),
    /** An hour is considered only this long after it ended: the largest writer clock lag tolerated. */
    graceMs: z.number().int().min(0).default(30_000),
    pollMs: positiveInt.default(10_000),
    s3: z
      .object({ region: z.string(), endpoint: z.string().optional(), forcePathStyle: z.boolean().optional() })
      .default(() => awsClientConfigFromEnv()),
    onEvent: z.custom<(e: CloserEvent) => void>((v) => typeof v === 'function', 'must be a function').optional(),
    /** The clock the hours are judged by; injectable so tests need not wait for an hour to end. */
    now: z.custom<() => number>((v) => typeof v === 'function', 'must be a function').default(() => Date.now),
  })
  .transform((c) => ({ ...c, stateKey: c.stateKey ?? `_state/completeness/${c.groupId}/${c.topic}/closer.json` }))
  .refine((c) => c.bucketBy === BucketBy.PROCESSING_TIME, {
    path: ['bucketBy'],
    message:
      'event-time buckets cannot be closed: the writer lands late records in their own event hour however late, so no hour is ever final (see pipeline/completeness/README.md)',
  });

export type CloserConfig = z.input<typeof CloserConfig>;
export type ResolvedCloserConfig = z.output<typeof CloserConfig>;

export function resolveCloserConfig(input: CloserConfig = {}): ResolvedCloserConfig {
  return parseConfig(CloserConfig, input, 'hour-closer', (message) => new CloserConfigError(message));
}

/**
 * Config from the same environment the writer reads (KAFKA_BROKERS, KAFKA_AUTH, AWS_*,
 * LANDING_BUCKET, LANDING_PREFIX, WRITER_GROUP_ID, KAFKA_TOPIC, BUCKET_BY) plus
 * CLOSER_GRACE_MS, CLOSER_POLL_MS and CLOSER_STATE_KEY.
 */
export function closerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CloserConfig {
  const kafka = kafkaConfigFromEnv('hour-closer', env);
  const { str, num } = envReader(env, (message) => new CloserConfigError(message));
  return definedOnly({
    brokers: kafka.brokers,
    kafkaAuth: kafka.auth,
    region: kafka.region,
    s3: awsClientConfigFromEnv(env),
    bucket: str('LANDING_BUCKET'),
    prefix: str('LANDING_PREFIX'),
    groupId: str('WRITER_GROUP_ID'),
    topic: str('KAFKA_TOPIC'),
    bucketBy: str('BUCKET_BY') as CloserConfig['bucketBy'],
    graceMs: num('CLOSER_GRACE_MS'),
    pollMs: num('CLOSER_POLL_MS'),
    stateKey: str('CLOSER_STATE_KEY'),
  });
}
