import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ApiError, MethodNotAllowedError } from './errors.ts';

/** The JSON body every API error answers with (a user-visible contract): `{ error, message, errors? }`. */
export function errorResponse(e: ApiError): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: e.statusCode,
    headers: { 'content-type': 'application/json', ...(e instanceof MethodNotAllowedError ? { allow: e.allow } : {}) },
    body: JSON.stringify({ error: e.code, message: e.message, ...(e.errors.length ? { errors: e.errors } : {}) }),
  };
}
