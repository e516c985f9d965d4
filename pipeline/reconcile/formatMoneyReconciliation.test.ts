import { it } from 'node:test';
import assert from 'node:assert/strict';
import { formatMoneyReconciliation } from './formatMoneyReconciliation.ts';
import { compareMoneyByHour, type MoneyChange } from './moneyByHour.ts';
import { moneyChange } from '../../fixtures/moneyChanges.ts';

const change = (over: Partial<MoneyChange>): MoneyChange => moneyChange({ amount: '10.5', ...over });

it('prints one line per hour, currency and event type, sums aligned, then the first hour that differs', () => {
  const stream = [change({}), change({ currency: 'JPY', amount: '300', event_time: '2026-12-02T03:00:00.000Z' })];
  const lines = formatMoneyReconciliation({
    by: 'hour',
    report: compareMoneyByHour(stream, stream.slice(0, 1)),
    ok: false,
    streamArn: 'arn',
    files: 1,
    streamChanges: 2,
    poisonInStream: 0,
    landedRows: 1,
    landedOutsideWindow: 0,
    problems: [],
  });
  assert.deepEqual(lines.slice(0, 3), [
    'hour (UTC, event_time)  currency  event   stream n  stream sum  landed n  landed sum',
    '2026-12-02/02           USD       INSERT         1        10.5         1        10.5  ok',
    '2026-12-02/03           JPY       INSERT         1         300         0           0  DIFFERENT',
  ]);
  assert.deepEqual(lines.slice(-2), ['first hour that differs: 2026-12-02/03 (1 cells differ)', 'reconcile: DIFFERENCES FOUND']);
});
