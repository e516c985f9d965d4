import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isolationReport, type IsolationSnapshot } from './rehearsalIsolation.ts';

const names = {
  defaultTable: 'chargebacks',
  givenTable: 'chargebacks-rehearsal',
  defaultBucket: 'chargeback-cdc-landing',
  givenBucket: 'chargeback-cdc-rehearsal-landing',
};
const empty: IsolationSnapshot = { defaultTable: [], givenTable: [], defaultBucket: [], givenBucket: [] };

describe('the rehearsal isolation check', () => {
  it('passes when the run wrote and landed its chargebacks only in the given table and bucket', () => {
    const after = { ...empty, givenTable: ['cb-1', 'cb-2'], givenBucket: ['landing/chargebacks/part-0.parquet'] };

    const r = isolationReport(names, empty, after, ['cb-2', 'cb-1']);

    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.written, ['cb-1', 'cb-2']);
    assert.deepEqual(r.landed, ['cb-1', 'cb-2']);
  });

  it('fails naming the default table and bucket when the run also wrote there', () => {
    const after = {
      defaultTable: ['cb-1'],
      givenTable: ['cb-1'],
      defaultBucket: ['landing/chargebacks/part-9.parquet'],
      givenBucket: ['landing/chargebacks/part-0.parquet'],
    };

    const r = isolationReport(names, empty, after, ['cb-1']);

    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0]!, /^table chargebacks: 1 item\(s\) written during the run \(cb-1\)$/);
    assert.match(r.problems[1]!, /^bucket chargeback-cdc-landing: 1 object\(s\) put during the run/);
  });

  it('fails when nothing reached the given table, or a chargeback did not land in the given bucket', () => {
    assert.match(isolationReport(names, empty, empty, []).problems.join(), /chargebacks-rehearsal: the run wrote no chargeback/);

    const r = isolationReport(names, empty, { ...empty, givenTable: ['cb-1', 'cb-2'] }, ['cb-1']);

    assert.deepEqual(r.problems, ['bucket chargeback-cdc-rehearsal-landing: no landed row for cb-2 (in chargebacks-rehearsal)']);
  });

  it('counts only what changed during the run: items and objects from before are not the run’s', () => {
    const before = { defaultTable: ['old'], givenTable: ['older'], defaultBucket: ['k0'], givenBucket: ['k1'] };
    const after = { ...before, givenTable: ['older', 'cb-1'] };

    const r = isolationReport(names, before, after, ['cb-1']);

    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.written, ['cb-1']);
  });
});
