/** One problem with one field: what a user needs to fix their input. */
export interface FieldError {
  /** Dotted path of the field, e.g. `amount` or `body`. */
  readonly field: string;
  readonly problem: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export function formatFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.problem}`).join('; ');
}

/** Converts zod issues into our field errors, keeping every issue (not only the first). */
export function fromZodIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldError[] {
  return issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : 'body', problem: i.message }));
}
