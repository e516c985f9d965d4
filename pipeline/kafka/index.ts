/**
 * Kafka clients shared by the stream processor and the writer.
 *
 * @example
 * const kafka = createKafka(kafkaConfigFromEnv('stream-processor'));
 */
export { createKafka, kafkaConfigFromEnv, KafkaAuth, KafkaClientConfig } from './kafkaClient.ts';
export { Topics, DlqHeaders } from './topics.ts';
