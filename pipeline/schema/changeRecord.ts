import { z } from 'zod';
import { parse as parseLossless, isLosslessNumber } from 'lossless-json';
import { amountProblems, minorUnitOf } from './money.ts';
import { CHARGEBACK_STATUSES, EVENT_TYPES, SCHEMA_VERSION, type ChargebackStatus, type EventType } from './vocabulary.ts';
import { isIsoUtcMillis } from './timestamps.ts';
import type { FieldError, Validated } from './FieldError.ts';
import { validateWithAmount } from './validateWithAmount.ts';
import type { Chargeback } from './chargeback.ts';

/**
 * The change record: one DynamoDB stream record of one chargeback, as it travels on the
 * `chargebacks` topic (UTF-8 JSON, key = chargeback_id). Field names are the Avro schema's.
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

const str = (what = 'a string') => z.string({ error: (i) => (i.input === undefined ? 'is required' : `must be ${what}`) });
const nonEmpty = (max: number) =>
  str()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim().length > 0, { message: 'must not be empty' });
const timestamp = str('an ISO-8601 UTC timestamp string').refine(isIsoUtcMillis, {
  message: 'must be an ISO-8601 UTC timestamp with milliseconds, e.g. 2026-01-31T23:59:59.123Z',
});
const status = z.enum(CHARGEBACK_STATUSES as [ChargebackStatus, ...ChargebackStatus[]], {
  error: (i) => (i.input === undefined ? 'is required' : `must be one of ${CHARGEBACK_STATUSES.join(', ')}`),
});

const ChangeRecordSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION, {
    error: (i) =>
      i.input === undefined
        ? 'is required'
        : `unknown schema_version ${JSON.stringify(i.input)}; this reader knows ${SCHEMA_VERSION}`,
  }),
  event_id: nonEmpty(256),
  event_type: z.enum(EVENT_TYPES as [EventType, ...EventType[]], {
    error: (i) => (i.input === undefined ? 'is required' : `must be one of ${EVENT_TYPES.join(', ')}`),
  }),
  sequence_number: str().regex(/^[0-9]{1,40}$/, 'must be the decimal digits of a stream sequence number'),
  event_time: timestamp,
  chargeback_id: nonEmpty(128),
  merchant_id: nonEmpty(128),
  amount: str('a decimal string such as "99.99"'),
  currency: str().refine((c) => minorUnitOf(c) !== undefined, { message: 'must be a known ISO 4217 currency code' }),
  reason: nonEmpty(2000),
  status,
  previous_status: status.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** For the fast path's property test only. */
export const ChangeRecordSchemaForTests = ChangeRecordSchema;

/** Validates a decoded change record and reports every problem with its field. */
export function validateChangeRecord(value: unknown): Validated<ChangeRecord> {
  const valid = wellFormedChangeRecord(value);
  if (valid) return { ok: true, value: valid };
  return validateWithAmount<ChangeRecord>(ChangeRecordSchema, value);
}

const EVENT_TYPE_SET = new Set<unknown>(EVENT_TYPES);
const STATUS_SET = new Set<unknown>(CHARGEBACK_STATUSES);
const SEQUENCE = /^[0-9]{1,40}$/;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && v.trim().length > 0;

/**
 * The same rules as ChangeRecordSchema + the amount checks, as plain code: a record passing here
 * passes the zod path with the same value (schema field order, unknown keys dropped) — pinned by
 * a property test. Anything else goes through zod, which reports every problem. Zod costs ~6 µs
 * per record, a quarter of the writer's CPU per record; this costs well under one.
 */
function wellFormedChangeRecord(value: unknown): ChangeRecord | undefined {
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
  return {
    schema_version: v.schema_version,
    event_id: v.event_id,
    event_type: v.event_type as EventType,
    sequence_number: v.sequence_number,
    event_time: v.event_time,
    chargeback_id: v.chargeback_id,
    merchant_id: v.merchant_id,
    amount: v.amount,
    currency: v.currency,
    reason: v.reason,
    status: v.status as ChargebackStatus,
    previous_status: v.previous_status as ChargebackStatus | null,
    created_at: v.created_at,
    updated_at: v.updated_at,
  };
}

/** Serialises a change record exactly as it goes on the topic (field order of the Avro schema). */
export function encodeChangeRecord(record: ChangeRecord): Buffer {
  const ordered: ChangeRecord = {
    schema_version: record.schema_version,
    event_id: record.event_id,
    event_type: record.event_type,
    sequence_number: record.sequence_number,
    event_time: record.event_time,
    chargeback_id: record.chargeback_id,
    merchant_id: record.merchant_id,
    amount: record.amount,
    currency: record.currency,
    reason: record.reason,
    status: record.status,
    previous_status: record.previous_status,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8');
}

/**
 * Decodes topic bytes into a validated change record. Bytes that are not UTF-8 JSON, and JSON
 * that fails validation, come back as field errors (never thrown), so a poison record can be
 * dead-lettered with its reason while the partition keeps flowing.
 */
export function decodeChangeRecord(bytes: Uint8Array | null | undefined): Validated<ChangeRecord> {
  if (!bytes || bytes.length === 0)
    return { ok: false, errors: [{ field: 'value', problem: 'is empty (tombstone or missing value)' }] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, errors: [{ field: 'value', problem: 'is not valid UTF-8' }] };
  }
  // Fast path for what our producers write (encodeChangeRecord = JSON.stringify): native JSON.parse,
  // taken only when re-serialising gives back the exact text — no duplicate keys (lossless-json
  // rejects those; JSON.parse would keep the last), no number whose text could change — and the
  // amount is not a JSON number. The result is then what the lossless parse would return; anything
  // else (numeric amounts, invalid JSON and its message, hand-written JSON) takes the path below.
  const fast = parseCanonicalJson(text);
  if (fast !== undefined) return validateChangeRecord(fast);
  let parsed: unknown;
  try {
    // Lossless parse: a producer that wrote amount as a JSON number must not get float rounding.
    parsed = parseLossless(text);
  } catch (e) {
    return { ok: false, errors: [{ field: 'value', problem: `is not JSON (${(e as Error).message})` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, errors: [{ field: 'value', problem: 'must be a JSON object' }] };
  }
  return validateChangeRecord(normaliseNumbers(parsed as Record<string, unknown>));
}

function parseCanonicalJson(text: string): Record<string, unknown> | undefined {
  if (text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { amount?: unknown }).amount === 'number')
    return undefined;
  return JSON.stringify(v) === text ? (v as Record<string, unknown>) : undefined;
}

/** Lossless numbers become plain numbers, except that a numeric amount is refused with a clear error. */
function normaliseNumbers(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = isLosslessNumber(v) ? (k === 'amount' ? v : Number(v.toString())) : v;
  return out;
}

export type { FieldError };
