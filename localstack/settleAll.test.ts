import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settleAll } from './settleAll.ts';

describe('settleAll', () => {
  it('returns every value in order', async () => {
    assert.deepEqual(await settleAll([Promise.resolve(1), Promise.resolve('a')] as const), [1, 'a']);
  });

  it('waits for the slow task before throwing the one failure', async () => {
    let slowDone = false;
    const slow = new Promise<void>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve();
      }, 30),
    );
    await assert.rejects(settleAll([Promise.reject(new Error('boom')), slow] as const), /boom/);
    assert.equal(slowDone, true);
  });

  it('reports every failure when several fail', async () => {
    await assert.rejects(
      settleAll([Promise.reject(new Error('one')), Promise.reject(new Error('two'))] as const),
      (e: unknown) => {
        assert.ok(e instanceof AggregateError);
        assert.equal(e.message, 'one; two');
        return true;
      },
    );
  });
});
