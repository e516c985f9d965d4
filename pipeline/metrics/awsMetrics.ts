import type { MetricName } from './catalogue.ts';

/**
 * The deployed resources a CloudWatch dimension names. Their physical names depend on the
 * deployment, so infra/ fills them in (infra/config/names.ts).
 */
export const Resource = {
  API_FUNCTION: 'api-function',
  STREAM_PROCESSOR_FUNCTION: 'stream-processor-function',
  HTTP_API: 'http-api',
  STREAM_DLQ_QUEUE: 'stream-dlq-queue',
  KAFKA_CLUSTER: 'kafka-cluster',
  TOPIC: 'topic',
  DLQ_TOPIC: 'dlq-topic',
  CONSUMER_GROUP: 'consumer-group',
  FLINK_APPLICATION: 'flink-application',
} as const;
export type Resource = (typeof Resource)[keyof typeof Resource];

export const AwsNamespace = {
  LAMBDA: 'AWS/Lambda',
  SQS: 'AWS/SQS',
  FLINK: 'AWS/KinesisAnalytics',
  KAFKA: 'AWS/Kafka',
  API_GATEWAY: 'AWS/ApiGateway',
} as const;
export type AwsNamespace = (typeof AwsNamespace)[keyof typeof AwsNamespace];

export type Statistic = 'Sum' | 'Maximum' | 'Average' | 'Minimum' | 'p99';

export interface AwsMetricDefinition {
  readonly namespace: AwsNamespace;
  readonly metricName: string;
  /** Dimension name → the resource whose physical name is its value. */
  readonly dimensions: Readonly<Record<string, Resource>>;
  readonly stat: Statistic;
  readonly description: string;
  /** The catalogue metric that measures the same thing in a local run, when there is one. */
  readonly local?: MetricName;
}

const lambdaFn = (fn: Resource, metricName: string, stat: Statistic, description: string, local?: MetricName) =>
  ({
    namespace: AwsNamespace.LAMBDA,
    metricName,
    dimensions: { FunctionName: fn },
    stat,
    description,
    ...(local ? { local } : {}),
  }) as const;
const flink = (metricName: string, stat: Statistic, description: string, local?: MetricName) =>
  ({
    namespace: AwsNamespace.FLINK,
    metricName,
    dimensions: { Application: Resource.FLINK_APPLICATION },
    stat,
    description,
    ...(local ? { local } : {}),
  }) as const;
const msk = (metricName: string, topic: Resource, description: string, local?: MetricName) =>
  ({
    namespace: AwsNamespace.KAFKA,
    metricName,
    dimensions: { 'Cluster Name': Resource.KAFKA_CLUSTER, Topic: topic },
    stat: 'Sum',
    description,
    ...(local ? { local } : {}),
  }) as const;
const sqs = (metricName: string, description: string, local?: MetricName) =>
  ({
    namespace: AwsNamespace.SQS,
    metricName,
    dimensions: { QueueName: Resource.STREAM_DLQ_QUEUE },
    stat: 'Maximum',
    description,
    ...(local ? { local } : {}),
  }) as const;
const apiGateway = (metricName: string, description: string) =>
  ({
    namespace: AwsNamespace.API_GATEWAY,
    metricName,
    dimensions: { ApiId: Resource.HTTP_API },
    stat: 'Sum',
    description,
  }) as const;

const { API_FUNCTION: API_FN, STREAM_PROCESSOR_FUNCTION: SP_FN } = Resource;

/**
 * Metrics AWS publishes for us (we never emit these). Where a local component measures the same
 * quantity, `local` names it: the local dashboard draws and alarms on that instead.
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html ·
 * https://docs.aws.amazon.com/managed-flink/latest/java/metrics-dimensions.html ·
 * https://docs.aws.amazon.com/msk/latest/developerguide/serverless-monitoring.html ·
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export const AwsMetrics = {
  StreamProcessorInvocations: lambdaFn(SP_FN, 'Invocations', 'Sum', 'Invocations of the stream processor.'),
  StreamProcessorErrors: lambdaFn(
    SP_FN,
    'Errors',
    'Sum',
    'Stream-processor invocations that failed (threw, timed out, ran out of memory).',
    'StreamBatchErrors',
  ),
  StreamProcessorThrottles: lambdaFn(SP_FN, 'Throttles', 'Sum', 'Stream-processor invocations throttled.'),
  StreamProcessorDuration: lambdaFn(SP_FN, 'Duration', 'Average', 'Stream-processor invocation time.', 'StreamBatchDuration'),
  StreamProcessorIteratorAge: lambdaFn(
    SP_FN,
    'IteratorAge',
    'Maximum',
    'Age of the last record of each batch the event source mapping read.',
    'IteratorAge',
  ),
  ApiFunctionInvocations: lambdaFn(API_FN, 'Invocations', 'Sum', 'Invocations of the API Lambda.'),
  ApiFunctionErrors: lambdaFn(
    API_FN,
    'Errors',
    'Sum',
    'API Lambda invocations that failed outside the handler (init, timeout, memory).',
  ),
  ApiFunctionDuration: lambdaFn(API_FN, 'Duration', 'p99', 'API Lambda invocation time.', 'ApiLatency'),
  ApiGatewayRequests: apiGateway('Count', 'Requests API Gateway received.'),
  ApiGateway4xx: apiGateway('4xx', 'Requests API Gateway answered 4xx.'),
  ApiGateway5xx: apiGateway('5xx', 'Requests API Gateway answered 5xx.'),
  MskBytesIn: msk('BytesInPerSec', Resource.TOPIC, 'Bytes produced to the chargebacks topic per second.'),
  MskBytesOut: msk('BytesOutPerSec', Resource.TOPIC, 'Bytes consumed from the chargebacks topic per second.'),
  MskMessagesIn: msk(
    'MessagesInPerSec',
    Resource.TOPIC,
    'Records produced to the chargebacks topic per second.',
    'KafkaRecordsProduced',
  ),
  MskDlqMessagesIn: msk(
    'MessagesInPerSec',
    Resource.DLQ_TOPIC,
    'Records produced to the chargebacks-dlq topic per second.',
    'TopicDlqRecords',
  ),
  MskConsumerLag: {
    namespace: AwsNamespace.KAFKA,
    metricName: 'MaxOffsetLag',
    dimensions: { 'Cluster Name': Resource.KAFKA_CLUSTER, 'Consumer Group': Resource.CONSUMER_GROUP, Topic: Resource.TOPIC },
    stat: 'Maximum',
    description: 'Largest offset lag of the writer group over the partitions of the topic.',
    local: 'KafkaConsumerLag',
  },
  FlinkUptime: flink('uptime', 'Maximum', 'Time the Flink job has been running without interruption.'),
  FlinkDowntime: flink(
    'downtime',
    'Maximum',
    'Time the Flink job has been failing or restarting (0 while it runs).',
    'WriterDowntime',
  ),
  FlinkFullRestarts: flink('fullRestarts', 'Maximum', 'Times the Flink job restarted since the application started.'),
  FlinkRecordsIn: flink('numRecordsInPerSecond', 'Average', 'Records the Flink job reads per second.', 'WriterRecordsConsumed'),
  FlinkRecordsOut: flink('numRecordsOutPerSecond', 'Average', 'Records the Flink job emits per second.', 'RowsLanded'),
  FlinkLastCheckpointDuration: flink(
    'lastCheckpointDuration',
    'Maximum',
    'Time the last Flink checkpoint took (pending part files are committed when it completes).',
    'CommitDuration',
  ),
  FlinkFailedCheckpoints: flink(
    'numberOfFailedCheckpoints',
    'Maximum',
    'Failed checkpoints since the job started (cumulative).',
    'CheckpointFailures',
  ),
  FlinkKpus: flink('KPUs', 'Maximum', 'Kinesis Processing Units the application uses.'),
  FlinkRecordsLag: flink(
    'records_lag_max',
    'Maximum',
    'Largest number of records the Flink Kafka source is behind, over its partitions.',
    'KafkaConsumerLag',
  ),
  StreamDlqVisible: sqs(
    'ApproximateNumberOfMessagesVisible',
    'Messages waiting in the stream-processor dead-letter queue.',
    'StreamDlqDepth',
  ),
  StreamDlqOldestAge: sqs(
    'ApproximateAgeOfOldestMessage',
    'Age (seconds) of the oldest message in the stream-processor dead-letter queue.',
  ),
} as const satisfies Record<string, AwsMetricDefinition>;

export type AwsMetricKey = keyof typeof AwsMetrics;
export const AWS_METRIC_KEYS = Object.keys(AwsMetrics) as AwsMetricKey[];
