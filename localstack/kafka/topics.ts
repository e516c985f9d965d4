import type { Admin } from 'kafkajs';
import type { StackConfig } from '../config.ts';
import { ResetFailedError, ResourceMismatchError } from '../errors.ts';
import { waitUntil } from '../waitUntil.ts';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** -1: the broker's default (MSK Serverless sets its own). */
  replicationFactor: number;
}

export interface TopicInfo {
  name: string;
  partitions: number;
}

/**
 * MSK Serverless allows messages up to 8 MiB; the broker default is 1 MiB. A stream batch of
 * 10,000 records (the event source mapping's maximum) is one produce call of about 2 MB, so the
 * local topics take what MSK takes.
 */
export const TOPIC_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** The change topic and its dead-letter topic, both with the pipeline's partition count. */
export function topicSpecs(cfg: StackConfig): TopicSpec[] {
  return [cfg.names.topic, cfg.names.dlqTopic].map((name) => ({
    name,
    partitions: cfg.topicPartitions,
    replicationFactor: cfg.topicReplicationFactor,
  }));
}

/**
 * Creates the topics that are missing (kafkajs skips those that exist) and checks that every topic
 * has the expected partition count: a topic with the wrong count would silently change which
 * partition a chargeback_id lands on.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<TopicInfo[]> {
  // Not kafkajs's waitForLeaders: it retries only LEADER_NOT_AVAILABLE, and a broker that has just
  // created (or re-created) a topic may first answer UNKNOWN_TOPIC_OR_PARTITION for it. Both mean "not yet".
  await admin.createTopics({ waitForLeaders: false, topics: specs.map(createSpec) });
  const led = await waitUntil(
    async (): Promise<TopicInfo[] | undefined> => {
      const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
      const ready = topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (!ready || topics.length !== specs.length) return undefined;
      return specs.map((s) => ({ name: s.name, partitions: topics.find((t) => t.name === s.name)?.partitions.length ?? 0 }));
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  if (!led.ok)
    throw new ResetFailedError(`Kafka topics ${specs.map((s) => s.name).join(', ')} have no leader yet: ${led.reason}`);
  const infos = led.value;
  for (const spec of specs) {
    const info = infos.find((i) => i.name === spec.name);
    if (info?.partitions !== spec.partitions) {
      throw new ResourceMismatchError(
        `Kafka topic ${spec.name} has ${info?.partitions ?? 0} partitions, the pipeline needs ${spec.partitions}: delete it (or \`stack down && stack up\` locally) so it is re-created`,
      );
    }
  }
  return infos;
}

/**
 * Deletes and re-creates the topics (test isolation: no records, no committed offsets, since Kafka
 * drops a group's offsets for deleted partitions). Waits until the deletion is visible in metadata
 * before re-creating, and until every partition has a leader afterwards.
 */
export async function recreateTopics(admin: Admin, specs: TopicSpec[]): Promise<TopicInfo[]> {
  const names = specs.map((s) => s.name);
  const existing = (await admin.listTopics()).filter((t) => names.includes(t));
  if (existing.length > 0) await admin.deleteTopics({ topics: existing, timeout: 10_000 });
  const gone = await waitUntil(async () => ((await admin.listTopics()).some((t) => names.includes(t)) ? undefined : true), {
    timeoutMs: 15_000,
    intervalMs: 100,
  });
  if (!gone.ok) throw new ResetFailedError(`Kafka topics ${existing.join(', ')} were not deleted: ${gone.reason}`);
  return ensureTopics(admin, specs);
}

function createSpec(s: TopicSpec) {
  return {
    topic: s.name,
    numPartitions: s.partitions,
    replicationFactor: s.replicationFactor,
    configEntries: [{ name: 'max.message.bytes', value: String(TOPIC_MAX_MESSAGE_BYTES) }],
  };
}

/**
 * "chargebacks 4812/4870/4818, chargebacks-dlq 0/3/0": the end offset of each partition of the topics
 * that exist, so a restart can show that the log survived.
 */
export async function describeEndOffsets(admin: Admin, names: string[]): Promise<string> {
  const existing = new Set(await admin.listTopics());
  const parts: string[] = [];
  for (const name of names.filter((n) => existing.has(n))) {
    const offsets = (await admin.fetchTopicOffsets(name)).sort((a, b) => a.partition - b.partition);
    parts.push(`${name} ${offsets.map((o) => o.high).join('/')}`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no topics yet';
}
