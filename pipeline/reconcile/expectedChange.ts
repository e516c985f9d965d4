import type { _Record as StreamRecord, AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import {
  CHANGE_RECORD_FIELDS,
  SCHEMA_VERSION,
  validateChangeRecord,
  type ChangeRecord,
  type Validated,
} from '../schema/index.ts';

/**
 * What must land for one raw stream record (GetRecords output), worked out without the stream
 * processor's code. Reconcile and the acceptance steps compare landed rows with this, so a bug in
 * `toChangeRecord` shows up as a mismatch instead of being reproduced on both sides of the
 * comparison.
 *
 * Deliberately plain, and driven by the schema's field list: every field of `CHANGE_RECORD_FIELDS`
 * is either CDC metadata read straight off the record, or the image attribute of the same name
 * read as its S or N text — the new image, or the old one for a REMOVE. A field the schema gains
 * is therefore expected from the image without a change here. Whether the result may land at all
 * is the schema's validator's call: an invalid one is poison (dead-lettered, never landed).
 */
export function expectedChange(record: StreamRecord): Validated<ChangeRecord> {
  const stream = record.dynamodb;
  const imageName = record.eventName === 'REMOVE' ? 'OldImage' : 'NewImage';
  const image = stream?.[imageName];
  if (!image) return { ok: false, errors: [{ field: `dynamodb.${imageName}`, problem: 'is missing' }] };
  const created = stream.ApproximateCreationDateTime;
  const metadata: Record<string, unknown> = {
    schema_version: SCHEMA_VERSION,
    event_id: record.eventID,
    event_type: record.eventName,
    sequence_number: stream.SequenceNumber,
    // The SDK hands ApproximateCreationDateTime over as a Date; the schema wants ISO-8601 UTC millis.
    event_time: created instanceof Date && !Number.isNaN(created.getTime()) ? created.toISOString() : undefined,
    // An INSERT has no previous state; a MODIFY or REMOVE had the old image's status.
    previous_status: record.eventName === 'INSERT' ? null : (text(stream.OldImage?.status) ?? null),
  };
  const candidate = Object.fromEntries(
    (CHANGE_RECORD_FIELDS as readonly string[]).map((f) => [f, Object.hasOwn(metadata, f) ? metadata[f] : text(image[f])]),
  );
  return validateChangeRecord(candidate);
}

/** An attribute as the text DynamoDB holds; anything but S or N is no value a change record field can take. */
function text(av: AttributeValue | undefined): string | undefined {
  return av?.S ?? av?.N;
}
