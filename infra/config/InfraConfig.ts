import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { Topics } from '../../pipeline/kafka/index.ts';
import { EventSourceMappingSettings } from '../../pipeline/stream-processor/index.ts';
import { DEFAULT_PROJECTION_START_DAY } from '../../pipeline/schema/index.ts';
import { InfraConfigError } from '../errors.ts';
import { FLINK_JAR_BUILD_OUTPUT } from '../bundle/ensureFlinkJar.ts';
import { CsvMode, DEFAULT_CONSOLIDATED_PREFIX, DEFAULT_TARGET_BYTES } from '../../pipeline/consolidation/index.ts';

/**
 * The one typed configuration of the deployment. Every stack reads it; nothing else decides
 * a name, a size or a switch. Defaults match the seed (topic `chargebacks`, 3 partitions,
 * 60 s checkpoints) and a small dev environment.
 *
 * Sources: the defaults below, overridden by the JSON file named by `CHARGEBACK_INFRA_CONFIG`;
 * `CHARGEBACK_ENV` overrides the environment; `AWS_REGION` sets the region only when the file
 * does not (a region in a reviewed file must not change with whatever a shell exports).
 */

/** CloudWatch Logs accepts only these retention periods (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const LambdaRuntime = { NODEJS_20: 'nodejs20.x', NODEJS_22: 'nodejs22.x' } as const;
export const FlinkRuntime = { FLINK_1_20: 'FLINK-1_20' } as const;

const name = (what: string, max: number) =>
  z
    .string()
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, `${what} must be lower-case letters, digits and dashes, starting with a letter`)
    .max(max);

const subnetIds = z
  .array(z.string().regex(/^subnet-[0-9a-f]+$/, 'a subnet id looks like subnet-0abc…'))
  .min(2, 'MSK Serverless and Managed Flink need subnets in at least two Availability Zones');

const Network = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('new'),
    cidr: z
      .string()
      .regex(/^\d+\.\d+\.\d+\.\d+\/(1[6-9]|2[0-4])$/)
      .default('10.40.0.0/16'),
    /**
     * Zones of the private subnets, by zone ID (MSK Serverless needs ≥ 2). A zone *name* such as
     * us-east-1a maps to a different physical zone in each account; the ID (use1-az1) is the same
     * everywhere, so the zones a service supports, and those of peered accounts, can be matched.
     * Default: `<region code>-az1`, `-az2`, `-az3` (config/zoneIds.ts).
     */
    availabilityZoneIds: z
      .array(z.string().regex(/^[a-z]+\d+-az\d+$/, 'a zone ID looks like use1-az1'))
      .min(2)
      .max(3)
      .refine((ids) => new Set(ids).size === ids.length, 'each zone ID once: two subnets in one zone are no redundancy')
      .optional(),
    /** Zones by name are refused, not ignored: a config that still names them must not silently get other zones. */
    availabilityZones: z
      .unknown()
      .refine(
        (v) => v === undefined,
        'zones are chosen by zone ID: rename to availabilityZoneIds and give the IDs of your zones (aws ec2 describe-availability-zones --query "AvailabilityZones[].[ZoneName,ZoneId]")',
      )
      .optional(),
    /**
     * One NAT gateway for the private subnets. Without it the only AWS API the pipeline calls
     * from inside the VPC outside S3/DynamoDB (gateway endpoints) — SQS, for the stream
     * processor's dead letters — gets an interface endpoint (constructs/Network.ts).
     */
    natGateway: z.boolean().default(true),
    flowLogs: z.boolean().default(true),
  }),
  z.object({
    mode: z.literal('existing'),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/),
    /** Private subnets with a route to S3 (endpoint or NAT) and to SQS/CloudWatch (endpoint or NAT). */
    privateSubnetIds: subnetIds,
  }),
]);

/**
 * `new`: created and hardened by the foundation stack. `import`: an existing resource adopted
 * into the foundation stack's state with Terraform import blocks, then managed (and hardened)
 * exactly like a new one. `existing`: only referenced, never changed.
 */
const Ownership = z.enum(['new', 'import', 'existing']);

const Table = z.object({
  mode: Ownership.default('new'),
  /** Default: `<project>-<environment>-chargebacks`. */
  name: z.string().min(3).max(255).optional(),
  /** On for production; off by default so that `npm run destroy` can remove a dev stack. */
  deletionProtection: z.boolean().default(false),
});

const Bucket = z.object({
  mode: Ownership.default('new'),
  /** Default: `<project>-<environment>-landing-<account id>` (S3 names are global). */
  name: z.string().min(3).max(63).optional(),
  encryption: z.enum(['SSE-KMS', 'SSE-S3']).default('SSE-KMS'),
  /** Key of an `existing` bucket encrypted with SSE-KMS, so the Flink role may use it. */
  existingKmsKeyArn: z.string().startsWith('arn:').optional(),
  /**
   * Flink's S3 FileSink keeps a part file as a multipart upload until the checkpoint that holds
   * it completes, and resumes that upload after a restore: abort incomplete uploads only after
   * days, never hours, or a restart after a long outage loses committed-to-be data.
   */
  abortIncompleteMultipartUploadDays: z.number().int().min(2).default(7),
  noncurrentVersionExpirationDays: z.number().int().min(1).default(30),
  forceDestroy: z.boolean().default(false),
});

const Kafka = z.object({
  topic: z.string().min(1).default(Topics.CHANGES),
  dlqTopic: z.string().min(1).default(Topics.DLQ),
  partitions: z.number().int().min(1).max(120).default(Topics.PARTITIONS),
  consumerGroup: z.string().min(1).default(Topics.WRITER_GROUP),
});

const StreamProcessor = z.object({
  runtime: z.enum([LambdaRuntime.NODEJS_20, LambdaRuntime.NODEJS_22]).default(LambdaRuntime.NODEJS_22),
  memoryMb: z.number().int().min(128).max(10240).default(512),
  timeoutSeconds: z.number().int().min(10).max(900).default(60),
  /**
   * The event source mapping: the one definition the local poller also runs
   * (pipeline/stream-processor/eventSourceMapping.ts), same names, ranges and defaults — among
   * them unlimited retries and record age, so a Kafka outage blocks the shard instead of losing
   * records. An override here makes the deployed mapping differ from what the tests prove.
   */
  ...EventSourceMappingSettings.shape,
  /** AWS only: the local poller runs one batch per shard at a time (docs/local-vs-aws.md). */
  parallelizationFactor: z.number().int().min(1).max(10).default(1),
  /** Reserved concurrency; left unset by default because a new account's 10-execution pool cannot spare any. */
  reservedConcurrency: z.number().int().min(1).optional(),
});

const Api = z.object({
  runtime: z.enum([LambdaRuntime.NODEJS_20, LambdaRuntime.NODEJS_22]).default(LambdaRuntime.NODEJS_22),
  memoryMb: z.number().int().min(128).max(10240).default(256),
  timeoutSeconds: z.number().int().min(3).max(29).default(10),
  throttlingBurstLimit: z.number().int().min(1).default(100),
  throttlingRateLimit: z.number().min(1).default(50),
  /** `NONE` keeps the seed's open API (the acceptance suite calls it with plain HTTP); `AWS_IAM` requires SigV4. */
  authorization: z.enum(['NONE', 'AWS_IAM']).default('NONE'),
  reservedConcurrency: z.number().int().min(1).optional(),
});

const Flink = z.object({
  runtime: z.enum([FlinkRuntime.FLINK_1_20]).default(FlinkRuntime.FLINK_1_20),
  /** Relative to the repository root. Built by `npm run build:flink`. */
  jarPath: z.string().default(FLINK_JAR_BUILD_OUTPUT),
  parallelism: z.number().int().min(1).default(1),
  parallelismPerKpu: z.number().int().min(1).max(8).default(1),
  autoScaling: z.boolean().default(false),
  checkpointIntervalMs: z.number().int().min(1000).default(60_000),
  minPauseBetweenCheckpointsMs: z.number().int().min(0).default(5_000),
  logLevel: z.enum(['INFO', 'WARN', 'ERROR', 'DEBUG']).default('INFO'),
  metricsLevel: z.enum(['APPLICATION', 'OPERATOR', 'PARALLELISM', 'TASK']).default('APPLICATION'),
  snapshotsEnabled: z.boolean().default(true),
  /** Start the application on deploy (the seed started it by hand). */
  startApplication: z.boolean().default(true),
});

/** The Glue table over the landing zone and the Athena workgroup (infra/constructs/AnalyticsCatalog.ts). */
const Catalog = z.object({
  /**
   * First UTC day Athena's partition projection generates: the first day data can exist. Earlier
   * days are never listed; a later start only makes unfiltered queries look into more empty folders.
   */
  projectionStartDay: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'catalog.projectionStartDay is a day, YYYY-MM-DD')
    .default(DEFAULT_PROJECTION_START_DAY),
});

const hour = z.number().int().min(0).max(23);

/**
 * The daily consolidation (pipeline/consolidation) as a scheduled Lambda function
 * (infra/constructs/ConsolidationJob.ts; why Lambda and not Glue or Fargate: infra/README.md).
 * Runs hourly at `schedule.minute` past each hour from `schedule.firstHour` to `schedule.lastHour`
 * (UTC) for yesterday; the day should be consolidated by `deadlineHour`:00 UTC, else the
 * `consolidation-day-late` alarm fires.
 */
const Consolidation = z
  .object({
    runtime: z.enum([LambdaRuntime.NODEJS_20, LambdaRuntime.NODEJS_22]).default(LambdaRuntime.NODEJS_22),
    /** The job holds one day's rows and its CSV; memory also buys CPU (one vCPU at 1,769 MB). */
    memoryMb: z.number().int().min(1024).max(10240).default(4096),
    timeoutSeconds: z.number().int().min(60).max(900).default(900),
    targetBytes: z.number().int().min(1).default(DEFAULT_TARGET_BYTES),
    /** What the day's CSV holds: every change, or each chargeback's last state (pipeline/consolidation). */
    csv: z.enum([CsvMode.CHANGES, CsvMode.STATE]).default(CsvMode.CHANGES),
    consolidatedPrefix: z
      .string()
      .regex(/^[^/].*\/$/, 'consolidation.consolidatedPrefix is a key prefix without a leading slash and with a trailing one')
      .default(DEFAULT_CONSOLIDATED_PREFIX),
    schedule: z
      .object({
        firstHour: hour.default(0),
        lastHour: hour.default(23),
        minute: z.number().int().min(0).max(59).default(15),
      })
      .prefault({}),
    deadlineHour: hour.default(6),
    /** Lambda's own retries of a failed run (asynchronous invocation: 0–2), before the event goes to the DLQ. */
    retryAttempts: z.number().int().min(0).max(2).default(2),
    /** Off: no schedules (the functions stay, to invoke by hand). */
    enabled: z.boolean().default(true),
  })
  .superRefine((c, ctx) => {
    if (c.schedule.firstHour > c.schedule.lastHour)
      ctx.addIssue({
        code: 'custom',
        path: ['schedule', 'lastHour'],
        message: `the run window ends before it starts (firstHour ${c.schedule.firstHour} > lastHour ${c.schedule.lastHour})`,
      });
    if (c.deadlineHour <= c.schedule.firstHour)
      ctx.addIssue({
        code: 'custom',
        path: ['deadlineHour'],
        message: `the deadline (${c.deadlineHour}:00 UTC) must come after the first run (${c.schedule.firstHour}:${String(c.schedule.minute).padStart(2, '0')} UTC)`,
      });
  });

/**
 * The hour closer (pipeline/completeness) as a scheduled Lambda function in the streaming stack
 * (infra/constructs/HourCloser.ts): one pass every `rateMinutes`, inside the VPC next to MSK. It
 * writes the hour markers the daily consolidation waits for, judging the Flink job's group
 * (kafka.consumerGroup) by its committed offsets.
 */
const HourCloser = z.object({
  runtime: z.enum([LambdaRuntime.NODEJS_20, LambdaRuntime.NODEJS_22]).default(LambdaRuntime.NODEJS_22),
  /** A pass reads each part file of the hours it closes once (the money columns only). */
  memoryMb: z.number().int().min(256).max(10240).default(1024),
  /** A pass cut short keeps every hour it closed (the state object is saved per hour); the next one goes on. */
  timeoutSeconds: z.number().int().min(30).max(900).default(300),
  /** EventBridge Scheduler runs a pass every this many minutes. */
  rateMinutes: z.number().int().min(1).max(60).default(5),
  /** CLOSER_GRACE_MS: an hour is judged only this long after it ended (the largest writer clock lag tolerated). */
  graceMs: z.number().int().min(0).max(900_000).default(30_000),
  /** Lambda's own retries of a failed pass (asynchronous invocation: 0–2), before the event goes to the DLQ. */
  retryAttempts: z.number().int().min(0).max(2).default(2),
  /** Off: no schedule (the function stays, to invoke by hand). */
  enabled: z.boolean().default(true),
});

const Monitoring = z.object({
  logRetentionDays: z
    .number()
    .int()
    .refine(
      (d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d),
      `CloudWatch Logs retention must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    )
    .default(30),
  /** Subscribed to the alarm topic when set (the subscription must be confirmed from the mail). */
  alarmEmail: z.email().optional(),
  iteratorAgeAlarmMs: z.number().int().min(1000).default(60_000),
  flinkRecordsLagAlarm: z.number().int().min(1).default(10_000),
  lambdaErrorsAlarm: z.number().int().min(1).default(1),
});

const Backend = z.discriminatedUnion('kind', [
  /** State files under infra/terraform-state/ (git-ignored): fine for one person's dev stack. */
  z.object({ kind: z.literal('local') }),
  z.object({
    kind: z.literal('s3'),
    bucket: z.string().min(3),
    keyPrefix: z.string().default('chargeback-cdc'),
    region: z.string().optional(),
    /** Legacy DynamoDB lock table; without it the state is locked with S3 itself (use_lockfile). */
    dynamodbTable: z.string().optional(),
  }),
]);

export const InfraConfig = z.object({
  project: name('project', 20).default('chargeback-cdc'),
  environment: name('environment', 12).default('dev'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'region looks like us-east-1')
    .default('us-east-1'),
  tags: z.record(z.string(), z.string()).default({}),
  backend: Backend.default({ kind: 'local' }),
  network: Network.default({ mode: 'new', cidr: '10.40.0.0/16', natGateway: true, flowLogs: true }),
  table: Table.prefault({}),
  bucket: Bucket.prefault({}),
  /** Where the writers land Parquet (DESIGN §3); the Flink role may write only here. */
  landingPrefix: z
    .string()
    .regex(/^[^/].*\/$/, 'landingPrefix is a key prefix without a leading slash and with a trailing one')
    .default('landing/chargebacks/'),
  kafka: Kafka.prefault({}),
  streamProcessor: StreamProcessor.prefault({}),
  api: Api.prefault({}),
  flink: Flink.prefault({}),
  monitoring: Monitoring.prefault({}),
  catalog: Catalog.prefault({}),
  consolidation: Consolidation.prefault({}),
  hourCloser: HourCloser.prefault({}),
});

export type InfraConfig = z.output<typeof InfraConfig>;
export type InfraConfigInput = z.input<typeof InfraConfig>;

export { InfraConfigError };

/** Validates a config object, reporting every problem at once with its path. */
export function parseInfraConfig(input: unknown, source = 'config'): InfraConfig {
  const result = InfraConfig.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
  throw new InfraConfigError(`invalid infra config (${source}):\n${problems}`);
}

/** Reads the config from the environment: CHARGEBACK_INFRA_CONFIG (JSON file), CHARGEBACK_ENV, AWS_REGION. */
export function loadInfraConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const file = env.CHARGEBACK_INFRA_CONFIG;
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new InfraConfigError(`cannot read infra config ${file}: ${(e as Error).message}`);
    }
  }
  const merged = {
    ...fromFile,
    ...(env.CHARGEBACK_ENV ? { environment: env.CHARGEBACK_ENV } : {}),
    ...(env.AWS_REGION && !fromFile.region ? { region: env.AWS_REGION } : {}),
  };
  return parseInfraConfig(merged, file ?? 'defaults and environment');
}
