import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConditionalWriteConflictError, PartitionFencedError, RecoveryError } from './errors.ts';
import { InMemoryObjectStore } from '../../fixtures/InMemoryObjectStore.ts';
import type { ObjectStore } from './ObjectStore.ts';
import { emptyDedup, ProgressStore, type PartitionProgress } from './PartitionProgress.ts';

const base = (epoch: number): Omit<PartitionProgress, 'writeId' | 'updatedAt'> => ({
  version: 1,
  topic: 't',
  partition: 0,
  committedThrough: '9',
  checkpointId: 1,
  owner: { writerId: 'w', epoch },
  pending: [],
  dedup: emptyDedup(),
});

describe('ProgressStore', () => {
  it('keeps state under the state prefix, outside the landing prefix', () => {
    const ps = new ProgressStore(new InMemoryObjectStore(), '_state/g/t/', 't');
    assert.equal(ps.progressKey(2), '_state/g/t/partition-2.json');
    assert.equal(
      ps.stagingKey(2, '2026-01-31/23', 'part-2-0000000000-0000000001.parquet'),
      '_state/g/t/partition-2/pending/2026-01-31/23/part-2-0000000000-0000000001.parquet',
    );
  });

  it('writes only over the version it read (compare-and-swap on the ETag)', async () => {
    const ps = new ProgressStore(new InMemoryObjectStore(), 's/', 't');
    const first = await ps.write(base(1), null);
    await assert.rejects(ps.write(base(1), null), PartitionFencedError, 'create only if absent');
    const second = await ps.write(base(1), first.etag);
    await assert.rejects(
      ps.write(base(2), first.etag),
      (e: unknown) => e instanceof PartitionFencedError && /changed by another writer \(owner w epoch 1\)/.test(e.message),
    );
    assert.deepEqual((await ps.read(0))!.progress, second.progress);
  });

  it('recognises its own write when the response was lost and the retry hit the condition', async () => {
    const store = new InMemoryObjectStore();
    const first = await new ProgressStore(store, 's/', 't').write(base(1), null);
    // The first attempt lands, its response is lost, and LandingStore's retry gets 412 (the ETag moved: by us).
    const lossy: ObjectStore = Object.create(store, {
      putObject: {
        value: async (key: string, body: Uint8Array, condition?: { ifMatch?: string }) => {
          await store.putObject(key, body, condition);
          throw new ConditionalWriteConflictError('412 on retry');
        },
      },
    });
    const written = await new ProgressStore(lossy, 's/', 't').write(base(1), first.etag);
    assert.equal(written.progress.writeId, (await new ProgressStore(store, 's/', 't').read(0))!.progress.writeId);
    assert.notEqual(written.etag, first.etag);
  });

  it('refuses a corrupt or foreign progress object with what to do about it', async () => {
    const store = new InMemoryObjectStore();
    const ps = new ProgressStore(store, 's/', 't');
    await store.putObject('s/partition-0.json', new TextEncoder().encode('{"version":1}'));
    await assert.rejects(
      ps.read(0),
      (e: unknown) =>
        e instanceof RecoveryError && /is invalid \(topic: .*delete it to rebuild progress from the landed files/.test(e.message),
    );
    await store.putObject(
      's/partition-1.json',
      new TextEncoder().encode(JSON.stringify({ ...base(1), partition: 0, writeId: 'x', updatedAt: 'now' })),
    );
    await assert.rejects(ps.read(1), /belongs to t\/0, not t\/1/);
  });
});
