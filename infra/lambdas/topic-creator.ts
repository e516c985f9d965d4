import type { Admin, ConfigResourceTypes, ConfigSource } from 'kafkajs';
import { createKafka, kafkaConfigFromEnv } from '../../pipeline/kafka/index.ts';
import { TopicCreatorError } from '../errors.ts';

/**
 * Creates the pipeline's Kafka topics on MSK Serverless, which has no Terraform resource for
 * topics and only speaks IAM auth (the seed created them by hand with kafka-topics.sh). The
 * streaming stack invokes this function once per deploy through `aws_lambda_invocation`, from
 * inside the VPC, with the same kafkajs + SigV4 client the stream processor uses.
 *
 * Idempotent: an existing topic is grown to the requested partition count (Kafka cannot shrink
 * one; a larger existing count is reported, not changed), and its topic-level configs are set to
 * the requested values when they differ (a topic created before a config was requested keeps
 * the broker default otherwise, e.g. MSK's 1 MiB max.message.bytes).
 */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** MSK Serverless keeps three replicas of every partition; the seed asked for 3 explicitly. */
  replicationFactor: number;
  /** Topic-level configs, e.g. `max.message.bytes` (values as Kafka takes them: strings). */
  config?: Record<string, string>;
}

export interface TopicCreatorEvent {
  topics: TopicSpec[];
}

export type TopicAction = 'created' | 'exists' | 'partitions-increased' | 'exists-with-more-partitions';

export interface TopicOutcome {
  name: string;
  action: TopicAction;
  partitions: number;
  /** Configs of an existing topic that were changed to the requested value. */
  configAltered: string[];
}

export { TopicCreatorError };

/** The part of the kafkajs admin client this needs (so tests can pass a fake). */
export type TopicAdmin = Pick<
  Admin,
  'listTopics' | 'createTopics' | 'fetchTopicMetadata' | 'createPartitions' | 'describeConfigs' | 'alterConfigs'
>;

/** Kafka protocol values (kafkajs's enums, without importing them at run time into the bundle). */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
/** A config set on the topic itself (not a broker or default value). */
const DYNAMIC_TOPIC_CONFIG = 1 as ConfigSource;

export function parseEvent(event: unknown): TopicCreatorEvent {
  const problems: string[] = [];
  const topics = (event as { topics?: unknown } | null)?.topics;
  if (!Array.isArray(topics) || topics.length === 0)
    throw new TopicCreatorError('event.topics must be a non-empty list of {name, partitions, replicationFactor}');
  topics.forEach((t: Partial<TopicSpec>, i) => {
    if (typeof t?.name !== 'string' || !/^[a-zA-Z0-9._-]{1,249}$/.test(t.name))
      problems.push(`topics[${i}].name: a Kafka topic name (letters, digits, . _ -)`);
    if (!Number.isInteger(t?.partitions) || (t.partitions as number) < 1)
      problems.push(`topics[${i}].partitions: a positive integer`);
    if (!Number.isInteger(t?.replicationFactor) || (t.replicationFactor as number) < 1)
      problems.push(`topics[${i}].replicationFactor: a positive integer`);
    if (t?.config !== undefined) {
      if (typeof t.config !== 'object' || t.config === null || Array.isArray(t.config))
        problems.push(`topics[${i}].config: an object of config name → string value`);
      else
        for (const [key, value] of Object.entries(t.config))
          if (!/^[a-z][a-z0-9.]*$/.test(key) || typeof value !== 'string')
            problems.push(`topics[${i}].config.${key}: a Kafka topic config name with a string value`);
    }
  });
  if (problems.length) throw new TopicCreatorError(`invalid topic-creator event:\n  ${problems.join('\n  ')}`);
  return { topics: topics as TopicSpec[] };
}

export async function ensureTopics(admin: TopicAdmin, specs: TopicSpec[]): Promise<TopicOutcome[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.name));
  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.name,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  }
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.name) });
  const partitionsOf = new Map(topics.map((t) => [t.name, t.partitions.length]));
  const outcomes: TopicOutcome[] = [];
  for (const spec of specs) {
    const current = partitionsOf.get(spec.name);
    if (current === undefined)
      throw new TopicCreatorError(
        `topic ${spec.name} is still missing after CreateTopics: check kafka-cluster:CreateTopic on its ARN`,
      );
    if (!existing.has(spec.name)) {
      outcomes.push({ name: spec.name, action: 'created', partitions: current, configAltered: [] });
      continue;
    }
    const configAltered = await alignConfig(admin, spec);
    if (current < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
      outcomes.push({ name: spec.name, action: 'partitions-increased', partitions: spec.partitions, configAltered });
    } else if (current > spec.partitions)
      outcomes.push({ name: spec.name, action: 'exists-with-more-partitions', partitions: current, configAltered });
    else outcomes.push({ name: spec.name, action: 'exists', partitions: current, configAltered });
  }
  return outcomes;
}

/**
 * Sets the requested configs of an existing topic that differ, and returns their names. Kafka's
 * AlterConfigs (the one kafkajs speaks) replaces the topic's whole set of dynamic configs, so the
 * request carries every config already set on the topic, with ours merged in: nothing else that
 * an operator set is reverted to the default.
 */
async function alignConfig(admin: TopicAdmin, spec: TopicSpec): Promise<string[]> {
  const wanted = spec.config ?? {};
  if (!Object.keys(wanted).length) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: TOPIC_RESOURCE, name: spec.name }],
  });
  const resource = described.resources.find((r) => r.resourceName === spec.name);
  if (!resource || resource.errorCode)
    throw new TopicCreatorError(
      `cannot read the configs of topic ${spec.name}${resource?.errorMessage ? `: ${resource.errorMessage}` : ''}: check kafka-cluster:DescribeTopicDynamicConfiguration on its ARN`,
    );
  const current = new Map(resource.configEntries.map((e) => [e.configName, e.configValue]));
  const altered = Object.keys(wanted).filter((name) => current.get(name) !== wanted[name]);
  if (!altered.length) return [];
  const dynamic = Object.fromEntries(
    resource.configEntries.filter((e) => e.configSource === DYNAMIC_TOPIC_CONFIG).map((e) => [e.configName, e.configValue]),
  );
  await admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: TOPIC_RESOURCE,
        name: spec.name,
        configEntries: Object.entries({ ...dynamic, ...wanted }).map(([name, value]) => ({ name, value })),
      },
    ],
  });
  return altered;
}

/** Lambda entry point. Env: KAFKA_BROKERS, KAFKA_AUTH=msk-iam, AWS_REGION. */
export async function handler(event: unknown): Promise<{ topics: TopicOutcome[] }> {
  const { topics } = parseEvent(event);
  const admin = createKafka(kafkaConfigFromEnv('chargeback-topic-creator')).admin();
  await admin.connect();
  try {
    const outcomes = await ensureTopics(admin, topics);
    console.log(JSON.stringify({ message: 'topics ensured', topics: outcomes }));
    return { topics: outcomes };
  } finally {
    await admin.disconnect();
  }
}
