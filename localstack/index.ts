/**
 * The local stack (DESIGN §3): DynamoDB + Streams, S3 and SQS on 127.0.0.1:4566 and Kafka on
 * 127.0.0.1:9092, from one of three backends chosen by LOCAL_STACK=auto|native|containers|external.
 *
 * @example
 * const info = await stackUp();                 // starts or reuses, creates resources
 * const ddb = new DynamoDBClient(localAwsClientConfig());
 * await resetResources();                       // between scenarios
 * await stackDown();
 */

/**
 * @example
 * const { backend, resources } = await stackUp({ onProgress: console.log });
 * console.log(backend, resources.table.streamArn);
 */
export {
  stackUp,
  stackDown,
  stackStatus,
  stopKafka,
  startKafka,
  type StackInfo,
  type StackStatus,
  type StackOptions,
} from './stack.ts';

/**
 * @example
 * const { tookMs, resources } = await resetResources(loadStackConfig());
 */
export { ensureResources, resetResources, type StackResources, type ResetReport } from './resources.ts';

/**
 * @example
 * const s3 = new S3Client(localAwsClientConfig());
 * await s3.send(new PutObjectCommand({ Bucket: LocalNames.bucket, Key: `${LocalNames.landingPrefix}x`, Body: '' }));
 */
export {
  LocalNames,
  LocalPorts,
  Backend,
  loadStackConfig,
  localAwsClientConfig,
  describeStackConfig,
  type StackConfig,
  type RunningBackend,
  type AwsSdkClientConfig,
} from './config.ts';

/**
 * @example
 * for (const line of formatStackStatus(await stackStatus())) console.log(line);
 */
export { formatStackStatus } from './formatStackStatus.ts';
export type { ServiceStatus } from './backends/StackBackend.ts';
export type { TableInfo, QueueInfo } from './awsResources.ts';
/** The Glue table `stack up` registers on moto (StackResources.catalog). */
export { getCatalogTable, type CatalogInfo } from './glueCatalog.ts';
export type { TopicInfo } from './kafka/topics.ts';
export { KAFKA_VERSION } from './kafka/KafkaJars.ts';
export { MOTO_VERSION } from './moto/MotoInstaller.ts';
export * from './errors.ts';
