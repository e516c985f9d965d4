import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  SCHEMA_VERSION,
  isoFromMillis,
  millisFromEpochSeconds,
  validateChangeRecord,
  type ChangeRecord,
  type FieldError,
  type Validated,
} from '../schema/index.ts';

/**
 * DynamoDB stream record (Lambda event shape) → change record. Pure: no I/O, so property tests
 * can hammer it. INSERT and MODIFY carry the new image, REMOVE the old one; `previous_status`
 * is the old image's status. Numbers are unmarshalled with wrapNumbers so the amount keeps its
 * exact decimal text. A record that cannot become a valid change record returns every problem.
 */
export function toChangeRecord(record: DynamoDBRecord): Validated<ChangeRecord> {
  const errors: FieldError[] = [];
  const ddb = record.dynamodb;
  if (!record.eventID) errors.push({ field: 'eventID', problem: 'is missing' });
  if (!record.eventName) errors.push({ field: 'eventName', problem: 'is missing' });
  if (!ddb?.SequenceNumber) errors.push({ field: 'dynamodb.SequenceNumber', problem: 'is missing' });
  if (typeof ddb?.ApproximateCreationDateTime !== 'number') errors.push({ field: 'dynamodb.ApproximateCreationDateTime', problem: 'is missing' });
  const imageName = record.eventName === 'REMOVE' ? 'OldImage' : 'NewImage';
  const image = ddb?.[imageName];
  if (!image) errors.push({ field: `dynamodb.${imageName}`, problem: `is missing; the stream must use NEW_AND_OLD_IMAGES` });
  if (errors.length) return { ok: false, errors };

  const current = plainImage(image as Record<string, AttributeValue>);
  const old = ddb!.OldImage ? plainImage(ddb!.OldImage as Record<string, AttributeValue>) : undefined;
  const candidate = {
    schema_version: SCHEMA_VERSION,
    event_id: record.eventID,
    event_type: record.eventName,
    sequence_number: ddb!.SequenceNumber,
    event_time: isoFromMillis(millisFromEpochSeconds(ddb!.ApproximateCreationDateTime!)),
    chargeback_id: current.chargeback_id,
    merchant_id: current.merchant_id,
    amount: current.amount,
    currency: current.currency,
    reason: current.reason,
    status: current.status,
    previous_status: record.eventName === 'INSERT' ? null : (old?.status ?? null),
    created_at: current.created_at,
    updated_at: current.updated_at,
  };
  return validateChangeRecord(candidate);
}

/** Unmarshalls an image keeping numbers as their exact decimal text. */
function plainImage(image: Record<string, AttributeValue>): Record<string, unknown> {
  const plain = unmarshall(image, { wrapNumbers: true }) as Record<string, unknown>;
  for (const [k, v] of Object.entries(plain)) {
    if (v && typeof v === 'object' && 'value' in v && typeof (v as { value: unknown }).value === 'string' && Object.keys(v).length === 1) {
      plain[k] = (v as { value: string }).value;
    }
  }
  return plain;
}
