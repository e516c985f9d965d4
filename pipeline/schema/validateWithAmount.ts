import type { z } from 'zod';
import { amountProblems, minorUnitOf } from './money.ts';
import { fromZodIssues, type FieldError, type Validated } from './FieldError.ts';

/**
 * Runs a zod object schema and, independently of its outcome, the amount-vs-currency checks
 * on the raw input. Zod skips object-level refinements once a field has failed; doing the
 * amount check here means a request with a bad merchant AND a bad amount hears about both.
 */
export function validateWithAmount<T>(schema: z.ZodType, input: unknown): Validated<T> {
  const r = schema.safeParse(input);
  const errors: FieldError[] = r.success ? [] : fromZodIssues(r.error.issues);
  if (input && typeof input === 'object') {
    const { amount, currency } = input as { amount?: unknown; currency?: unknown };
    if (typeof amount === 'string') {
      const knownCurrency = typeof currency === 'string' && minorUnitOf(currency) !== undefined ? currency : undefined;
      for (const problem of amountProblems(amount, knownCurrency)) errors.push({ field: 'amount', problem });
    }
  }
  return errors.length === 0 && r.success ? { ok: true, value: r.data as T } : { ok: false, errors };
}
