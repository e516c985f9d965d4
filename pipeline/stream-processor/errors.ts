/** Stream-processor errors; `canRetry` tells the batch logic whether a retry can ever help. */
export class StreamProcessorError extends Error {
  static readonly code: string = 'STREAM_PROCESSOR';
  readonly canRetry: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Kafka did not acknowledge the batch: the records stay failures so the event source retries them. */
export class KafkaPublishError extends StreamProcessorError {
  static override readonly code = 'KAFKA_PUBLISH';
}

/** The dead-letter queue refused a poison record: keep it as a failure so it is not lost. */
export class DeadLetterError extends StreamProcessorError {
  static override readonly code = 'DEAD_LETTER';
}
