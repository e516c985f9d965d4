/** Stream-processor errors; `canRetry` tells the batch logic whether a retry can ever help. */
import { CdcError } from '../errors/index.ts';

export class StreamProcessorError extends CdcError {
  static override readonly code: string = 'STREAM_PROCESSOR';
  override readonly canRetry: boolean = true;
}

/** Kafka did not acknowledge the batch: the records stay failures so the event source retries them. */
export class KafkaPublishError extends StreamProcessorError {
  static override readonly code = 'KAFKA_PUBLISH';
}

/** The dead-letter queue refused a poison record: keep it as a failure so it is not lost. */
export class DeadLetterError extends StreamProcessorError {
  static override readonly code = 'DEAD_LETTER';
}
