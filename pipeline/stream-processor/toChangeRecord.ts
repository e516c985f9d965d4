import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  CHARGEBACK_FIELDS,
  compileFieldMapper,
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
 * is the old image's status. Numbers keep their exact decimal text (N is read as text). A record
 * that cannot become a valid change record returns every problem.
 */
export function toChangeRecord(record: DynamoDBRecord): Validated<ChangeRecord> {
  const errors: FieldError[] = [];
  const ddb = record.dynamodb;
  if (!record.eventID) errors.push({ field: 'eventID', problem: 'is missing' });
  if (!record.eventName) errors.push({ field: 'eventName', problem: 'is missing' });
  if (!ddb?.SequenceNumber) errors.push({ field: 'dynamodb.SequenceNumber', problem: 'is missing' });
  if (typeof ddb?.ApproximateCreationDateTime !== 'number')
    errors.push({ field: 'dynamodb.ApproximateCreationDateTime', problem: 'is missing' });
  const imageName = record.eventName === 'REMOVE' ? 'OldImage' : 'NewImage';
  const image = ddb?.[imageName];
  if (!image) errors.push({ field: `dynamodb.${imageName}`, problem: `is missing; the stream must use NEW_AND_OLD_IMAGES` });
  if (errors.length) return { ok: false, errors };

  const candidate = chargebackOfImage(image as Record<string, AttributeValue>);
  candidate.schema_version = SCHEMA_VERSION;
  candidate.event_id = record.eventID;
  candidate.event_type = record.eventName;
  candidate.sequence_number = ddb!.SequenceNumber;
  candidate.event_time = isoFromMillis(millisFromEpochSeconds(ddb!.ApproximateCreationDateTime!));
  const oldStatus = (ddb!.OldImage as Record<string, AttributeValue> | undefined)?.status;
  candidate.previous_status = record.eventName === 'INSERT' ? null : ((oldStatus && plainValue(oldStatus)) ?? null);
  return validateChangeRecord(candidate);
}

/**
 * The chargeback fields of an image (the schema's CHARGEBACK_FIELDS), each as a plain value; the
 * CDC metadata is added by the caller. Validation then puts the fields in Avro order.
 */
const chargebackOfImage: (image: object) => Record<string, unknown> = compileFieldMapper(
  CHARGEBACK_FIELDS.map((name) => ({ name, convert: plainValue })),
);

/**
 * One attribute of an image as a plain value. S and N are read directly (N keeps its exact
 * decimal text); only the fields the change record uses are touched, since unmarshalling whole
 * images was the handler's largest cost. Any other type goes through unmarshall (wrapNumbers),
 * and an attribute even that refuses is returned as it is: validation then names the field, so
 * one malformed image is dead-lettered instead of failing the whole batch.
 */
function plainValue(av: AttributeValue | undefined): unknown {
  if (av === undefined) return undefined;
  if (typeof av.S === 'string') return av.S;
  if (typeof av.N === 'string') return av.N;
  try {
    const value = unmarshall({ attribute: av }, { wrapNumbers: true }).attribute as unknown;
    return isWrappedNumber(value) ? value.value : value;
  } catch {
    return av;
  }
}

/**
 * util-dynamodb's NumberValue, which unmarshall returns for an N that is not text (a malformed event);
 * matched by shape because a named import of the class does not resolve from its CJS build under ESM.
 */
function isWrappedNumber(v: unknown): v is { value: string } {
  return !!v && typeof v === 'object' && typeof (v as { value?: unknown }).value === 'string' && Object.keys(v).length === 1;
}
