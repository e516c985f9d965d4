import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeChangeRecord, type ChangeRecord } from '../schema/index.ts';
import { processingTimeBucketAssigner } from './BucketAssigner.ts';
import { commitCheckpoint, type CommitterDeps } from './CheckpointCommitter.ts';
import { InMemoryObjectStore, SimulatedCrash } from '../../fixtures/InMemoryObjectStore.ts';
import { isLandedPartKey, splitLandedKey } from './listLandedFiles.ts';
import { parsePartFileName } from './PartFileNamer.ts';
import { ProgressStore } from './PartitionProgress.ts';
import { recoverPartition, type RecoveryDeps } from './PartitionRecovery.ts';
import { PartitionWriter } from './PartitionWriter.ts';
import { readParquetFile } from './readParquetFile.ts';
import { takeRecord } from './takeRecord.ts';
import { asLanded, changeRecord } from '../../fixtures/changeRecords.ts';

/**
 * The exactly-once protocol (stage → decide → commit → recover) driven without Kafka: one
 * partition's records are consumed, checkpointed at arbitrary points, and the "process" is
 * killed at an arbitrary S3 mutation — before it reached S3 or after (response lost). Each
 * restart runs an hour later, so a replay would land in a different processing-time bucket.
 * After the last run, every good record must be in exactly one committed file.
 */
const PREFIX = 'landing/chargebacks/';
const STATE = '_state/g/t/';

interface Message {
  offset: bigint;
  value: Uint8Array;
}

function deps(store: InMemoryObjectStore, writerId: string) {
  const progress = new ProgressStore(store, STATE, 't');
  const committer: CommitterDeps = {
    store,
    progress,
    prefix: PREFIX,
    topic: 't',
    commitKafkaOffset: async () => undefined,
    emit: () => undefined,
  };
  const recovery: RecoveryDeps = {
    store,
    progress,
    prefix: PREFIX,
    topic: 't',
    writerId,
    dedupWindow: 10_000,
    emit: () => undefined,
  };
  return { committer, recovery };
}

/** One writer process lifetime: recover, consume from the resume offset, checkpoint where `rollAfter` says. Returns false on a crash. */
async function runProcess(
  store: InMemoryObjectStore,
  messages: Message[],
  rollAfter: ReadonlySet<number>,
  startMs: number,
  deadLetters: bigint[],
): Promise<boolean> {
  const { committer, recovery } = deps(store, `w-${startMs}`);
  let now = startMs;
  try {
    const rec = await recoverPartition(0, recovery);
    const pw = new PartitionWriter(0, rec, 1 << 20, now);
    for (const m of messages) {
      if (m.offset < pw.nextOffset) continue;
      now += 7 * 60_000; // 7 minutes per record: parts straddle hour buckets
      await takeRecord(pw, m.offset, m.value, {
        assigner: processingTimeBucketAssigner,
        nowMs: now,
        deadLetter: async () => void deadLetters.push(m.offset),
      });
      if (rollAfter.has(Number(m.offset))) {
        const snap = pw.takeCheckpoint('test');
        if (snap) await commitCheckpoint(pw, snap, committer);
      }
    }
    const last = pw.takeCheckpoint('stop');
    if (last) await commitCheckpoint(pw, last, committer);
    return true;
  } catch (e) {
    if (e instanceof SimulatedCrash) return false;
    throw e;
  }
}

async function landedRows(store: InMemoryObjectStore): Promise<Array<{ key: string; row: ChangeRecord }>> {
  const out: Array<{ key: string; row: ChangeRecord }> = [];
  for (const o of await store.listObjects(PREFIX)) {
    if (!isLandedPartKey(o.key, PREFIX)) continue;
    const { rows } = await readParquetFile((await store.getObject(o.key))!.body);
    for (const row of rows) out.push({ key: o.key, row });
  }
  return out;
}

/** Records with poison and re-published duplicates mixed in; returns the topic and the rows that must land. */
function topicOf(plan: Array<'good' | 'poison' | number>): { messages: Message[]; expected: ChangeRecord[] } {
  const originals: ChangeRecord[] = [];
  const messages: Message[] = [];
  for (const [i, kind] of plan.entries()) {
    let value: Uint8Array;
    if (kind === 'good') {
      const r = changeRecord(i, { chargeback_id: `cb-${i % 4}` });
      originals.push(r);
      value = encodeChangeRecord(r);
    } else if (kind === 'poison') {
      value = i % 2 ? Buffer.from([0xff, 0xfe, i]) : Buffer.from(JSON.stringify({ schema_version: 99, event_id: `p${i}` }));
    } else {
      value = originals.length ? encodeChangeRecord(originals[kind % originals.length]!) : Buffer.from('{}'); // upstream re-publish
    }
    messages.push({ offset: BigInt(i), value });
  }
  return { messages, expected: originals };
}

const planArb = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.constant('good' as const) },
    { weight: 1, arbitrary: fc.constant('poison' as const) },
    { weight: 1, arbitrary: fc.nat(50) },
  ),
  {
    minLength: 1,
    maxLength: 40,
  },
);

describe('exactly once per Kafka record across crashes (checkpoint protocol)', () => {
  it('lands every good record in exactly one committed file whatever S3 mutation the process dies at', async () => {
    await fc.assert(
      fc.asyncProperty(
        planArb,
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.array(fc.record({ at: fc.integer({ min: 1, max: 40 }), applied: fc.boolean() }), { maxLength: 4 }),
        async (plan, rolls, crashes) => {
          const { messages, expected } = topicOf(plan);
          const rollAfter = new Set(rolls.flatMap((r, i) => (r ? [i] : [])));
          const store = new InMemoryObjectStore();
          const deadLetters: bigint[] = [];
          let startMs = Date.UTC(2026, 0, 31, 22, 0);
          for (const crash of crashes) {
            store.crashAtMutation(store.mutations + crash.at, crash.applied);
            await runProcess(store, messages, rollAfter, startMs, deadLetters);
            store.revive();
            startMs += 3_600_000; // the restart happens an hour later: a different processing-time bucket
          }
          assert.equal(await runProcess(store, messages, rollAfter, startMs, deadLetters), true);

          const landed = await landedRows(store);
          assert.deepEqual(
            landed.map((l) => l.row.event_id).sort(),
            expected.map((r) => r.event_id).sort(),
            'each good record lands exactly once',
          );
          for (const { key, row } of landed)
            assert.deepEqual(
              row,
              asLanded(expected.find((r) => r.event_id === row.event_id)!),
              `row of ${key} equals its record`,
            );
          const poison = plan.flatMap((k, i) => (k === 'poison' ? [BigInt(i)] : []));
          for (const o of poison) assert.ok(deadLetters.includes(o), `poison offset ${o} dead-lettered at least once`);
          assert.deepEqual((await store.listObjects(`${STATE}partition-0/pending/`)).length, 0, 'no staged objects left');
        },
      ),
      { numRuns: 150 },
    );
  });

  it('names each file after the offsets it holds, in a bucket of the hour it was taken', async () => {
    const { messages } = topicOf(Array.from({ length: 12 }, () => 'good' as const));
    const store = new InMemoryObjectStore();
    assert.equal(await runProcess(store, messages, new Set([3, 7]), Date.UTC(2026, 0, 31, 22, 0), []), true);
    const landed = await landedRows(store);
    for (const { key, row } of landed) {
      const { bucket, name } = splitLandedKey(key, PREFIX);
      const part = parsePartFileName(name)!;
      const offset = BigInt(Number(row.event_id.slice(4)));
      assert.ok(part.firstOffset <= offset && offset <= part.lastOffset, `${row.event_id} within ${name}`);
      assert.match(bucket, /^2026-0[12]-\d{2}\/\d{2}$/);
    }
    assert.deepEqual(
      landed.map((l) => parsePartFileName(splitLandedKey(l.key, PREFIX).name)!.partition),
      landed.map(() => 0),
    );
  });

  it('fences a writer that lost its partition: its checkpoint is abandoned and the new owner lands everything once', async () => {
    // Prepare: writer A owns the partition and buffers records 0..4.
    const { messages, expected } = topicOf(Array.from({ length: 10 }, () => 'good' as const));
    const store = new InMemoryObjectStore();
    const a = deps(store, 'A');
    const pwA = new PartitionWriter(0, await recoverPartition(0, a.recovery), 1 << 20, 0);
    for (const m of messages.slice(0, 5))
      await takeRecord(pwA, m.offset, m.value, {
        assigner: processingTimeBucketAssigner,
        nowMs: 0,
        deadLetter: async () => undefined,
      });

    // Act: a rebalance gives the partition to B, which claims it and lands everything; then A checkpoints late.
    assert.equal(await runProcess(store, messages, new Set(), Date.UTC(2026, 0, 31, 22, 0), []), true);
    const result = await commitCheckpoint(pwA, pwA.takeCheckpoint('late')!, a.committer);

    // Assess
    assert.equal(result.committed, false);
    assert.equal(pwA.invalidated, true);
    const landed = await landedRows(store);
    assert.deepEqual(landed.map((l) => l.row.event_id).sort(), expected.map((r) => r.event_id).sort());
  });

  it('rebuilds progress and the duplicate window from the landed files when the progress object is gone', async () => {
    const { messages, expected } = topicOf(['good', 'good', 'good', 'good']);
    const store = new InMemoryObjectStore();
    assert.equal(await runProcess(store, messages, new Set([1]), Date.UTC(2026, 0, 31, 22, 0), []), true);
    await store.deleteObject(`${STATE}partition-0.json`);

    // Upstream re-publishes record 2 after the state was lost.
    const replay = [
      ...messages,
      { offset: 4n, value: encodeChangeRecord(expected[2]!) },
      { offset: 5n, value: encodeChangeRecord(changeRecord(5)) },
    ];
    assert.equal(await runProcess(store, replay, new Set(), Date.UTC(2026, 0, 31, 23, 0), []), true);

    const landed = await landedRows(store);
    assert.deepEqual(
      landed.map((l) => l.row.event_id).sort(),
      [...expected.map((r) => r.event_id), changeRecord(5).event_id].sort(),
    );
  });
});
