import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backpressure } from './Backpressure.ts';

describe('Backpressure', () => {
  it('pauses and rolls the biggest partition when buffered bytes reach the cap', () => {
    const b = new Backpressure(1000);
    assert.deepEqual(b.decide(999), { rollBiggest: false });
    assert.deepEqual(b.decide(1000), { rollBiggest: true, pause: true });
  });

  it('keeps rolling but does not pause twice while over the cap', () => {
    const b = new Backpressure(1000);
    b.paused = true;
    assert.deepEqual(b.decide(5000), { rollBiggest: true });
  });

  it('resumes only below 80 % of the cap, so it does not flap', () => {
    const b = new Backpressure(1000);
    b.paused = true;
    assert.deepEqual(b.decide(850), { rollBiggest: false });
    assert.deepEqual(b.decide(799), { rollBiggest: false, pause: false });
  });
});
