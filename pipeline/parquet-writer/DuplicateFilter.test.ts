import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DuplicateFilter, DuplicateVerdict } from './DuplicateFilter.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';

describe('DuplicateFilter', () => {
  it('drops a re-published record by its event_id', () => {
    const f = new DuplicateFilter();
    const r = changeRecord(1);
    assert.equal(f.verdict(r), DuplicateVerdict.NEW);
    f.accept(r);
    assert.equal(f.verdict(r), DuplicateVerdict.DUPLICATE_EVENT);
  });

  it('drops an older change of a chargeback by its sequence_number, keeps newer ones', () => {
    const f = new DuplicateFilter();
    f.accept(changeRecord(1, { chargeback_id: 'cb', sequence_number: '200' }));
    assert.equal(f.verdict(changeRecord(2, { chargeback_id: 'cb', sequence_number: '150' })), DuplicateVerdict.STALE_SEQUENCE);
    assert.equal(f.verdict(changeRecord(3, { chargeback_id: 'cb', sequence_number: '200' })), DuplicateVerdict.STALE_SEQUENCE);
    assert.equal(f.verdict(changeRecord(4, { chargeback_id: 'cb', sequence_number: '201' })), DuplicateVerdict.NEW);
    assert.equal(f.verdict(changeRecord(5, { chargeback_id: 'other', sequence_number: '1' })), DuplicateVerdict.NEW);
  });

  it('compares sequence numbers as 40-digit integers, not as strings or floats', () => {
    const f = new DuplicateFilter();
    f.accept(changeRecord(1, { chargeback_id: 'cb', sequence_number: '9999999999999999999999999999999999999998' }));
    assert.equal(
      f.verdict(changeRecord(2, { chargeback_id: 'cb', sequence_number: '9999999999999999999999999999999999999999' })),
      DuplicateVerdict.NEW,
    );
    f.accept(changeRecord(3, { chargeback_id: 'c2', sequence_number: '99' }));
    assert.equal(f.verdict(changeRecord(4, { chargeback_id: 'c2', sequence_number: '100' })), DuplicateVerdict.NEW);
  });

  it('keeps at most `capacity` event ids and chargebacks, forgetting the oldest first', () => {
    const f = new DuplicateFilter(3);
    for (let i = 0; i < 5; i++) f.accept(changeRecord(i));
    assert.equal(f.size, 3);
    assert.equal(f.verdict(changeRecord(0)), DuplicateVerdict.NEW, 'outside the window');
    assert.equal(f.verdict(changeRecord(4)), DuplicateVerdict.DUPLICATE_EVENT);
    assert.equal(f.snapshot().sequences.length, 3);
  });

  it('makes the same decisions after a snapshot/restore as before it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 60 }), fc.array(fc.nat(40), { maxLength: 30 }), (accepted, probes) => {
        const f = new DuplicateFilter(16);
        for (const i of accepted) f.accept(changeRecord(i, { chargeback_id: `cb-${i % 7}` }));
        const g = DuplicateFilter.restore(JSON.parse(JSON.stringify(f.snapshot())), 16);
        for (const i of probes) {
          const r = changeRecord(i, { chargeback_id: `cb-${i % 7}` });
          assert.equal(g.verdict(r), f.verdict(r));
        }
      }),
    );
  });
});
