import type { ChangeRecord } from './changeRecord.ts';
import { ChangeRecordSchema } from './ChangeRecordSchema.ts';
import type { Validated } from './FieldError.ts';
import { validateWithAmount } from './validateWithAmount.ts';
import { wellFormedChangeRecord } from './wellFormedChangeRecord.ts';

/**
 * Validates a decoded change record and reports every problem with its field. Valid records take
 * the plain-code check; only a record it refuses pays for zod, which then names every problem.
 */
export function validateChangeRecord(value: unknown): Validated<ChangeRecord> {
  const valid = wellFormedChangeRecord(value);
  if (valid) return { ok: true, value: valid };
  return validateWithAmount<ChangeRecord>(ChangeRecordSchema, value);
}
