import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTopics, parseEvent, TopicCreatorError, type TopicAdmin, type TopicSpec } from './topic-creator.ts';

/** Kafka's broker default max.message.bytes (MSK Serverless keeps it): 1 MiB + record batch overhead. */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = '1048588';

/**
 * An in-memory Kafka admin with the semantics ensureTopics relies on, AlterConfigs included: it
 * replaces a topic's whole set of dynamic configs (what is not sent reverts to the default).
 */
function fakeAdmin(initial: Record<string, number> = {}, initialConfigs: Record<string, Record<string, string>> = {}) {
  const topics = new Map(Object.entries(initial));
  const configs = new Map(Object.entries(initialConfigs));
  const calls: string[] = [];
  const admin: TopicAdmin = {
    listTopics: async () => [...topics.keys()],
    createTopics: async ({ topics: list }) => {
      calls.push(`create ${list.map((t) => `${t.topic}:${t.numPartitions}`).join(',')}`);
      for (const t of list) {
        if (topics.has(t.topic)) continue;
        topics.set(t.topic, t.numPartitions ?? 1);
        configs.set(t.topic, Object.fromEntries((t.configEntries ?? []).map((e) => [e.name, e.value])));
      }
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
    describeConfigs: async ({ resources }) => ({
      throttleTime: 0,
      resources: resources.map((r) => {
        const dynamic = configs.get(r.name) ?? {};
        const entry = (configName: string, configValue: string, configSource: number) => ({
          configName,
          configValue,
          configSource,
          isDefault: configSource !== 1,
          isSensitive: false,
          readOnly: false,
          configSynonyms: [],
        });
        const entries = Object.entries(dynamic).map(([k, v]) => entry(k, v, 1));
        if (!('max.message.bytes' in dynamic)) entries.push(entry('max.message.bytes', BROKER_DEFAULT_MAX_MESSAGE_BYTES, 5));
        return { resourceName: r.name, resourceType: r.type, errorCode: 0, errorMessage: '', configEntries: entries };
      }),
    }),
    alterConfigs: async ({ resources }) => {
      for (const r of resources) {
        calls.push(`alter ${r.name} ${r.configEntries.map((e) => `${e.name}=${e.value}`).join(',')}`);
        configs.set(r.name, Object.fromEntries(r.configEntries.map((e) => [e.name, e.value])));
      }
      return true;
    },
  };
  return { admin, topics, configs, calls };
}

const EIGHT_MIB = String(8 * 1024 * 1024);
const specs: TopicSpec[] = [
  { name: 'chargebacks', partitions: 3, replicationFactor: 3, config: { 'max.message.bytes': EIGHT_MIB } },
  { name: 'chargebacks-dlq', partitions: 3, replicationFactor: 3, config: { 'max.message.bytes': EIGHT_MIB } },
];

describe('topic creator', () => {
  it('creates missing topics with their partition count in one CreateTopics call', async () => {
    const { admin, topics, calls } = fakeAdmin();
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(out, [
      { name: 'chargebacks', action: 'created', partitions: 3, configAltered: [] },
      { name: 'chargebacks-dlq', action: 'created', partitions: 3, configAltered: [] },
    ]);
    assert.deepEqual(calls, ['create chargebacks:3,chargebacks-dlq:3']);
    assert.equal(topics.get('chargebacks'), 3);
  });

  it("creates them with the requested max.message.bytes, not the broker's 1 MiB default", async () => {
    const { admin, configs } = fakeAdmin();
    await ensureTopics(admin, specs);
    assert.deepEqual(configs.get('chargebacks'), { 'max.message.bytes': EIGHT_MIB });
    assert.deepEqual(configs.get('chargebacks-dlq'), { 'max.message.bytes': EIGHT_MIB });
  });

  it('raises max.message.bytes of topics that exist with the default, keeping the configs an operator set', async () => {
    const { admin, configs, calls } = fakeAdmin(
      { chargebacks: 3, 'chargebacks-dlq': 3 },
      { chargebacks: { 'retention.ms': '604800000' }, 'chargebacks-dlq': { 'max.message.bytes': EIGHT_MIB } },
    );
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(
      out.map((o) => [o.name, o.action, o.configAltered]),
      [
        ['chargebacks', 'exists', ['max.message.bytes']],
        ['chargebacks-dlq', 'exists', []],
      ],
    );
    assert.deepEqual(calls, [`alter chargebacks retention.ms=604800000,max.message.bytes=${EIGHT_MIB}`]);
    assert.deepEqual(configs.get('chargebacks'), { 'retention.ms': '604800000', 'max.message.bytes': EIGHT_MIB });
  });

  it('names the missing permission when the configs of an existing topic cannot be read', async () => {
    const { admin } = fakeAdmin({ chargebacks: 3, 'chargebacks-dlq': 3 });
    admin.describeConfigs = async ({ resources }) => ({
      throttleTime: 0,
      resources: resources.map((r) => ({
        resourceName: r.name,
        resourceType: r.type,
        errorCode: 29,
        errorMessage: 'Topic authorization failed',
        configEntries: [],
      })),
    });
    await assert.rejects(
      ensureTopics(admin, specs),
      (e: Error) => e instanceof TopicCreatorError && /kafka-cluster:DescribeTopicDynamicConfiguration/.test(e.message),
    );
  });

  it('is idempotent: a second run changes nothing', async () => {
    const { admin, calls } = fakeAdmin(
      { chargebacks: 3, 'chargebacks-dlq': 3 },
      { chargebacks: { 'max.message.bytes': EIGHT_MIB }, 'chargebacks-dlq': { 'max.message.bytes': EIGHT_MIB } },
    );
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(
      out.map((o) => o.action),
      ['exists', 'exists'],
    );
    assert.deepEqual(calls, []);
  });

  it('grows a topic with fewer partitions and never shrinks one with more', async () => {
    const eight = { 'max.message.bytes': EIGHT_MIB };
    const { admin, calls } = fakeAdmin(
      { chargebacks: 1, 'chargebacks-dlq': 6 },
      { chargebacks: eight, 'chargebacks-dlq': eight },
    );
    const out = await ensureTopics(admin, specs);
    assert.deepEqual(out, [
      { name: 'chargebacks', action: 'partitions-increased', partitions: 3, configAltered: [] },
      { name: 'chargebacks-dlq', action: 'exists-with-more-partitions', partitions: 6, configAltered: [] },
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
    assert.throws(
      () =>
        parseEvent({ topics: [{ name: 't', partitions: 1, replicationFactor: 3, config: { 'max.message.bytes': 8388608 } }] }),
      /topics\[0\]\.config\.max\.message\.bytes: a Kafka topic config name with a string value/,
    );
  });
});
