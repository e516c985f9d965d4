import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { Producer } from 'kafkajs';
import { awsClientConfigFromEnv } from '../aws/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../kafka/index.ts';
import { processStreamBatch, type StreamProcessorPorts } from './processStreamBatch.ts';
import { sendDeadLetter } from './deadLetter.ts';

const logger = new Logger({ serviceName: 'chargeback-stream-processor' });

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

let ports: ReturnType<typeof createPorts> | undefined;

/** Lambda entry point for the DynamoDB stream event source mapping (FunctionResponseTypes: ReportBatchItemFailures). */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  ports ??= createPorts();
  const outcome = await processStreamBatch(event, ports);
  logger.info('batch processed', { records: event.Records.length, published: outcome.published, deadLettered: outcome.deadLettered, failed: outcome.failed });
  return outcome.response;
}
