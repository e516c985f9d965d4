import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import type { Validated } from './FieldError.ts';

/**
 * Change-record JSON text → a plain object for validation, never thrown: text that is not JSON, or
 * not a JSON object, comes back as an error on `value`. Numbers are read losslessly, so a producer
 * that wrote amount as a JSON number meets a clear error instead of float rounding.
 *
 * Text as our producers write it (encodeChangeRecord = JSON.stringify) takes native JSON.parse,
 * which gives the same object; everything else (numeric amounts, invalid JSON and its message,
 * hand-written JSON) takes the lossless parse.
 */
export function parseChangeRecordJson(text: string): Validated<Record<string, unknown>> {
  const canonical = parseCanonicalJson(text);
  return canonical !== undefined ? { ok: true, value: canonical } : parseLosslessJson(text);
}

/**
 * Native JSON.parse, or undefined when its result could differ from the lossless parse: only when
 * re-serialising gives back the exact text (so no duplicate keys, which lossless-json refuses and
 * JSON.parse would resolve to the last, and no number whose text could change) and the amount is
 * not a JSON number.
 */
export function parseCanonicalJson(text: string): Record<string, unknown> | undefined {
  if (text.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { amount?: unknown }).amount === 'number')
    return undefined;
  return JSON.stringify(v) === text ? (v as Record<string, unknown>) : undefined;
}

/** The lossless parse: the reference path, which any JSON text may take. */
export function parseLosslessJson(text: string): Validated<Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = parseLossless(text);
  } catch (e) {
    return { ok: false, errors: [{ field: 'value', problem: `is not JSON (${(e as Error).message})` }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, errors: [{ field: 'value', problem: 'must be a JSON object' }] };
  }
  return { ok: true, value: normaliseNumbers(parsed as Record<string, unknown>) };
}

/** Lossless numbers become plain numbers, except a numeric amount, kept exact for validation to refuse by name. */
function normaliseNumbers(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = isLosslessNumber(v) ? (k === 'amount' ? v : Number(v.toString())) : v;
  return out;
}
