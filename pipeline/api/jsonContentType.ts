import { UnsupportedMediaTypeError } from './errors.ts';

/**
 * Refuses a request body that is not declared as UTF-8 JSON. Accepted: `application/json`, in any
 * case, with optional parameters (`application/json; charset=utf-8`); a charset other than UTF-8
 * is refused, because the body would then be decoded as something it is not. A body without a
 * Content-Type is refused too: every HTTP client declares one (curl -d sends form-urlencoded),
 * and guessing JSON for an undeclared body is how text/plain and form posts were once accepted.
 */
export function requireJsonContentType(headers: Readonly<Record<string, string | undefined>> | undefined): void {
  const value = headerValue(headers, 'content-type');
  if (value === undefined || value.trim() === '') throw new UnsupportedMediaTypeError('is missing; send application/json');
  const [mediaType = '', ...parameters] = value.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json')
    throw new UnsupportedMediaTypeError(`${JSON.stringify(value)} is not supported; send application/json`);
  for (const parameter of parameters) {
    const [name = '', charset = ''] = parameter.split('=', 2).map((s) => s.trim().toLowerCase());
    if (name === 'charset' && !['utf-8', '"utf-8"', 'utf8'].includes(charset))
      throw new UnsupportedMediaTypeError(`${JSON.stringify(value)} names a charset other than utf-8; send UTF-8 JSON`);
  }
}

/**
 * API Gateway (payload v2) and the local adapter give header names in lower case; the lookup still
 * ignores case, so an event built by hand (a test, another adapter) behaves the same.
 */
function headerValue(headers: Readonly<Record<string, string | undefined>> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers[name] !== undefined) return headers[name];
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}
