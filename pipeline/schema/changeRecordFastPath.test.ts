import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { z } from 'zod';
import { ChangeRecordSchemaForTests, decodeChangeRecord, encodeChangeRecord, validateChangeRecord } from './changeRecord.ts';
import { validateWithAmount } from './validateWithAmount.ts';
import { changeRecordArb as changeRecordArbitrary } from '../../fixtures/arbitraries.ts';

const zodOnly = (v: unknown) => validateWithAmount(ChangeRecordSchemaForTests as z.ZodType, v);

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

test('property: the fast validator accepts exactly what the zod schema accepts, with the same value', () => {
  fc.assert(
    fc.property(
      changeRecordArbitrary,
      fc.dictionary(
        fc.constantFrom(
          'schema_version',
          'event_id',
          'event_type',
          'sequence_number',
          'event_time',
          'chargeback_id',
          'merchant_id',
          'amount',
          'currency',
          'reason',
          'status',
          'previous_status',
          'created_at',
          'updated_at',
          'extra',
        ),
        nearMiss,
        { maxKeys: 3 },
      ),
      (record, overrides) => {
        const input: Record<string, unknown> = { ...record, ...overrides };
        for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete input[k];
        assert.deepEqual(validateChangeRecord(input), zodOnly(input));
      },
    ),
    { numRuns: 20_000 },
  );
});

test('property: decoding canonical JSON (the fast path) equals decoding it losslessly', () => {
  fc.assert(
    fc.property(changeRecordArbitrary, (record) => {
      const bytes = encodeChangeRecord(record);
      const spaced = Buffer.from(JSON.stringify(JSON.parse(bytes.toString()), null, 1)); // not canonical: lossless path
      assert.deepEqual(decodeChangeRecord(bytes), decodeChangeRecord(spaced));
    }),
    { numRuns: 2_000 },
  );
});

test('duplicate keys are still refused, as lossless-json does, and a numeric amount is still exact', () => {
  const json = encodeChangeRecord(changeRecordArbitrarySample()).toString();
  const dup = Buffer.from(json.replace('"reason":', '"reason":"first","reason":'));
  const r = decodeChangeRecord(dup);
  assert.ok(!r.ok && /Duplicate key/.test(r.errors[0]!.problem));
  const numeric = Buffer.from(
    json.replace(/"amount":"[^"]*"/, '"amount":12345678901234.5678').replace(/"currency":"[A-Z]+"/, '"currency":"CLF"'),
  );
  const n = decodeChangeRecord(numeric);
  assert.ok(!n.ok || n.value.amount === '12345678901234.5678');
});

function changeRecordArbitrarySample() {
  return fc.sample(changeRecordArbitrary, { numRuns: 1, seed: 7 })[0]!;
}
