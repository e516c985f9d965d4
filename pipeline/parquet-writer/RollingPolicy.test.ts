import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RollingPolicy, RollReason } from './RollingPolicy.ts';

const part = (createdAtMs: number, lastUpdatedAtMs: number, sizeBytes: number) => ({ createdAtMs, lastUpdatedAtMs, sizeBytes });

describe('RollingPolicy', () => {
  it('defaults to Flink DefaultRollingPolicy: 60 s rollover, 128 MiB, inactivity = rollover', () => {
    const p = new RollingPolicy();
    assert.equal(p.rolloverMs, 60_000);
    assert.equal(p.maxPartBytes, 128 * 1024 * 1024);
    assert.equal(p.inactivityMs, 60_000);
    assert.equal(new RollingPolicy({ rolloverMs: 5_000 }).inactivityMs, 5_000);
  });

  it('rolls a part file when the buffered size passes maxPartBytes', () => {
    const p = new RollingPolicy({ maxPartBytes: 1000 });
    assert.equal(p.shouldRollOnEvent(part(0, 0, 999)), false);
    assert.equal(p.shouldRollOnEvent(part(0, 0, 1000)), true);
    assert.equal(p.rollReason(part(0, 0, 1000), 0), RollReason.SIZE);
  });

  it('rolls a part file once it is rolloverMs old, even while records keep coming', () => {
    const p = new RollingPolicy({ rolloverMs: 60_000, inactivityMs: 30_000 });
    assert.equal(p.shouldRollOnProcessingTime(part(0, 59_000, 10), 59_999), false);
    assert.equal(p.shouldRollOnProcessingTime(part(0, 59_000, 10), 60_000), true);
    assert.equal(p.rollReason(part(0, 59_000, 10), 60_000), RollReason.INTERVAL);
  });

  it('rolls an idle part file after inactivityMs without new records', () => {
    const p = new RollingPolicy({ rolloverMs: 60_000, inactivityMs: 10_000 });
    assert.equal(p.shouldRollOnProcessingTime(part(0, 5_000, 10), 14_999), false);
    assert.equal(p.rollReason(part(0, 5_000, 10), 15_000), RollReason.INACTIVITY);
  });

  it('refuses non-positive limits with the name of the setting', () => {
    assert.throws(() => new RollingPolicy({ maxPartBytes: 0 }), /maxPartBytes must be a positive number/);
    assert.throws(() => new RollingPolicy({ rolloverMs: -1 }), /rolloverMs/);
  });
});
