/**
 * Kafka clients shared by the stream processor and the writer.
 *
 * @example
 * const kafka = createKafka(kafkaConfigFromEnv('stream-processor'));
 */
export { createKafka, kafkaConfigFromEnv, KafkaAuth, KafkaClientConfig } from './kafkaClient.ts';
export { Topics, DlqHeaders } from './topics.ts';
export {
  HandOverNotAppliedError,
  HandOverRefusedError,
  handOverOffsets,
  landedThrough,
  planHandOver,
  refuseWhileGroupsActive,
  type HandOverOptions,
  type HandOverResult,
  type PartitionHandOver,
  type TailRecord,
} from './handOverOffsets.ts';
export { readTopicTail, type TopicTail } from './handOverOffsetsTail.ts';
