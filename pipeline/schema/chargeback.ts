import { z } from 'zod';
import { CHANGE_RECORD_FIELDS } from './avroSchema.ts';
import { minorUnitOf } from './money.ts';
import { validateWithAmount } from './validateWithAmount.ts';
import { CHARGEBACK_STATUSES, type ChargebackStatus } from './vocabulary.ts';
import { isIsoUtcMillis } from './timestamps.ts';
import { fromZodIssues, type Validated } from './FieldError.ts';

/** A chargeback as stored in the `chargebacks` table and returned by the API. */
export interface Chargeback {
  chargeback_id: string;
  merchant_id: string;
  /** Exact decimal string, e.g. "99.99". */
  amount: string;
  currency: string;
  reason: string;
  status: ChargebackStatus;
  created_at: string;
  updated_at: string;
}

export const MAX_REASON_LENGTH = 2000;

/** In a `u` regex, \p{Cs} matches only unpaired surrogates (a pair is one code point). */
export const LONE_SURROGATE = /\p{Cs}/u;
/** What the API answers and the writer dead-letters for a text field holding a lone surrogate. */
export const LONE_SURROGATE_PROBLEM = 'contains a lone UTF-16 surrogate (not representable in UTF-8)';

const nonEmpty = (max: number) =>
  z
    .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
    .max(max, `must be at most ${max} characters`)
    // No trimming transform: the value we store is byte-for-byte what the client sent.
    .refine((s) => s.trim().length > 0, { message: 'must not be empty' })
    // A lone surrogate (JSON "\udfff") has no UTF-8 form: moto fails on it with a 500, Parquet cannot
    // hold it and the writer dead-letters it with this same message. Refused here, it never gets that far.
    .refine((s) => !LONE_SURROGATE.test(s), { message: LONE_SURROGATE_PROBLEM });

const currencyField = z
  .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a string') })
  .refine((c) => minorUnitOf(c) !== undefined, { message: 'must be a known ISO 4217 currency code such as USD' });

/**
 * Amounts arrive as a JSON string ("99.99") or as a JSON number parsed losslessly (the API
 * parses bodies with lossless-json, so 99.99 reaches us as its source text, never as a float).
 */
const amountField = z.string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a decimal number or string') });

/** Body of `POST /chargebacks`. */
export const CreateChargebackRequest = z
  .object({
    merchant_id: nonEmpty(128),
    amount: amountField,
    currency: currencyField,
    reason: nonEmpty(MAX_REASON_LENGTH),
  })
  .strict();
export type CreateChargebackRequest = z.infer<typeof CreateChargebackRequest>;

/** Body of `PATCH /chargebacks/{id}`. */
export const UpdateChargebackRequest = z
  .object({
    status: z.enum(CHARGEBACK_STATUSES as [ChargebackStatus, ...ChargebackStatus[]], {
      error: (i) => (i.input === undefined ? 'is required' : `must be one of ${CHARGEBACK_STATUSES.join(', ')}`),
    }),
  })
  .strict();
export type UpdateChargebackRequest = z.infer<typeof UpdateChargebackRequest>;

/** A stored chargeback (e.g. a DynamoDB image), validated field by field. */
export const StoredChargeback = z.object({
  chargeback_id: nonEmpty(128),
  merchant_id: nonEmpty(128),
  amount: amountField,
  currency: currencyField,
  reason: nonEmpty(MAX_REASON_LENGTH),
  status: z.enum(CHARGEBACK_STATUSES as [ChargebackStatus, ...ChargebackStatus[]], {
    error: () => `must be one of ${CHARGEBACK_STATUSES.join(', ')}`,
  }),
  created_at: z.string().refine(isIsoUtcMillis, 'must be an ISO-8601 UTC timestamp with milliseconds'),
  updated_at: z.string().refine(isIsoUtcMillis, 'must be an ISO-8601 UTC timestamp with milliseconds'),
});

/**
 * The change-record fields a chargeback carries (the others are CDC metadata), in Avro order: the
 * stored chargeback's fields, as named by the Avro schema. `avroSchema.test.ts` fails if the stored
 * chargeback has a field the Avro schema lacks.
 */
export const CHARGEBACK_FIELDS: readonly (keyof Chargeback)[] = CHANGE_RECORD_FIELDS.filter((f): f is keyof Chargeback =>
  Object.hasOwn(StoredChargeback.shape, f),
);

export function validateCreateRequest(body: unknown): Validated<CreateChargebackRequest> {
  return validateWithAmount<CreateChargebackRequest>(CreateChargebackRequest, body);
}

export function validateUpdateRequest(body: unknown): Validated<UpdateChargebackRequest> {
  const r = UpdateChargebackRequest.safeParse(body);
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: fromZodIssues(r.error.issues) };
}

export function validateStoredChargeback(item: unknown): Validated<Chargeback> {
  return validateWithAmount<Chargeback>(StoredChargeback, item);
}
