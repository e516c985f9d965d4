import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hourEndMs, hoursBetween, lastEndedHour, nextHour } from './hours.ts';

describe('hours (UTC landing buckets)', () => {
  it('an hour becomes closable exactly grace after its end', () => {
    const end = Date.UTC(2026, 0, 31, 23 + 1);
    assert.equal(lastEndedHour(end + 30_000, 30_000), '2026-01-31/23');
    assert.equal(lastEndedHour(end + 29_999, 30_000), '2026-01-31/22');
  });

  it('steps over day, month and year ends', () => {
    assert.equal(nextHour('2026-12-31/23'), '2027-01-01/00');
    assert.equal(hourEndMs('2026-02-28/23'), Date.UTC(2026, 2, 1, 0));
    assert.deepEqual(hoursBetween('2026-01-31/22', '2026-02-01/01'), [
      '2026-01-31/22',
      '2026-01-31/23',
      '2026-02-01/00',
      '2026-02-01/01',
    ]);
    assert.deepEqual(hoursBetween('2026-02-01/01', '2026-01-31/22'), []);
  });
});
