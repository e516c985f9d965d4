import { CdcError } from '../errors/index.ts';
import type { FieldError } from '../schema/index.ts';

/**
 * API errors. Each class has a stable static `code` (the `error` of the JSON body, a contract
 * users' scripts rely on) and the HTTP status it answers with; the handler turns them into
 * `{ error, message, errors? }` bodies. Only a concurrent change can succeed when sent again as is;
 * every other error is the client's input to fix.
 */
export class ApiError extends CdcError {
  static override readonly code: string = 'API';
  static readonly statusCode: number = 400;
  constructor(
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
  }
  get statusCode(): number {
    return (this.constructor as typeof ApiError).statusCode;
  }
}

export class ValidationError extends ApiError {
  static override readonly code = 'VALIDATION_FAILED';
  static override readonly statusCode = 400;
  constructor(errors: readonly FieldError[]) {
    super(`invalid request: ${errors.map((e) => `${e.field} ${e.problem}`).join('; ')}`, errors);
  }
}

/** The body is not declared as JSON: we never guess what an undeclared or other media type means. */
export class UnsupportedMediaTypeError extends ApiError {
  static override readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  static override readonly statusCode = 415;
  constructor(problem: string) {
    super(`content-type ${problem}`, [{ field: 'content-type', problem }]);
  }
}

export class PayloadTooLargeError extends ApiError {
  static override readonly code = 'PAYLOAD_TOO_LARGE';
  static override readonly statusCode = 413;
  constructor(maxBytes: number) {
    const problem = `is larger than ${maxBytes} bytes; a chargeback request is a few hundred`;
    super(`body ${problem}`, [{ field: 'body', problem }]);
  }
}

export class NotFoundError extends ApiError {
  static override readonly code = 'NOT_FOUND';
  static override readonly statusCode = 404;
  constructor(id: string) {
    super(`chargeback ${id} does not exist`);
  }
}

/** No route matches the path; shares NOT_FOUND with a missing chargeback, as the API always answered. */
export class RouteNotFoundError extends ApiError {
  static override readonly code = 'NOT_FOUND';
  static override readonly statusCode = 404;
  constructor(method: string, path: string) {
    super(`no route for ${method} ${path}`);
  }
}

export class MethodNotAllowedError extends ApiError {
  static override readonly code = 'METHOD_NOT_ALLOWED';
  static override readonly statusCode = 405;
  constructor(
    method: string,
    readonly allow: string,
  ) {
    super(`${method} is not allowed here; use ${allow}`);
  }
}

export class IllegalTransitionError extends ApiError {
  static override readonly code = 'ILLEGAL_TRANSITION';
  static override readonly statusCode = 409;
  constructor(id: string, from: string, to: string, allowed: readonly string[]) {
    super(
      `chargeback ${id} cannot move from ${from} to ${to}; allowed next: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
    );
  }
}

export class ConcurrentChangeError extends ApiError {
  static override readonly code = 'CONCURRENT_CHANGE';
  static override readonly statusCode = 409;
  override readonly canRetry = true;
  constructor(id: string) {
    super(`chargeback ${id} changed while this request ran; read it again and retry`);
  }
}
