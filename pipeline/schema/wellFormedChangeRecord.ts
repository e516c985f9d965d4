import type { ChangeRecord } from './changeRecord.ts';
import { amountProblems, minorUnitOf } from './money.ts';
import { changeRecordPicker } from './changeRecordPicker.ts';
import { isIsoUtcMillis } from './timestamps.ts';
import { CHARGEBACK_STATUSES, EVENT_TYPES, SCHEMA_VERSION } from './vocabulary.ts';

const inAvroOrder = changeRecordPicker();
const EVENT_TYPE_SET = new Set<unknown>(EVENT_TYPES);
const STATUS_SET = new Set<unknown>(CHARGEBACK_STATUSES);
const SEQUENCE = /^[0-9]{1,40}$/;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && v.trim().length > 0;

/**
 * The same rules as ChangeRecordSchema plus the amount checks, as plain code: a record passing here
 * passes the zod path with the same value (Avro field order, unknown keys dropped), which a
 * property test pins. It only says yes or no; anything it refuses goes through zod, which reports
 * every problem. It exists because zod is the larger part of the writer's CPU per record.
 */
export function wellFormedChangeRecord(value: unknown): ChangeRecord | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (v.schema_version !== SCHEMA_VERSION) return undefined;
  if (!text(v.event_id, 256) || !EVENT_TYPE_SET.has(v.event_type)) return undefined;
  if (typeof v.sequence_number !== 'string' || !SEQUENCE.test(v.sequence_number)) return undefined;
  if (typeof v.event_time !== 'string' || !isIsoUtcMillis(v.event_time)) return undefined;
  if (!text(v.chargeback_id, 128) || !text(v.merchant_id, 128) || !text(v.reason, 2000)) return undefined;
  if (typeof v.currency !== 'string' || minorUnitOf(v.currency) === undefined) return undefined;
  if (typeof v.amount !== 'string' || amountProblems(v.amount, v.currency).length > 0) return undefined;
  if (!STATUS_SET.has(v.status) || (v.previous_status !== null && !STATUS_SET.has(v.previous_status))) return undefined;
  if (typeof v.created_at !== 'string' || !isIsoUtcMillis(v.created_at)) return undefined;
  if (typeof v.updated_at !== 'string' || !isIsoUtcMillis(v.updated_at)) return undefined;
  return inAvroOrder(v);
}
