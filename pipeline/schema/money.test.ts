import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { amountProblems, canonicalAmount, fromUnscaled, minorUnitOf, toUnscaled } from './money.ts';
import { amountFor, currencyArb } from '../../fixtures/arbitraries.ts';

test('knows ISO 4217 minor units: JPY 0, USD 2, KWD 3, CLF 4; unknown codes are undefined', () => {
  assert.deepEqual(['JPY', 'USD', 'KWD', 'CLF', 'ZZZ', 'usd'].map(minorUnitOf), [0, 2, 3, 4, undefined, undefined]);
});

test('rejects negative, zero, exponent, too many decimals for the currency, and too many digits — each named', () => {
  assert.match(amountProblems('-1', 'USD')[0]!, /positive decimal/);
  assert.match(amountProblems('0.00', 'USD')[0]!, /greater than 0/);
  assert.match(amountProblems('1e3', 'USD')[0]!, /positive decimal/);
  assert.match(amountProblems('100.5', 'JPY')[0]!, /JPY allows at most 0/);
  assert.match(amountProblems('1.234', 'USD')[0]!, /USD allows at most 2/);
  assert.match(amountProblems('123456789012345', 'USD')[0]!, /at most 14 are allowed/);
  assert.deepEqual(amountProblems('12.345', 'KWD'), []);
});

test('property: every valid amount survives decimal → unscaled DECIMAL(18,4) → decimal exactly', () => {
  fc.assert(
    fc.property(
      currencyArb.chain((c) => amountFor(c).map((a) => [c, a] as const)),
      ([currency, amount]) => {
        assert.deepEqual(amountProblems(amount, currency), []);
        assert.equal(fromUnscaled(toUnscaled(amount)), canonicalAmount(amount));
      },
    ),
    { numRuns: 2000 },
  );
});

test('property: fromUnscaled ∘ toUnscaled is the identity on canonical amounts and keeps order', () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }),
      fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }),
      (a, b) => {
        assert.equal(toUnscaled(fromUnscaled(a)), a);
        assert.equal(a < b, toUnscaled(fromUnscaled(a)) < toUnscaled(fromUnscaled(b)));
      },
    ),
  );
});

test('the largest DECIMAL(18,4) amount is exact, unlike a double', () => {
  assert.equal(toUnscaled('99999999999999.9999'), 999999999999999999n);
  assert.equal(fromUnscaled(999999999999999999n), '99999999999999.9999');
  // biome-ignore lint/correctness/noPrecisionLoss: the point of this line is that a binary float loses the digits
  assert.notEqual(String(99999999999999.9999), '99999999999999.9999');
});
