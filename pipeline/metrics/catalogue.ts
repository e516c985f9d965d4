/**
 * THE metric catalogue: every number the pipeline reports, defined once. The stages emit these
 * names (through Powertools Metrics in the Lambdas, into the in-process registry elsewhere), the
 * local dashboard and `/metrics` read them, and `infra/monitoring/` builds the CloudWatch
 * dashboard and alarms from the same definitions (with `awsMetrics.ts`, `alarms.ts`, `widgets.ts`).
 */

/** Our own CloudWatch namespace (EMF `_aws.CloudWatchMetrics[].Namespace`). */
export const NAMESPACE = 'ChargebackCdc';

/** CloudWatch units (the strings Powertools' `MetricUnit` and the PutMetricData API use). */
export const Unit = {
  COUNT: 'Count',
  MILLISECONDS: 'Milliseconds',
  BYTES: 'Bytes',
  SECONDS: 'Seconds',
  PERCENT: 'Percent',
  COUNT_PER_SECOND: 'Count/Second',
  BYTES_PER_SECOND: 'Bytes/Second',
} as const;
export type Unit = (typeof Unit)[keyof typeof Unit];

/**
 * counter: only goes up (per process; a restart starts it again, as Prometheus expects) ·
 * gauge: a level sampled now · timing: a distribution of durations (count, sum, buckets).
 */
export const MetricKind = { COUNTER: 'counter', GAUGE: 'gauge', TIMING: 'timing' } as const;
export type MetricKind = (typeof MetricKind)[keyof typeof MetricKind];

export const Stage = {
  API: 'api',
  STREAM_PROCESSOR: 'stream-processor',
  EVENT_SOURCE_MAPPING: 'event-source-mapping',
  KAFKA: 'kafka',
  WRITER: 'writer',
  DEAD_LETTERS: 'dead-letters',
} as const;
export type Stage = (typeof Stage)[keyof typeof Stage];

/** Powertools `serviceName` of each Lambda: the `service` dimension of its metrics (and its Logger's service). */
export const Service = { API: 'chargeback-api', STREAM_PROCESSOR: 'chargeback-stream-processor' } as const;
export type Service = (typeof Service)[keyof typeof Service];

/**
 * Where a metric comes from. `lambda`: emitted by our Lambda code through Powertools (EMF), so it
 * exists in CloudWatch under NAMESPACE and locally. `local`: produced only by a local component
 * (the event source mapping stand-in, the embedded writer, the dashboard's own probes); in AWS the
 * same quantity is published by AWS itself — see `local` in awsMetrics.ts.
 */
export const Origin = { LAMBDA: 'lambda', LOCAL: 'local' } as const;
export type Origin = (typeof Origin)[keyof typeof Origin];

export interface MetricDefinition {
  readonly unit: Unit;
  readonly kind: MetricKind;
  readonly stage: Stage;
  readonly origin: Origin;
  /** Dimension names, in order. Lambda metrics carry Powertools' `service` default dimension. */
  readonly dimensions: readonly string[];
  /** How the values of several processes combine (gauges only; counters and timings add up). */
  readonly aggregate?: 'sum' | 'max';
  readonly description: string;
}

const lambda = (stage: Stage, kind: MetricKind, unit: Unit, description: string) =>
  ({ stage, kind, unit, origin: Origin.LAMBDA, dimensions: ['service'], description }) as const;
const local = (
  stage: Stage,
  kind: MetricKind,
  unit: Unit,
  description: string,
  more: { dimensions?: readonly string[]; aggregate?: 'sum' | 'max' } = {},
) =>
  ({
    stage,
    kind,
    unit,
    origin: Origin.LOCAL,
    dimensions: more.dimensions ?? [],
    ...(more.aggregate ? { aggregate: more.aggregate } : {}),
    description,
  }) as const;

const { COUNTER, GAUGE, TIMING } = MetricKind;

/** Every metric, by its CloudWatch metric name. */
export const Catalogue = {
  // ── API (pipeline/api/handler.ts) ──────────────────────────────────────────────
  ApiRequests: lambda(Stage.API, COUNTER, Unit.COUNT, 'Requests the chargeback API answered.'),
  ApiClientErrors: lambda(
    Stage.API,
    COUNTER,
    Unit.COUNT,
    'Requests answered 4xx (invalid body, unknown chargeback, illegal status change).',
  ),
  ApiServerErrors: lambda(
    Stage.API,
    COUNTER,
    Unit.COUNT,
    'Requests answered 5xx: the API failed (DynamoDB unreachable, a bug). The handler catches these, so AWS/Lambda Errors does not count them.',
  ),
  ApiLatency: lambda(Stage.API, TIMING, Unit.MILLISECONDS, 'Time the API handler took per request.'),
  ChargebacksCreated: lambda(Stage.API, COUNTER, Unit.COUNT, 'Chargebacks accepted (POST answered 201).'),

  // ── stream processor (pipeline/stream-processor/handler.ts) ───────────────────
  StreamBatches: lambda(
    Stage.STREAM_PROCESSOR,
    COUNTER,
    Unit.COUNT,
    'DynamoDB stream batches the stream processor was invoked with (retries included).',
  ),
  StreamRecords: lambda(Stage.STREAM_PROCESSOR, COUNTER, Unit.COUNT, 'Stream records in those batches.'),
  KafkaRecordsProduced: lambda(
    Stage.STREAM_PROCESSOR,
    COUNTER,
    Unit.COUNT,
    'Change records Kafka acknowledged (acks=all) on the chargebacks topic.',
  ),
  StreamRecordsDeadLettered: lambda(
    Stage.STREAM_PROCESSOR,
    COUNTER,
    Unit.COUNT,
    'Poison stream records sent to the SQS dead-letter queue with their reason.',
  ),
  StreamRecordFailures: lambda(
    Stage.STREAM_PROCESSOR,
    COUNTER,
    Unit.COUNT,
    'Records reported as batch item failures (or in a batch that failed whole): the event source mapping retries them.',
  ),
  StreamBatchErrors: lambda(
    Stage.STREAM_PROCESSOR,
    COUNTER,
    Unit.COUNT,
    'Batches that failed whole (the invocation threw; the event source mapping retries with bisect).',
  ),
  StreamBatchDuration: lambda(
    Stage.STREAM_PROCESSOR,
    TIMING,
    Unit.MILLISECONDS,
    'Time one stream batch took, Kafka produce and dead letters included.',
  ),

  // ── event source mapping (localstack/event-source-mapping; AWS runs its own) ──
  IteratorAge: local(
    Stage.EVENT_SOURCE_MAPPING,
    GAUGE,
    Unit.MILLISECONDS,
    'Age of the newest record of each batch handed to the stream processor: how far behind the stream it is. Reported with batches only, as AWS does (no data while the stream is idle).',
    { aggregate: 'max' },
  ),
  StreamOnFailureRecords: local(
    Stage.EVENT_SOURCE_MAPPING,
    COUNTER,
    Unit.COUNT,
    'Records the event source mapping gave up on (retries or record age exhausted) and sent to the on-failure destination.',
  ),
  EsmUpstreamErrors: local(
    Stage.EVENT_SOURCE_MAPPING,
    COUNTER,
    Unit.COUNT,
    'Failed AWS call attempts of the event source mapping, by Kind (server-error, throttling, client-error, network) and Operation; the SDK retries them and the mapping resumes from its checkpoint, so they cost time, not records. moto\'s HTTP 500 under concurrent load ("dictionary changed size during iteration" in moto.log) counts as server-error.',
    { dimensions: ['Kind', 'Operation'] },
  ),

  // ── Kafka (probed by the dashboard with the Kafka admin API) ───────────────────
  KafkaConsumerLag: local(
    Stage.KAFKA,
    GAUGE,
    Unit.COUNT,
    'Records of the chargebacks topic not yet committed by the writer group, per partition (end offset − committed offset).',
    { dimensions: ['Partition'], aggregate: 'max' },
  ),
  TopicDlqRecords: local(
    Stage.DEAD_LETTERS,
    COUNTER,
    Unit.COUNT,
    'Records ever written to the chargebacks-dlq topic (its end offsets summed): poison records the writer could not land.',
  ),

  // ── writer (cli/components/writerComponent.ts, from WriterStats and WriterEvents) ──
  WriterRecordsConsumed: local(Stage.WRITER, COUNTER, Unit.COUNT, 'Records the writer took from Kafka.'),
  RowsLanded: local(Stage.WRITER, COUNTER, Unit.COUNT, 'Rows in Parquet part files the writer committed.'),
  FilesCommitted: local(Stage.WRITER, COUNTER, Unit.COUNT, 'Parquet part files committed (visible to readers).'),
  BytesCommitted: local(Stage.WRITER, COUNTER, Unit.BYTES, 'Bytes of the committed part files.'),
  WriterDeadLetters: local(Stage.WRITER, COUNTER, Unit.COUNT, 'Records the writer sent to the chargebacks-dlq topic.'),
  DuplicatesDropped: local(
    Stage.WRITER,
    COUNTER,
    Unit.COUNT,
    'Change records dropped as duplicates (same event_id/sequence_number re-published upstream).',
  ),
  OpenBuckets: local(Stage.WRITER, GAUGE, Unit.COUNT, 'Buckets (YYYY-MM-DD/HH) with an in-progress part file.', {
    aggregate: 'sum',
  }),
  BufferedBytes: local(
    Stage.WRITER,
    GAUGE,
    Unit.BYTES,
    'Bytes held in open and uploading part files (bounded: the consumer pauses at the cap).',
    { aggregate: 'sum' },
  ),
  Checkpoints: local(Stage.WRITER, COUNTER, Unit.COUNT, 'Checkpoints committed (per partition).'),
  CommitDuration: local(
    Stage.WRITER,
    TIMING,
    Unit.MILLISECONDS,
    "Commit phase of a checkpoint: from its first part file made visible to its Kafka offset committed (the writer's events carry no start time of the upload phase).",
  ),
  CheckpointFailures: local(
    Stage.WRITER,
    COUNTER,
    Unit.COUNT,
    'Checkpoint steps that failed and are being retried (S3 or Kafka unavailable), or a partition fenced by another writer.',
  ),
  WriterDowntime: local(
    Stage.WRITER,
    GAUGE,
    Unit.MILLISECONDS,
    'How long no writer process has been running (0 while one runs), as Managed Flink reports downtime.',
    { aggregate: 'max' },
  ),

  // ── dead letters (probed by the dashboard) ─────────────────────────────────────
  StreamDlqDepth: local(
    Stage.DEAD_LETTERS,
    GAUGE,
    Unit.COUNT,
    'Messages waiting in the stream-processor SQS dead-letter queue (ApproximateNumberOfMessages).',
    { aggregate: 'max' },
  ),
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof Catalogue;
export const METRIC_NAMES = Object.keys(Catalogue) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(Catalogue, name);
}

export function metricDefinition(name: MetricName): MetricDefinition {
  return Catalogue[name];
}

/** The headline figures of the local dashboard, in order. */
export const HEADLINE: readonly MetricName[] = [
  'ChargebacksCreated',
  'StreamRecords',
  'KafkaRecordsProduced',
  'RowsLanded',
  'FilesCommitted',
  'StreamDlqDepth',
  'TopicDlqRecords',
];
