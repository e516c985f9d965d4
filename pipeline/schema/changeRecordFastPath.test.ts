import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHANGE_RECORD_FIELDS } from './avroSchema.ts';
import type { ChangeRecord } from './changeRecord.ts';
import { decodeChangeRecord, encodeChangeRecord } from './changeRecordCodec.ts';
import { ChangeRecordSchema } from './ChangeRecordSchema.ts';
import type { Validated } from './FieldError.ts';
import { parseCanonicalJson, parseLosslessJson } from './parseChangeRecordJson.ts';
import { validateChangeRecord } from './validateChangeRecord.ts';
import { validateWithAmount } from './validateWithAmount.ts';
import { changeRecordArb as changeRecordArbitrary } from '../../fixtures/arbitraries.ts';

/**
 * The change record has two fast paths, each beside a reference path that is always right:
 * plain-code validation beside zod, and native JSON.parse beside the lossless parse. These
 * properties pin each fast path to its reference.
 */

const zodOnly = (v: unknown) => validateWithAmount<ChangeRecord>(ChangeRecordSchema, v);

/** Field values that are valid, and the near misses the rules are about. */
const nearMiss = fc.oneof(
  fc.constantFrom(undefined, null, '', ' ', 0, 1, 2, -1, 1.5, true, [], {}, 'x'.repeat(129), 'x'.repeat(257), 'x'.repeat(2001)),
  fc.constantFrom(
    'INSERT',
    'DELETE',
    'RECEIVED',
    'OPEN',
    'USD',
    'ZZZ',
    'usd',
    'JPY',
    '1.234',
    '99.99',
    '0',
    '0.00',
    '1e3',
    '-1',
    '123456789012345',
  ),
  fc.constantFrom(
    '2024-02-29T00:00:00.000Z',
    '2023-02-29T00:00:00.000Z',
    '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:00:00Z',
    '12',
    '1'.repeat(41),
  ),
  fc.string(),
);

/** A valid change record with up to three fields replaced by near misses (undefined: the field is left out). */
const nearlyValid = fc
  .tuple(changeRecordArbitrary, fc.dictionary(fc.constantFrom(...CHANGE_RECORD_FIELDS, 'extra'), nearMiss, { maxKeys: 3 }))
  .map(([record, overrides]) => {
    const input: Record<string, unknown> = { ...record, ...overrides };
    for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete input[k];
    return input;
  });

/** Both results say the same: ok on both or neither, the same value when ok, errors on the same fields when not. */
function assertAgree(actual: Validated<unknown>, reference: Validated<unknown>, what: string) {
  assert.equal(actual.ok, reference.ok, `${what}: ok`);
  if (actual.ok && reference.ok) assert.deepEqual(actual.value, reference.value, `${what}: value`);
  if (!actual.ok && !reference.ok)
    assert.deepEqual(
      [...new Set(actual.errors.map((e) => e.field))].sort(),
      [...new Set(reference.errors.map((e) => e.field))].sort(),
      `${what}: fields in error`,
    );
}

/** What the reference path makes of JSON text: lossless parse, then zod. */
function referenceDecode(text: string): Validated<ChangeRecord> {
  const parsed = parseLosslessJson(text);
  return parsed.ok ? zodOnly(parsed.value) : parsed;
}

test('property: the fast validator accepts exactly what the zod schema accepts, with the same value', () => {
  fc.assert(
    fc.property(nearlyValid, (input) => assert.deepEqual(validateChangeRecord(input), zodOnly(input))),
    { numRuns: 20_000 },
  );
});

test('property: where the native JSON.parse path is taken, it gives what the lossless path gives', () => {
  let taken = 0;
  fc.assert(
    fc.property(nearlyValid, (input) => {
      const text = JSON.stringify(input);
      const fast = parseCanonicalJson(text);
      if (fast === undefined) return;
      taken++;
      assertAgree(validateChangeRecord(fast), referenceDecode(text), text);
      assertAgree(decodeChangeRecord(Buffer.from(text)), referenceDecode(text), text);
    }),
    { numRuns: 5_000 },
  );
  assert.ok(taken > 2_500, `the native path was taken for only ${taken} of 5000 inputs: the property checked too little`);
});

test('property: decoding canonical JSON (the fast path) equals decoding it losslessly', () => {
  fc.assert(
    fc.property(changeRecordArbitrary, (record) => {
      const bytes = encodeChangeRecord(record);
      assert.notEqual(parseCanonicalJson(bytes.toString()), undefined, 'our own encoding takes the native path');
      const spaced = Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 1)); // not canonical: lossless path
      assert.equal(parseCanonicalJson(spaced.toString()), undefined);
      assert.deepEqual(decodeChangeRecord(bytes), decodeChangeRecord(spaced));
    }),
    { numRuns: 2_000 },
  );
});

test('duplicate keys are refused, as lossless-json does, rather than resolved to the last one as JSON.parse would', () => {
  const json = encodeChangeRecord(changeRecordArbitrarySample()).toString();
  const dup = json.replace('"reason":', '"reason":"first","reason":');
  assert.equal(parseCanonicalJson(dup), undefined, 'the native path declines duplicate keys');
  const r = decodeChangeRecord(Buffer.from(dup));
  assertAgree(r, referenceDecode(dup), 'duplicate key');
  assert.ok(!r.ok);
  assert.deepEqual(
    r.errors.map((e) => e.field),
    ['value'],
  );
  assert.match(r.errors[0]!.problem, /Duplicate key/);
});

test('a numeric amount takes the lossless path, keeps its exact digits, and is refused on the amount field', () => {
  const json = encodeChangeRecord({ ...changeRecordArbitrarySample(), currency: 'CLF' }).toString();
  for (const digits of ['12345678901234.5678', '10.5']) {
    const numeric = json.replace(/"amount":"[^"]*"/, `"amount":${digits}`);
    assert.equal(parseCanonicalJson(numeric), undefined, `the native path declines amount ${digits}`);
    const parsed = parseLosslessJson(numeric);
    assert.ok(parsed.ok);
    assert.equal(String(parsed.value.amount), digits, 'no float rounding');
    const n = decodeChangeRecord(Buffer.from(numeric));
    assertAgree(n, referenceDecode(numeric), `numeric amount ${digits}`);
    assert.ok(!n.ok, `a numeric amount ${digits} must not be accepted`);
    assert.deepEqual(
      n.errors.map((e) => e.field),
      ['amount'],
    );
    assert.match(n.errors[0]!.problem, /decimal string/);
  }
});

function changeRecordArbitrarySample() {
  return fc.sample(changeRecordArbitrary, { numRuns: 1, seed: 7 })[0]!;
}
