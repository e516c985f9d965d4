import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  deleteBucket,
  deleteQueue,
  deleteTable,
  ensureBucket,
  ensureQueue,
  ensureTable,
  type QueueInfo,
  type TableInfo,
} from './awsResources.ts';
import { Backend, loadStackConfig, localAwsClientConfig, type RunningBackend, type StackConfig } from './config.ts';
import { UnsupportedOperationError } from './errors.ts';
import { type CatalogInfo, ensureCatalog } from './glueCatalog.ts';
import { stackKafka, withAdmin } from './kafka/stackKafka.ts';
import { ensureTopics, recreateTopics, topicSpecs, type TopicInfo } from './kafka/topics.ts';
import { resetMoto } from './moto/MotoServer.ts';
import { settleAll } from './settleAll.ts';
import { stackPaths } from './StackPaths.ts';
import { readStackState } from './stackState.ts';

/** What exists once the stack is ready: the same shape on every backend. */
export interface StackResources {
  table: TableInfo;
  bucket: string;
  /** The stream-processor's on-failure destination (DESIGN §5). */
  streamDlq: QueueInfo;
  topics: TopicInfo[];
  /**
   * The Glue database and `chargeback_changes` table (the one infra/ deploys), on the native
   * backend (moto's Glue). Undefined on containers (LocalStack's community image has no Glue)
   * and on external (a deployed stack's catalog is infra/'s; nothing is created in an account).
   */
  catalog?: CatalogInfo;
}

/**
 * Creates what is missing (table + stream, landing bucket, DLQ queue, both topics, and on moto the
 * Glue catalog) and checks the shape of what exists. Safe to call any number of times, on any backend.
 */
export async function ensureResources(cfg: StackConfig = loadStackConfig()): Promise<StackResources> {
  const backend = await runningBackend(cfg);
  const [aws, topics] = await settleAll([
    ensureAwsResources(cfg, backend),
    withAdmin(stackKafka(cfg), (admin) => ensureTopics(admin, topicSpecs(cfg))),
  ] as const);
  return { ...aws, topics };
}

export interface ResetReport {
  tookMs: number;
  awsMs: number;
  kafkaMs: number;
  /** Fresh resources: note the table's stream ARN is new, so stream pollers must look it up again. */
  resources: StackResources;
}

/**
 * Empties the stack between scenarios: on moto one `POST /moto-api/reset` (every table, stream,
 * bucket, queue and Glue database goes) and re-creation, the catalog included; on other local
 * backends the four AWS resources are deleted and re-created; the Kafka topics are deleted and re-created (records and committed offsets go).
 * Consumers and producers of the pipeline should be stopped first. Refused on the external backend,
 * where it would delete a deployed stack's data.
 */
export async function resetResources(
  cfg: StackConfig = loadStackConfig(),
  opts: { backend?: RunningBackend } = {},
): Promise<ResetReport> {
  const backend = opts.backend ?? (await runningBackend(cfg));
  if (backend === Backend.EXTERNAL) {
    throw new UnsupportedOperationError(
      'resetResources deletes the table, bucket, queue and topics: refused on the external backend; isolate scenarios by unique ids there',
    );
  }
  const started = Date.now();
  const [[awsMs, aws], [kafkaMs, topics]] = await settleAll([
    timed(async () => {
      if (backend === Backend.NATIVE && cfg.awsEndpoint) await resetMoto(cfg.awsEndpoint);
      else await deleteAwsResources(cfg);
      return ensureAwsResources(cfg, backend);
    }),
    timed(() => withAdmin(stackKafka(cfg), (admin) => recreateTopics(admin, topicSpecs(cfg)))),
  ] as const);
  return { tookMs: Date.now() - started, awsMs, kafkaMs, resources: { ...aws, topics } };
}

async function ensureAwsResources(
  cfg: StackConfig,
  backend: RunningBackend | undefined,
): Promise<Omit<StackResources, 'topics'>> {
  return withAwsClients(cfg, async ({ ddb, s3, sqs, glue }) => {
    const [table, , streamDlq, catalog] = await settleAll([
      ensureTable(ddb, cfg.names.table),
      ensureBucket(s3, cfg.names.bucket, cfg.region),
      ensureQueue(sqs, cfg.names.streamDlqQueue),
      // The table only names the bucket, so it need not wait for it.
      backend === Backend.NATIVE
        ? ensureCatalog(glue, { database: cfg.names.glueDatabase, bucket: cfg.names.bucket, prefix: cfg.names.landingPrefix })
        : Promise.resolve(undefined),
    ] as const);
    return { table, bucket: cfg.names.bucket, streamDlq, ...(catalog ? { catalog } : {}) };
  });
}

async function deleteAwsResources(cfg: StackConfig): Promise<void> {
  await withAwsClients(cfg, ({ ddb, s3, sqs }) =>
    settleAll([
      deleteTable(ddb, cfg.names.table),
      deleteBucket(s3, cfg.names.bucket),
      deleteQueue(sqs, cfg.names.streamDlqQueue),
    ] as const),
  );
}

interface AwsClients {
  ddb: DynamoDBClient;
  s3: S3Client;
  sqs: SQSClient;
  glue: GlueClient;
}

async function withAwsClients<T>(cfg: StackConfig, fn: (clients: AwsClients) => Promise<T>): Promise<T> {
  const config = localAwsClientConfig(cfg);
  const clients = {
    ddb: new DynamoDBClient(config),
    s3: new S3Client(config),
    sqs: new SQSClient(config),
    glue: new GlueClient(config),
  };
  try {
    return await fn(clients);
  } finally {
    for (const client of Object.values(clients)) client.destroy();
  }
}

/** The configured backend, or with auto the one `stack up` recorded (undefined: delete resources one by one). */
async function runningBackend(cfg: StackConfig): Promise<RunningBackend | undefined> {
  if (cfg.backend !== Backend.AUTO) return cfg.backend;
  return (await readStackState(stackPaths(cfg.home).run))?.backend;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = Date.now();
  const value = await fn();
  return [Date.now() - started, value];
}
