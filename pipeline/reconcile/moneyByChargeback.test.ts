import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { changeRecordArb } from '../../fixtures/arbitraries.ts';
import { compareMoneyByChargeback, compareSequenceNumbers } from './moneyByChargeback.ts';
import { moneyChangeOf } from './reconcileMoney.ts';
import { moneyChange } from '../../fixtures/moneyChanges.ts';

const change = moneyChange;

describe('compareMoneyByChargeback', () => {
  it('counts changes per chargeback and takes the amount of the latest by sequence number (9 before 10)', () => {
    const history = [
      change({ sequence_number: '10', event_type: 'REMOVE', amount: '25.50' }),
      change({ sequence_number: '9', event_type: 'MODIFY', amount: '25.5' }),
      change({ chargeback_id: 'cb_2', sequence_number: '11', currency: 'JPY', amount: '300' }),
    ];
    const r = compareMoneyByChargeback(history, [...history].reverse());
    assert.ok(r.ok);
    assert.deepEqual(
      r.chargebacks.map((c) => [c.chargeback_id, c.stream.changes, c.stream.latest]),
      [
        ['cb_1', 2, { event_type: 'REMOVE', sequence_number: '10', currency: 'USD', amount: '25.5' }],
        ['cb_2', 1, { event_type: 'INSERT', sequence_number: '11', currency: 'JPY', amount: '300' }],
      ],
    );
  });

  it('names the chargeback whose latest change is missing from the landing zone', () => {
    const first = change({ chargeback_id: 'cb_b', sequence_number: '1' });
    const last = change({ chargeback_id: 'cb_b', sequence_number: '2', event_type: 'MODIFY', amount: '2' });
    const other = change({ chargeback_id: 'cb_a', sequence_number: '3' });
    const r = compareMoneyByChargeback([other, first, last], [other, first]);
    assert.equal(r.firstDifferentChargeback, 'cb_b');
    assert.equal(r.differentChargebacks, 1);
    assert.deepEqual(r.chargebacks[1]!.landed, {
      changes: 1,
      latest: { event_type: 'INSERT', sequence_number: '1', currency: 'USD', amount: '1' },
    });
  });

  it('property: a duplicated landed row shows as exactly one chargeback with one change too many', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(changeRecordArb, { selector: (c) => c.sequence_number, minLength: 1, maxLength: 40 }),
        fc.nat(),
        (records, pick) => {
          const changes = records.map(moneyChangeOf);
          const dup = changes[pick % changes.length]!;
          const r = compareMoneyByChargeback(changes, [...changes, dup]);
          const different = r.chargebacks.filter((c) => !c.match);
          assert.deepEqual(
            different.map((c) => c.chargeback_id),
            [dup.chargeback_id],
          );
          assert.equal(different[0]!.landed.changes, different[0]!.stream.changes + 1);
        },
      ),
    );
  });
});

describe('compareSequenceNumbers', () => {
  it('property: orders digit strings like the integers they are, at any length', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10n ** 40n }), (a, b) => {
        assert.equal(Math.sign(compareSequenceNumbers(String(a), String(b))), a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
