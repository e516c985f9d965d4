/**
 * The stream-processor Lambda: DynamoDB stream batches → change records on Kafka.
 *
 * @example
 * const { response } = await processStreamBatch(event, createPorts());
 */
export { handler, createPorts, createStreamProcessor } from './handler.ts';
export { processStreamBatch, type StreamProcessorPorts, type KafkaMessage, type BatchOutcome } from './processStreamBatch.ts';
export { toChangeRecord } from './toChangeRecord.ts';
export { deadLetterOf, sendDeadLetter, type StreamDeadLetter } from './deadLetter.ts';
export * from './errors.ts';
export {
  EventSourceMappingSettings,
  STREAM_PROCESSOR_EVENT_SOURCE_MAPPING,
  StartingPosition,
  OnFailureDestination,
  UNLIMITED,
} from './eventSourceMapping.ts';
