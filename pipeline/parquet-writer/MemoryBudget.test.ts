import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryBudget } from './MemoryBudget.ts';
import type { PartitionWriter } from './PartitionWriter.ts';
import type { WriterEvent } from './WriterEvent.ts';

/** Only the byte counts MemoryBudget reads of a partition writer. */
const partition = (bufferedBytes: number, inFlightBytes = 0, closedBytes = 0) =>
  ({ bufferedBytes, inFlightBytes, closedBytes }) as PartitionWriter;

function budget(owned: PartitionWriter[], draining: PartitionWriter[] = [], consumerRunning = true) {
  const rolled: PartitionWriter[] = [];
  const consumer: string[] = [];
  const events: WriterEvent[] = [];
  const b = new MemoryBudget(1000, {
    owned: () => owned,
    draining: () => draining,
    rollEarly: (pw) => rolled.push(pw),
    pause: () => consumerRunning && consumer.push('pause') > 0,
    resume: () => consumerRunning && consumer.push('resume') > 0,
    emit: (e) => events.push(e),
  });
  return { b, rolled, consumer, events };
}

describe('MemoryBudget', () => {
  it('counts every byte held once: owned partitions and draining ones (revoked, still uploading)', () => {
    const shared = partition(300);
    const { b } = budget([shared, partition(200)], [shared, partition(100)]);
    assert.equal(b.bufferedBytes(), 600);
  });

  it('at the cap rolls the partition with the most open (not yet uploading) bytes and pauses the consumer', () => {
    const small = partition(400);
    const big = partition(600, 500); // 100 open
    const open = partition(500, 0); // 500 open
    const queued = partition(450, 0, 400); // 50 open: closed parts wait behind an upload
    const { b, rolled, consumer, events } = budget([small, big, open, queued]);
    b.apply();
    assert.deepEqual(rolled, [open]);
    assert.deepEqual(consumer, ['pause']);
    assert.equal(b.paused, true);
    assert.deepEqual(events, [{ type: 'backpressure', paused: true, bufferedBytes: 1950, maxBufferedBytes: 1000 }]);
  });

  it('resumes only below 80 % of the cap', () => {
    const pw = partition(1000);
    const { b, consumer } = budget([pw]);
    b.apply();
    (pw as { bufferedBytes: number }).bufferedBytes = 850;
    b.apply();
    assert.deepEqual(consumer, ['pause']);
    (pw as { bufferedBytes: number }).bufferedBytes = 799;
    b.apply();
    assert.deepEqual(consumer, ['pause', 'resume']);
    assert.equal(b.paused, false);
  });

  it('keeps deciding while the consumer is not running: nothing is recorded as paused', () => {
    const { b, events } = budget([partition(2000)], [], false);
    b.apply();
    assert.equal(b.paused, false);
    assert.deepEqual(events, []);
  });
});
