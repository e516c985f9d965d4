import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QuerySession } from './QuerySession.ts';
import { isoTimestamp } from './cellValue.ts';

async function cells(sql: string) {
  const session = await QuerySession.open([]);
  try {
    return (await session.run(sql)).rows[0];
  } finally {
    session.close();
  }
}

describe('cellValue', () => {
  it('gives DECIMAL as its exact text and wide integers as bigints, never a float', async () => {
    assert.deepEqual(
      await cells(
        'SELECT CAST(99999999999999.9999 AS DECIMAL(18,4)), CAST(-0.0001 AS DECIMAL(18,4)), CAST(12345678901234567890123456789 AS HUGEINT), CAST(9007199254740993 AS BIGINT), 42, 0.5::DOUBLE',
      ),
      ['99999999999999.9999', '-0.0001', 12345678901234567890123456789n, 9007199254740993n, 42, 0.5],
    );
  });

  it('gives timestamps as ISO-8601, with Z for instants and without for zone-less timestamps', async () => {
    assert.deepEqual(
      await cells(
        "SELECT TIMESTAMPTZ '2026-01-31 23:59:58.123+00', TIMESTAMP '2026-01-31 23:59:58', TIMESTAMPTZ '1969-12-31 23:59:59.999+00', TIMESTAMPTZ '2026-01-31 23:59:58.123456+00', 'infinity'::TIMESTAMPTZ, DATE '2026-01-31'",
      ),
      [
        '2026-01-31T23:59:58.123Z',
        '2026-01-31T23:59:58.000',
        '1969-12-31T23:59:59.999Z',
        '2026-01-31T23:59:58.123456Z',
        'infinity',
        '2026-01-31',
      ],
    );
  });

  it('gives lists, structs and maps as arrays and objects of converted values', async () => {
    assert.deepEqual(await cells("SELECT [CAST(1.5 AS DECIMAL(5,2)), NULL], {'n': 1, 's': 'x'}, MAP {'k': 2}"), [
      ['1.50', null],
      { n: 1, s: 'x' },
      [{ key: 'k', value: 2 }],
    ]);
  });
});

describe('isoTimestamp', () => {
  it('keeps millisecond precision, adds digits only when the value has them', () => {
    assert.equal(isoTimestamp(1_769_903_998_123n, 1_000n, true), '2026-01-31T23:59:58.123Z');
    assert.equal(isoTimestamp(1_769_903_998_123_000_001n, 1_000_000_000n, false), '2026-01-31T23:59:58.123000001');
    assert.equal(isoTimestamp(-1n, 1_000_000n, true), '1969-12-31T23:59:59.999999Z');
    assert.equal(isoTimestamp(0n, 1n, true), '1970-01-01T00:00:00.000Z');
  });

  it('is undefined outside the dates ISO-8601 text covers', () => {
    assert.equal(isoTimestamp(2n ** 63n - 1n, 1_000_000n, true), undefined);
  });
});
