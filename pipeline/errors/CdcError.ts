/**
 * The root of every stage's error hierarchy (STYLE: one hierarchy with a stable `code` and a
 * `canRetry` flag). Subclasses set `static code`; the instance `code` reads it, so callers can
 * switch on `error.code` instead of parsing messages.
 */
export class CdcError extends Error {
  static readonly code: string = 'CDC';
  readonly canRetry: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
  get code(): string {
    return (this.constructor as typeof CdcError).code;
  }
}
