import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reconcile } from './reconcile.ts';
import { changeRecordArb } from '../../fixtures/arbitraries.ts';

const uniqueChanges = fc.uniqueArray(changeRecordArb, { selector: (r) => r.event_id, minLength: 1, maxLength: 30 });

test('property: landing every change once is a clean reconcile', () => {
  fc.assert(
    fc.property(uniqueChanges, (changes) => {
      const r = reconcile(
        changes,
        changes.map((row, i) => ({ key: `k${i}`, row })),
      );
      assert.ok(r.ok, JSON.stringify(r));
    }),
  );
});

test('property: a dropped row is reported lost, a repeated one duplicated, with example ids', () => {
  fc.assert(
    fc.property(
      uniqueChanges.filter((c) => c.length >= 2),
      (changes) => {
        const landed = changes.slice(1).map((row, i) => ({ key: `k${i}`, row }));
        landed.push({ key: 'again', row: changes[1]! });
        const r = reconcile(changes, landed);
        assert.equal(r.lost, 1);
        assert.equal(r.duplicated, 1);
        assert.ok(!r.ok);
        assert.match(r.examples.lost[0]!, new RegExp(changes[0]!.chargeback_id));
        assert.equal(r.examples.duplicated[0]!.copies, 2);
      },
    ),
  );
});

test('a changed value is a mismatch naming the field; "99.10" and "99.1" are the same amount', () => {
  const [a] = fc.sample(changeRecordArb, 1);
  const r = reconcile(
    [{ ...a!, amount: '99.10', currency: 'USD' }],
    [{ key: 'k', row: { ...a!, amount: '99.1', currency: 'USD', reason: 'changed' } }],
  );
  assert.equal(r.mismatched, 1);
  assert.deepEqual(r.examples.mismatched[0]!.fields, ['reason']);
});
