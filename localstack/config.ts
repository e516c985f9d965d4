import { z } from 'zod';
import { Topics } from '../pipeline/kafka/index.ts';
import { StackConfigError } from './errors.ts';
import { cdcHome } from '../pipeline/config/index.ts';

/** Resource names of the local contract (DESIGN §3, fixed). Every module imports them from here. */
export const LocalNames = {
  table: 'chargebacks',
  bucket: 'chargeback-cdc-landing',
  streamDlqQueue: 'chargebacks-stream-processor-dlq',
  topic: Topics.CHANGES,
  dlqTopic: Topics.DLQ,
  landingPrefix: 'landing/chargebacks/',
  /** Glue database of the `chargeback_changes` table (native backend: moto's Glue). */
  glueDatabase: 'chargeback_cdc',
} as const;
export type LocalNames = typeof LocalNames;

/** Ports of the local contract; the controller port is the native broker's KRaft listener. */
export const LocalPorts = { aws: 4566, kafka: 9092, kafkaController: 9093 } as const;

export const Backend = { AUTO: 'auto', NATIVE: 'native', CONTAINERS: 'containers', EXTERNAL: 'external' } as const;
export type Backend = (typeof Backend)[keyof typeof Backend];
/** A backend that is actually running (auto resolves to one of these). */
export type RunningBackend = Exclude<Backend, 'auto'>;

const LOCAL_HOST = '127.0.0.1';
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const StackConfigSchema = z.object({
  backend: z.enum([Backend.AUTO, Backend.NATIVE, Backend.CONTAINERS, Backend.EXTERNAL]),
  /** Venv, Kafka jars, data, logs and pid files live under here. */
  home: z.string().min(1),
  /** Undefined only for the external backend against real AWS (the SDK's own endpoints). */
  awsEndpoint: z.url().optional(),
  region: z.string().min(1),
  /** Undefined means the SDK's default credential chain (external backend). */
  credentials: z.object({ accessKeyId: z.string().min(1), secretAccessKey: z.string().min(1) }).optional(),
  forcePathStyle: z.boolean(),
  kafkaBrokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1),
  kafkaAuth: z.enum(['plaintext', 'msk-iam']),
  kafkaControllerPort: z.number().int().min(1).max(65535),
  topicPartitions: z.number().int().min(1),
  /** -1 asks the broker for its default (MSK Serverless decides it; it refuses explicit values). */
  topicReplicationFactor: z.number().int().min(-1),
  names: z.object({
    table: z.string().min(1),
    bucket: z.string().min(1),
    streamDlqQueue: z.string().min(1),
    topic: z.string().min(1),
    dlqTopic: z.string().min(1),
    landingPrefix: z.string().min(1),
    glueDatabase: z.string().regex(/^[a-z0-9_]+$/, 'a Glue database name is lower-case letters, digits and underscores'),
  }),
});
export type StackConfig = z.infer<typeof StackConfigSchema>;

/**
 * Reads the one local-stack configuration from the environment. The native and containers backends
 * always use the fixed local contract (DESIGN §3); only the external backend takes its endpoints from
 * AWS_ENDPOINT_URL / AWS_REGION / KAFKA_BROKERS / KAFKA_AUTH. Every problem is reported at once.
 */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env, overrides: { backend?: Backend } = {}): StackConfig {
  const backend = overrides.backend ?? env.LOCAL_STACK ?? Backend.AUTO;
  const home = cdcHome(env);
  const shared = { backend, home, topicPartitions: Topics.PARTITIONS, names: { ...LocalNames } };
  const candidate =
    backend === Backend.EXTERNAL
      ? {
          ...shared,
          awsEndpoint: env.AWS_ENDPOINT_URL || undefined,
          region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
          // An emulator behind AWS_ENDPOINT_URL accepts any key: default to test/test there, unless
          // the environment names credentials; against real AWS, always the SDK's default chain.
          credentials: env.AWS_ENDPOINT_URL && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE ? LOCAL_CREDENTIALS : undefined,
          forcePathStyle: Boolean(env.AWS_ENDPOINT_URL),
          kafkaBrokers: splitList(env.KAFKA_BROKERS ?? `${LOCAL_HOST}:${LocalPorts.kafka}`),
          kafkaAuth: env.KAFKA_AUTH || 'plaintext',
          kafkaControllerPort: LocalPorts.kafkaController,
          topicReplicationFactor: -1,
        }
      : {
          ...shared,
          awsEndpoint: `http://${LOCAL_HOST}:${LocalPorts.aws}`,
          region: 'us-east-1',
          credentials: LOCAL_CREDENTIALS,
          forcePathStyle: true,
          kafkaBrokers: [`${LOCAL_HOST}:${LocalPorts.kafka}`],
          kafkaAuth: 'plaintext',
          kafkaControllerPort: LocalPorts.kafkaController,
          topicReplicationFactor: 1,
        };
  const parsed = StackConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${envNameOf(i.path)}: ${i.message}`).join('; ');
    throw new StackConfigError(`invalid local stack configuration: ${problems}`);
  }
  return parsed.data;
}

/** AWS SDK v3 client configuration for the stack: `new DynamoDBClient(localAwsClientConfig())`. */
export interface AwsSdkClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
}

export function localAwsClientConfig(cfg: StackConfig = loadStackConfig()): AwsSdkClientConfig {
  return {
    region: cfg.region,
    ...(cfg.awsEndpoint ? { endpoint: cfg.awsEndpoint } : {}),
    ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
    ...(cfg.forcePathStyle ? { forcePathStyle: true } : {}),
  };
}

/** The config as it may be printed (at --verbose): the secret key is masked. */
export function describeStackConfig(cfg: StackConfig): Record<string, unknown> {
  return {
    ...cfg,
    credentials: cfg.credentials ? { accessKeyId: cfg.credentials.accessKeyId, secretAccessKey: '****' } : 'default chain',
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Names the environment variable a user would fix, rather than our internal field. */
function envNameOf(path: ReadonlyArray<PropertyKey>): string {
  const field = String(path[0] ?? '');
  const envNames: Record<string, string> = {
    backend: 'LOCAL_STACK',
    home: 'CHARGEBACK_CDC_HOME',
    awsEndpoint: 'AWS_ENDPOINT_URL',
    region: 'AWS_REGION',
    kafkaBrokers: 'KAFKA_BROKERS',
    kafkaAuth: 'KAFKA_AUTH',
  };
  return envNames[field] ?? path.map(String).join('.');
}
