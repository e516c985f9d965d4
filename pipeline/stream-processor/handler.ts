import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Producer } from 'kafkajs';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../kafka/index.ts';
import { Service, stageMetrics, type CatalogueMetrics } from '../metrics/index.ts';
import { processStreamBatch, type BatchOutcome, type StreamProcessorPorts } from './processStreamBatch.ts';
import { sendDeadLetter } from './deadLetter.ts';

const logger = new Logger({ serviceName: Service.STREAM_PROCESSOR });

/**
 * Builds the real ports: an idempotent kafkajs producer (acks=all, one request in flight so
 * retries cannot reorder a chargeback's changes) and the SQS dead-letter queue.
 */
export function createPorts(env: NodeJS.ProcessEnv = process.env): StreamProcessorPorts & { producer: Producer } {
  const topic = env.KAFKA_TOPIC ?? Topics.CHANGES;
  const dlqUrl = env.DLQ_QUEUE_URL;
  if (!dlqUrl) throw new Error('DLQ_QUEUE_URL is not set: the stream processor needs its dead-letter queue URL');
  const producer = createKafka(kafkaConfigFromEnv('chargeback-stream-processor', env)).producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  const sqs = new SQSClient(awsClientConfigFromEnv(env));
  let connected: Promise<void> | undefined;
  return {
    producer,
    async publish(messages) {
      connected ??= producer.connect().catch((e) => {
        connected = undefined;
        throw e;
      });
      await connected;
      await producer.send({ topic, acks: -1, messages });
    },
    deadLetter: (letter) => sendDeadLetter(sqs, dlqUrl, letter),
    log: (level, message, extra) => logger[level](message, extra ?? {}),
  };
}

/**
 * One invocation: the batch logic, then its metrics through Powertools Metrics (EMF in Lambda,
 * the registry locally), published once per batch whether it succeeded or threw. The local event
 * source mapping invokes exactly this.
 */
export function createStreamProcessor(
  ports: StreamProcessorPorts,
  metrics: CatalogueMetrics = stageMetrics(Service.STREAM_PROCESSOR),
) {
  return async function processBatch(event: DynamoDBStreamEvent): Promise<BatchOutcome> {
    const started = performance.now();
    metrics.record('StreamBatches', 1).record('StreamRecords', event.Records.length);
    try {
      const outcome = await processStreamBatch(event, ports);
      metrics
        .record('KafkaRecordsProduced', outcome.published)
        .record('StreamRecordsDeadLettered', outcome.deadLettered)
        .record('StreamRecordFailures', outcome.failed)
        .record('StreamBatchErrors', 0);
      return outcome;
    } catch (e) {
      // The whole batch failed (every record): the invocation errors and the event source mapping retries it.
      metrics.record('StreamRecordFailures', event.Records.length).record('StreamBatchErrors', 1);
      throw e;
    } finally {
      metrics.record('StreamBatchDuration', performance.now() - started);
      metrics.publishStoredMetrics();
    }
  };
}

let processBatch: ReturnType<typeof createStreamProcessor> | undefined;

/** Lambda entry point for the DynamoDB stream event source mapping (FunctionResponseTypes: ReportBatchItemFailures). */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  processBatch ??= createStreamProcessor(createPorts());
  const outcome = await processBatch(event);
  logger.info('batch processed', {
    records: event.Records.length,
    published: outcome.published,
    deadLettered: outcome.deadLettered,
    failed: outcome.failed,
  });
  return outcome.response;
}
