import { z } from 'zod';
import { CHANGE_RECORD_FIELDS } from './avroSchema.ts';
import type { ChangeRecord } from './changeRecord.ts';
import { minorUnitOf } from './money.ts';
import { isIsoUtcMillis } from './timestamps.ts';
import { CHARGEBACK_STATUSES, EVENT_TYPES, SCHEMA_VERSION, type ChargebackStatus, type EventType } from './vocabulary.ts';
import { SchemaDefinitionError } from './errors.ts';

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

/**
 * The rule of each field. The mapped type makes a missing, extra or differently typed rule a type
 * error against `ChangeRecord`; the order and the set of names come from the Avro schema below.
 */
const FIELD_RULES: { [K in keyof ChangeRecord]-?: z.ZodType<ChangeRecord[K]> } = {
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
  // The amount-vs-currency checks run beside this schema (validateWithAmount), so every problem is reported.
  amount: str('a decimal string such as "99.99"'),
  currency: str().refine((c) => minorUnitOf(c) !== undefined, { message: 'must be a known ISO 4217 currency code' }),
  reason: nonEmpty(2000),
  status,
  previous_status: status.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
};

/**
 * The zod schema of a change record: the reference rules, which report every problem with its
 * field. Its shape is in Avro order, so a parsed record comes back in wire order.
 */
export const ChangeRecordSchema = z.object(
  Object.fromEntries(
    CHANGE_RECORD_FIELDS.map((name) => {
      const rule = FIELD_RULES[name];
      if (!rule) throw new SchemaDefinitionError(`schema: Avro field ${name} has no validation rule in ChangeRecordSchema`);
      return [name, rule];
    }),
  ) as typeof FIELD_RULES,
);
