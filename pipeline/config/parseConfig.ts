import type { z } from 'zod';

/**
 * Validates a component's config with its zod schema and reports every problem at once, as one
 * line naming each field: "invalid parquet-writer config: rolloverMs: …; bucket: …".
 */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  input: z.input<S>,
  component: string,
  fail: (message: string) => Error,
): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw fail(`invalid ${component} config: ${issues}`);
  }
  return r.data;
}
