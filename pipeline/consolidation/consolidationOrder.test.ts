import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compareSequenceNumbers } from './consolidationOrder.ts';

describe('sequence numbers compare as integers', () => {
  it('orders decimal strings of any length like the integers they denote, leading zeros ignored', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 45n }),
        fc.bigInt({ min: 0n, max: 10n ** 45n }),
        fc.nat(3),
        fc.nat(3),
        (a, b, za, zb) => {
          const expected = a < b ? -1 : a > b ? 1 : 0;
          assert.equal(compareSequenceNumbers('0'.repeat(za) + a, '0'.repeat(zb) + b), expected);
        },
      ),
    );
  });

  it('puts 9 before 10, which string order would not', () => {
    assert.equal(compareSequenceNumbers('9', '10'), -1);
    assert.equal(compareSequenceNumbers('100000000000000000000000000000000000000', '99999999999999999999999999999999999999'), 1);
  });

  it('refuses a sequence number that is not a decimal integer, naming it', () => {
    assert.throws(() => compareSequenceNumbers('12a', '1'), /sequence_number "12a" is not a decimal integer/);
    assert.throws(() => compareSequenceNumbers('1', ''), /sequence_number ""/);
  });
});
