import type { Chargeback } from './chargeback.ts';
import type { ChargebackStatus, EventType } from './vocabulary.ts';

/**
 * The change record: one DynamoDB stream record of one chargeback, as it travels on the
 * `chargebacks` topic (UTF-8 JSON, key = chargeback_id). Field names and order are the Avro
 * schema's; `avroSchema.test.ts` fails when this type, the zod schema and the Avro schema
 * disagree about them.
 */
export interface ChangeRecord extends Chargeback {
  schema_version: number;
  event_id: string;
  event_type: EventType;
  sequence_number: string;
  /** ApproximateCreationDateTime of the stream record, ISO-8601 UTC with millis. */
  event_time: string;
  previous_status: ChargebackStatus | null;
}
