import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkProgressWithinLog } from './checkProgressWithinLog.ts';
import { ProgressAheadOfLogError } from './errors.ts';

describe('checkProgressWithinLog', () => {
  const at = (committedThrough: bigint, logEnd: bigint) => ({ topic: 'chargebacks', partition: 2, committedThrough, logEnd });

  it('accepts a state behind the log end, one that landed everything, and an empty state on an empty log', () => {
    assert.doesNotThrow(() => checkProgressWithinLog(at(10n, 100n)));
    assert.doesNotThrow(() => checkProgressWithinLog(at(99n, 100n)));
    assert.doesNotThrow(() => checkProgressWithinLog(at(-1n, 0n)));
  });

  it('refuses a state at or past the log end, naming topic, partition, progress, log end and what to do', () => {
    assert.throws(() => checkProgressWithinLog(at(100n, 100n)), ProgressAheadOfLogError);
    const e = (() => {
      try {
        checkProgressWithinLog(at(14_499n, 37n));
      } catch (x) {
        return x as ProgressAheadOfLogError;
      }
      assert.fail('no error');
    })();
    assert.equal(e.code, 'PW_PROGRESS_AHEAD_OF_LOG');
    assert.equal(e.canRetry, false);
    assert.match(e.message, /topic chargebacks partition 2/);
    assert.match(e.message, /committed progress 14500/);
    assert.match(e.message, /log end offset is 37/);
    assert.match(e.message, /stack reset/);
    assert.match(e.message, /fresh bucket or prefix/);
  });
});
