import { Kafka, logLevel, type Admin } from 'kafkajs';
import { createKafka } from '../../pipeline/kafka/index.ts';
import type { StackConfig } from '../config.ts';

/**
 * The Kafka client the stack uses for health checks and topic admin. Against MSK (external backend,
 * KAFKA_AUTH=msk-iam) it is the pipeline's own client. Locally it is a plaintext client with short
 * retries and kafkajs' logger off: readiness polling expects failures (broker still starting,
 * coordinators loading), and they reach us as rejections, so its own error logs would only be noise
 * in the output of `stack up`.
 */
export function stackKafka(cfg: StackConfig, clientId = 'chargeback-cdc-localstack'): Kafka {
  if (cfg.kafkaAuth === 'msk-iam') {
    return createKafka({ clientId, brokers: cfg.kafkaBrokers, auth: 'msk-iam', region: cfg.region });
  }
  return new Kafka({
    clientId,
    brokers: cfg.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    retry: { initialRetryTime: 100, maxRetryTime: 1_000, retries: 10 },
  });
}

/** Runs `fn` with a connected admin client and always disconnects it. */
export async function withAdmin<T>(kafka: Kafka, fn: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
