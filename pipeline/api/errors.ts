import type { FieldError } from '../schema/index.ts';

/** API errors carry their HTTP status and a stable code; the handler turns them into JSON bodies. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends ApiError {
  constructor(errors: readonly FieldError[]) {
    super(400, 'VALIDATION_FAILED', `invalid request: ${errors.map((e) => `${e.field} ${e.problem}`).join('; ')}`, errors);
  }
}

export class NotFoundError extends ApiError {
  constructor(id: string) {
    super(404, 'NOT_FOUND', `chargeback ${id} does not exist`);
  }
}

export class IllegalTransitionError extends ApiError {
  constructor(id: string, from: string, to: string, allowed: readonly string[]) {
    super(
      409,
      'ILLEGAL_TRANSITION',
      `chargeback ${id} cannot move from ${from} to ${to}; allowed next: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
    );
  }
}

export class ConcurrentChangeError extends ApiError {
  constructor(id: string) {
    super(409, 'CONCURRENT_CHANGE', `chargeback ${id} changed while this request ran; read it again and retry`);
  }
}
