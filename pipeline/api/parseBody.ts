import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { isLosslessNumber, parse } from 'lossless-json';
import { ValidationError } from './errors.ts';
import { requireJsonContentType } from './jsonContentType.ts';

export type BodyEvent = Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded' | 'headers'>;

/**
 * The JSON object of a request body, or an ApiError naming what is wrong with it: missing (400),
 * not declared as JSON (415), not UTF-8 or not JSON (400).
 *
 * Numbers are parsed losslessly (lossless-json keeps each number's source text), so
 * `"amount": 99.99` reaches validation as "99.99" exactly, never through a binary float. The
 * amount is the only field that may be a JSON number; any other number is handed on as a number,
 * so validation answers with a type error naming the field instead of storing `123` as "123".
 */
export function parseJsonBody(event: BodyEvent): Record<string, unknown> {
  if (event.body === undefined || event.body === '')
    throw new ValidationError([{ field: 'body', problem: 'is required (a JSON object)' }]);
  requireJsonContentType(event.headers);
  const text = event.isBase64Encoded ? decodeUtf8(Buffer.from(event.body, 'base64')) : event.body;
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    // Includes RangeError from absurdly deep nesting: still the body's problem, not ours.
    throw new ValidationError([{ field: 'body', problem: `is not valid JSON (${(e as Error).message})` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError([{ field: 'body', problem: 'must be a JSON object' }]);
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isLosslessNumber(v) ? (k === 'amount' ? v.toString() : Number(v.toString())) : v]),
  );
}

/**
 * API Gateway may hand a body over base64-encoded (isBase64Encoded), and the local adapter does so
 * for every body that is not valid UTF-8. A lenient decode would turn bad bytes into U+FFFD and
 * store a value that differs from what was sent, so a bad byte is refused. The BOM is kept, as the
 * adapter keeps it in a text body, so both paths parse the same text.
 */
function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ValidationError([{ field: 'body', problem: 'is not valid UTF-8' }]);
  }
}
