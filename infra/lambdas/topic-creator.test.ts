import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTopics, parseEvent, TopicCreatorError, type TopicAdmin, type TopicSpec } from './topic-creator.ts';

/** An in-memory Kafka admin with the semantics ensureTopics relies on. */
function fakeAdmin(initial: Record<string, number> = {}) {
  const topics = new Map(Object.entries(initial));
  const calls: string[] = [];
  const admin: TopicAdmin = {
    listTopics: async () => [...topics.keys()],
    createTopics: async ({ topics: list }) => {
      calls.push(`create ${list.map((t) => `${t.topic}:${t.numPartitions}`).join(',')}`);
      for (const t of list) if (!topics.has(t.topic)) topics.set(t.topic, t.numPartitions ?? 1);
      return true;
    },
    fetchTopicMetadata: async (req) => ({
      topics: (req?.topics ?? [...topics.keys()])
        .filter((n) => topics.has(n))
        .map((name) => ({
          name,
          partitions: Array.from({ length: topics.get(name)! }, (_, i) => ({
            partitionId: i,
            leader: 1,
            replicas: [1],
            isr: [1],
            partitionErrorCode: 0,
            offlineReplicas: [],
          })),
        })),
    }),
    createPartitions: async ({ topicPartitions }) => {
      for (const p of topicPartitions) {
        calls.push(`grow ${p.topic}:${p.count}`);
        topics.set(p.topic, p.count);
      }
      return true;
    },
  };
  return { admin, topics, calls };
}

const specs: TopicSpec[] = [
  { name: 'chargebacks', partitions: 3, replicationFactor: 3 },
  { name: 'chargebacks-dlq', partitions: 3, replicationFactor: 3 },
];

describe('topic creator', () => {
  it('creates missing topics with their partition count in one CreateTopics call', async () => {
    const { admin, topics, calls } = fakeAdmin();
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(out, [
      { name: 'chargebacks', action: 'created', partitions: 3 },
      { name: 'chargebacks-dlq', action: 'created', partitions: 3 },
    ]);
    assert.deepEqual(calls, ['create chargebacks:3,chargebacks-dlq:3']);
    assert.equal(topics.get('chargebacks'), 3);
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { admin, calls } = fakeAdmin({ chargebacks: 3, 'chargebacks-dlq': 3 });
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(
      out.map((o) => o.action),
      ['exists', 'exists'],
    );
    assert.deepEqual(calls, []);
  });

  it('grows a topic with fewer partitions and never shrinks one with more', async () => {
    const { admin, calls } = fakeAdmin({ chargebacks: 1, 'chargebacks-dlq': 6 });
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(out, [
      { name: 'chargebacks', action: 'partitions-increased', partitions: 3 },
      { name: 'chargebacks-dlq', action: 'exists-with-more-partitions', partitions: 6 },
    ]);
    assert.deepEqual(calls, ['grow chargebacks:3']);
  });

  it('fails with the missing permission named when a topic is still absent after CreateTopics', async () => {
    const { admin } = fakeAdmin();
    admin.createTopics = async () => false;
    await assert.rejects(
      ensureTopics(admin, specs),
      (e: Error) => e instanceof TopicCreatorError && /kafka-cluster:CreateTopic/.test(e.message),
    );
  });

  it('validates its input and reports every problem', () => {
    assert.deepEqual(parseEvent({ topics: specs }).topics, specs);
    assert.throws(() => parseEvent({}), TopicCreatorError);
    assert.throws(
      () => parseEvent({ topics: [{ name: 'bad topic', partitions: 0, replicationFactor: 3 }] }),
      (e: Error) => /topics\[0\]\.name/.test(e.message) && /topics\[0\]\.partitions/.test(e.message),
    );
  });
});
