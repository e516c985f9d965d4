import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { encodeChangeRecord } from '../schema/index.ts';
import { toChangeRecord } from './toChangeRecord.ts';
import { deadLetterOf, type StreamDeadLetter } from './deadLetter.ts';
import { DeadLetterError, KafkaPublishError } from './errors.ts';

/**
 * One change on the topic: key chargeback_id, value the change record's JSON. No headers: the
 * value is self-describing (schema_version, event_id and event_type are its first fields), and
 * headers repeating those fields were most of kafkajs's encoding cost (measured in docs/benchmarks.md).
 */
export interface KafkaMessage {
  key: string;
  value: Buffer;
}

/** The I/O the batch logic needs, injected so the logic is testable without servers. */
export interface StreamProcessorPorts {
  /** Sends every message in one Kafka produce call (idempotent producer, acks=all); throws on failure. */
  publish(messages: KafkaMessage[]): Promise<void>;
  deadLetter(letter: StreamDeadLetter): Promise<void>;
  log?(level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>): void;
}

export interface BatchOutcome {
  response: DynamoDBBatchResponse;
  published: number;
  deadLettered: number;
  failed: number;
}

/**
 * One DynamoDB stream batch → Kafka, with partial batch failures (ReportBatchItemFailures).
 * 1. Every record becomes a change record, or a poison record (it can never succeed).
 * 2. Poison records go to the dead-letter queue with their reason; they are then *done*, so
 *    they don't block the shard. If the DLQ itself fails they become batch item failures.
 * 3. All good records go to Kafka in ONE produce call, keyed by chargeback_id; if it fails
 *    they all become batch item failures and the event source mapping retries from the lowest.
 * 4. Powertools' BatchProcessor builds the response (itemIdentifier = SequenceNumber).
 */
export async function processStreamBatch(event: DynamoDBStreamEvent, ports: StreamProcessorPorts): Promise<BatchOutcome> {
  const failures = new Map<DynamoDBRecord, Error>();
  const messages: KafkaMessage[] = [];
  const good: DynamoDBRecord[] = [];
  const poison: Array<Promise<void>> = [];
  let deadLettered = 0;

  for (const record of event.Records) {
    const change = toChangeRecord(record);
    if (change.ok) {
      good.push(record);
      messages.push({ key: change.value.chargeback_id, value: encodeChangeRecord(change.value) });
      continue;
    }
    const letter = deadLetterOf(record, change.errors);
    ports.log?.('warn', 'poison stream record dead-lettered', { eventID: record.eventID, reason: letter.reason });
    poison.push(
      ports.deadLetter(letter).then(
        () => void deadLettered++,
        (e) =>
          void failures.set(
            record,
            new DeadLetterError(`dead-letter queue refused record ${record.eventID}: ${(e as Error).message}`, { cause: e }),
          ),
      ),
    );
  }

  const publishing =
    messages.length === 0
      ? Promise.resolve()
      : ports.publish(messages).catch((e) => {
          const err = new KafkaPublishError(`Kafka did not acknowledge ${messages.length} records: ${(e as Error).message}`, {
            cause: e,
          });
          ports.log?.('error', err.message);
          for (const r of good) failures.set(r, err);
        });
  await Promise.all([publishing, ...poison]);

  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const response = await processPartialResponse(
    event,
    async (record: DynamoDBRecord) => {
      const failure = failures.get(record);
      if (failure) throw failure;
    },
    processor,
  );
  return { response, published: good.length - countIn(failures, good), deadLettered, failed: failures.size };
}

function countIn(failures: Map<DynamoDBRecord, Error>, records: DynamoDBRecord[]): number {
  return records.filter((r) => failures.has(r)).length;
}
