import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Admin, GroupDescription } from 'kafkajs';
import { HandOverRefusedError, handOverOffsets, landedThrough, planHandOver } from './handOverOffsets.ts';

/** The four admin calls the hand-over makes, over in-memory groups (the acceptance scenario uses a real broker). */
function fakeAdmin(o: {
  logEnds: Record<number, number>;
  offsets: Record<string, Record<number, number>>;
  members?: Record<string, number>;
}) {
  const sets: Array<{ groupId: string; partitions: Array<{ partition: number; offset: string }> }> = [];
  const admin = {
    describeGroups: async (ids: string[]) => ({
      groups: ids.map(
        (groupId) =>
          ({
            groupId,
            state: o.members?.[groupId] ? 'Stable' : 'Empty',
            members: Array.from({ length: o.members?.[groupId] ?? 0 }, (_, i) => ({
              memberId: `m${i}`,
              clientId: 'parquet-writer',
              clientHost: '/127.0.0.1',
            })),
          }) as unknown as GroupDescription,
      ),
    }),
    fetchTopicOffsets: async () =>
      Object.entries(o.logEnds).map(([p, high]) => ({
        partition: Number(p),
        high: String(high),
        low: '0',
        offset: String(high),
      })),
    fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) => [
      {
        topic: topics[0]!,
        partitions: Object.keys(o.logEnds).map((p) => ({
          partition: Number(p),
          offset: String(o.offsets[groupId]?.[Number(p)] ?? -1),
        })),
      },
    ],
    setOffsets: async (s: { groupId: string; topic: string; partitions: Array<{ partition: number; offset: string }> }) => {
      sets.push({ groupId: s.groupId, partitions: s.partitions });
      o.offsets[s.groupId] ??= {};
      for (const p of s.partitions) o.offsets[s.groupId]![p.partition] = Number(p.offset);
    },
  };
  return { admin: admin as unknown as Admin, sets, offsets: o.offsets };
}

describe('planHandOver', () => {
  it('gives the target exactly the source position of every partition', () => {
    const plan = planHandOver({
      logEnds: new Map([
        [0, 10n],
        [1, 4n],
        [2, 0n],
      ]),
      source: new Map([
        [0, 7n],
        [1, 4n],
      ]),
      target: new Map([[0, 9n]]),
    });
    assert.deepEqual(plan, [
      { partition: 0, source: '7', before: '9', after: '7', logEnd: '10' },
      { partition: 1, source: '4', before: null, after: '4', logEnd: '4' },
      { partition: 2, source: null, before: null, after: null, logEnd: '0' },
    ]);
  });

  it('refuses, naming every partition at fault, when a position is past the log end or only the target has one', () => {
    assert.throws(
      () =>
        planHandOver({
          logEnds: new Map([
            [0, 10n],
            [1, 4n],
          ]),
          source: new Map([[0, 11n]]),
          target: new Map([[1, 2n]]),
        }),
      (e: unknown) =>
        e instanceof HandOverRefusedError &&
        e.code === 'KAFKA_HANDOVER_REFUSED' &&
        /partition 0: source position 11 is past the log end 10/.test(e.message) &&
        /partition 1: the target group has offset 2 but the source has no position/.test(e.message),
    );
  });
});

describe('handOverOffsets', () => {
  it('sets the target group to the source group offsets and reports before/after', async () => {
    const { admin, offsets } = fakeAdmin({ logEnds: { 0: 50, 1: 40 }, offsets: { emb: { 0: 50, 1: 38 }, fl: { 0: 20 } } });
    const r = await handOverOffsets(admin, { topic: 't', fromGroup: 'emb', toGroup: 'fl' });
    assert.deepEqual(offsets.fl, { 0: 50, 1: 38 });
    assert.deepEqual(
      r.partitions.map((p) => [p.partition, p.before, p.after]),
      [
        [0, '20', '50'],
        [1, null, '38'],
      ],
    );
  });

  it("raises the source position to the source engine's checkpoint when its group offset trails it", async () => {
    const { admin, offsets } = fakeAdmin({ logEnds: { 0: 50, 1: 40 }, offsets: { g: { 0: 45, 1: 40 } } });
    await handOverOffsets(admin, { topic: 't', fromGroup: 'g', toGroup: 'g', sourceFloor: new Map([[0, 48n]]) });
    assert.deepEqual(offsets.g, { 0: 48, 1: 40 });
  });

  it('refuses while the source group has an active member, and changes nothing', async () => {
    const { admin, sets } = fakeAdmin({ logEnds: { 0: 5 }, offsets: { emb: { 0: 5 } }, members: { emb: 1 } });
    await assert.rejects(
      handOverOffsets(admin, { topic: 't', fromGroup: 'emb', toGroup: 'fl', fromName: 'the embedded writer' }),
      (e: unknown) =>
        e instanceof HandOverRefusedError &&
        /consumer group emb \(the embedded writer\) has 1 active member \(parquet-writer\/127\.0\.0\.1\): stop it with SIGTERM/.test(
          e.message,
        ),
    );
    assert.deepEqual(sets, []);
  });

  it('refuses while the target group has active members', async () => {
    const { admin, sets } = fakeAdmin({ logEnds: { 0: 5 }, offsets: { emb: { 0: 5 } }, members: { fl: 2 } });
    await assert.rejects(
      handOverOffsets(admin, { topic: 't', fromGroup: 'emb', toGroup: 'fl', toName: 'the Flink job' }),
      /consumer group fl \(the Flink job\) has 2 active members/,
    );
    assert.deepEqual(sets, []);
  });
});

describe('landedThrough', () => {
  const tail = (...ids: Array<string | undefined>) => ids.map((eventId, i) => ({ offset: BigInt(10 + i), eventId }));

  it('moves past the records whose changes already landed, up to the first that did not', () => {
    assert.equal(landedThrough(tail('a', 'b', 'c', 'd'), 10n, new Set(['a', 'b', 'd'])), 12n);
  });

  it('stays at the committed offset when nothing after it landed', () => {
    assert.equal(landedThrough(tail('a', 'b'), 10n, new Set()), 10n);
  });

  it('steps over poison inside the landed prefix but leaves poison at its end before the position', () => {
    assert.equal(landedThrough(tail('a', undefined, 'b', undefined), 10n, new Set(['a', 'b'])), 13n);
  });
});
