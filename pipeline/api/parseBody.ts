import { parse, isLosslessNumber } from 'lossless-json';
import { ValidationError } from './errors.ts';

/**
 * Parses a JSON request body without ever turning a number into a binary float: lossless-json
 * keeps each number's source text, so `"amount": 99.99` reaches validation as "99.99" exactly.
 * Numbers other than amounts are not part of the API, so they stay as text and fail validation
 * with a type error naming the field.
 */
export function parseJsonBody(body: string | undefined, isBase64Encoded = false): unknown {
  if (body === undefined || body === '') throw new ValidationError([{ field: 'body', problem: 'is required (a JSON object)' }]);
  const text = isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    throw new ValidationError([{ field: 'body', problem: `is not valid JSON (${(e as Error).message})` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError([{ field: 'body', problem: 'must be a JSON object' }]);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isLosslessNumber(v) ? v.toString() : v]));
}
