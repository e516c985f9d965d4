import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { changeRecordArb } from '../../fixtures/arbitraries.ts';
import { AMOUNT_SCALE, fromUnscaled, toUnscaled } from '../schema/index.ts';
import { compareMoneyByHour, utcHourOf } from './moneyByHour.ts';
import { moneyChangeOf } from './reconcileMoney.ts';
import { moneyChange } from '../../fixtures/moneyChanges.ts';

const moneyChangeArb = changeRecordArb.map(moneyChangeOf);
/** Many changes over few hours, so cells hold several rows and currencies mix within an hour. */
const changesArb = fc.array(
  fc
    .tuple(moneyChangeArb, fc.integer({ min: 0, max: 5 }))
    .map(([c, h]) => ({ ...c, event_time: `2026-12-02T0${h}:${c.event_time.slice(14)}` })),
  { minLength: 1, maxLength: 80 },
);

const change = moneyChange;

describe('compareMoneyByHour', () => {
  it('property: per currency and event type, the sums over hours equal the grand total of the changes', () => {
    fc.assert(
      fc.property(changesArb, (changes) => {
        const r = compareMoneyByHour(changes, changes);
        assert.ok(r.ok, JSON.stringify(r.cells.filter((c) => !c.match)));
        const direct = new Map<string, { n: number; sum: bigint }>();
        for (const c of changes) {
          const k = `${c.currency} ${c.event_type}`;
          const t = direct.get(k) ?? { n: 0, sum: 0n };
          direct.set(k, { n: t.n + 1, sum: t.sum + toUnscaled(c.amount, AMOUNT_SCALE) });
        }
        const overHours = new Map<string, { n: number; sum: bigint }>();
        for (const cell of r.cells) {
          const k = `${cell.currency} ${cell.event_type}`;
          const t = overHours.get(k) ?? { n: 0, sum: 0n };
          overHours.set(k, { n: t.n + cell.stream.changes, sum: t.sum + toUnscaled(cell.stream.amount, AMOUNT_SCALE) });
        }
        assert.deepEqual(overHours, direct);
        const all = changes.reduce((s, c) => s + toUnscaled(c.amount, AMOUNT_SCALE), 0n);
        assert.deepEqual(r.totals.stream, { changes: changes.length, amount: fromUnscaled(all, AMOUNT_SCALE) });
        assert.deepEqual(r.totals.landed, r.totals.stream);
      }),
    );
  });

  it('property: one extra landed row changes exactly its own cell, and its hour is reported as the first that differs', () => {
    fc.assert(
      fc.property(changesArb, moneyChangeArb, (changes, extra) => {
        const r = compareMoneyByHour(changes, [...changes, extra]);
        const different = r.cells.filter((c) => !c.match);
        assert.equal(different.length, 1);
        const cell = different[0]!;
        assert.deepEqual(
          [cell.hour, cell.currency, cell.event_type],
          [utcHourOf(extra.event_time), extra.currency, extra.event_type],
        );
        assert.equal(cell.landed.changes, cell.stream.changes + 1);
        assert.equal(
          toUnscaled(cell.landed.amount, AMOUNT_SCALE) - toUnscaled(cell.stream.amount, AMOUNT_SCALE),
          toUnscaled(extra.amount, AMOUNT_SCALE),
        );
        assert.equal(r.firstDifferentHour, cell.hour);
        assert.equal(r.ok, false);
      }),
    );
  });

  it('property: a lost landed row is seen in its own cell as one change and its amount missing', () => {
    fc.assert(
      fc.property(changesArb, fc.nat(), (changes, pick) => {
        const i = pick % changes.length;
        const lost = changes[i]!;
        const r = compareMoneyByHour(
          changes,
          changes.filter((_, j) => j !== i),
        );
        const different = r.cells.filter((c) => !c.match);
        assert.equal(different.length, 1);
        assert.deepEqual([different[0]!.hour, different[0]!.currency], [utcHourOf(lost.event_time), lost.currency]);
        assert.equal(different[0]!.stream.changes - different[0]!.landed.changes, 1);
      }),
    );
  });

  it('adds decimals exactly: 0.1 + 0.2 is 0.3, and fourteen-digit amounts do not round', () => {
    const r = compareMoneyByHour(
      [
        change({ amount: '0.1' }),
        change({ amount: '0.2' }),
        change({ currency: 'CLF', amount: '99999999999999.9999' }),
        change({ currency: 'CLF', amount: '99999999999999.9999' }),
        change({ currency: 'CLF', amount: '0.0001' }),
      ],
      [],
    );
    assert.deepEqual(
      r.cells.map((c) => [c.currency, c.stream.amount]),
      [
        ['CLF', '199999999999999.9999'],
        ['USD', '0.3'],
      ],
    );
  });

  it('keeps REMOVE apart from INSERT and MODIFY instead of netting them', () => {
    const r = compareMoneyByHour(
      [change({ amount: '10' }), change({ event_type: 'MODIFY', amount: '10' }), change({ event_type: 'REMOVE', amount: '10' })],
      [change({ amount: '10' }), change({ event_type: 'MODIFY', amount: '10' })],
    );
    assert.deepEqual(
      r.cells.map((c) => [c.event_type, c.stream.changes, c.stream.amount, c.landed.changes, c.landed.amount, c.match]),
      [
        ['INSERT', 1, '10', 1, '10', true],
        ['MODIFY', 1, '10', 1, '10', true],
        ['REMOVE', 1, '10', 0, '0', false],
      ],
    );
  });

  it('reports the earliest differing hour, not the first one found', () => {
    const stream = [change({ event_time: '2026-12-02T05:00:00.000Z' }), change({ event_time: '2026-12-02T03:59:59.999Z' })];
    const r = compareMoneyByHour(stream, []);
    assert.equal(r.firstDifferentHour, '2026-12-02/03');
    assert.equal(r.differentCells, 2);
  });
});

describe('utcHourOf', () => {
  it('is the UTC hour of event_time in the landing layout form, whatever offset the text carries', () => {
    assert.equal(utcHourOf('2026-12-02T02:59:59.999Z'), '2026-12-02/02');
    assert.equal(utcHourOf('2026-12-02T00:30:00.000+01:00'), '2026-12-01/23');
  });

  it('names the bad value when event_time is not a timestamp', () => {
    assert.throws(() => utcHourOf('yesterday'), /event_time "yesterday" is not a timestamp/);
  });
});
