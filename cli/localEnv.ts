import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';

/**
 * The local stack contract (DESIGN §3) expressed as the environment every component reads, so
 * local and cloud differ only in configuration. Values already set by the user win, which is
 * how the `external` backend points the same components at another stack.
 */
export const LOCAL_ENV = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  KAFKA_BROKERS: '127.0.0.1:9092',
  KAFKA_AUTH: 'plaintext',
  TABLE_NAME: 'chargebacks',
  LANDING_BUCKET: 'chargeback-cdc-landing',
  STREAM_DLQ_QUEUE: 'chargebacks-stream-processor-dlq',
  API_PORT: '3000',
} as const;

export function applyLocalEnv(env: NodeJS.ProcessEnv = process.env): void {
  if (env.LOCAL_STACK === 'external') return;
  for (const [k, v] of Object.entries(LOCAL_ENV)) env[k] ??= v;
}

/** Resolves the stream processor's dead-letter queue URL (DLQ_QUEUE_URL) from its name once. */
export async function resolveDlqQueueUrl(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.DLQ_QUEUE_URL) return env.DLQ_QUEUE_URL;
  const sqs = new SQSClient(awsClientConfigFromEnv(env));
  const r = await sqs.send(new GetQueueUrlCommand({ QueueName: env.STREAM_DLQ_QUEUE ?? LOCAL_ENV.STREAM_DLQ_QUEUE }));
  sqs.destroy();
  env.DLQ_QUEUE_URL = r.QueueUrl!;
  return r.QueueUrl!;
}
