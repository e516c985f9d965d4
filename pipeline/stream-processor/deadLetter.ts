import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBRecord } from 'aws-lambda';
import { formatFieldErrors, type FieldError } from '../schema/index.ts';

/**
 * The poison-record dead letter we control (DESIGN §10: the ESM's own on-failure destination
 * only gets batch metadata). The message holds the reason, each field error and the whole
 * original stream record, so it can be fixed and replayed.
 */
export interface StreamDeadLetter {
  kind: 'chargeback-cdc.stream-dead-letter';
  reason: string;
  errors: FieldError[];
  eventID: string | undefined;
  sequenceNumber: string | undefined;
  eventSourceARN: string | undefined;
  deadLetteredAt: string;
  record: DynamoDBRecord;
}

export function deadLetterOf(record: DynamoDBRecord, errors: FieldError[], now = new Date()): StreamDeadLetter {
  return {
    kind: 'chargeback-cdc.stream-dead-letter',
    reason: formatFieldErrors(errors),
    errors,
    eventID: record.eventID,
    sequenceNumber: record.dynamodb?.SequenceNumber,
    eventSourceARN: record.eventSourceARN,
    deadLetteredAt: now.toISOString(),
    record,
  };
}

export async function sendDeadLetter(sqs: SQSClient, queueUrl: string, letter: StreamDeadLetter): Promise<void> {
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(letter),
      MessageAttributes: { reason: { DataType: 'String', StringValue: letter.reason.slice(0, 1024) } },
    }),
  );
}
