import type { Admin } from 'kafkajs';
import { createKafka, kafkaConfigFromEnv } from '../../pipeline/kafka/index.ts';
import { TopicCreatorError } from '../errors.ts';

/**
 * Creates the pipeline's Kafka topics on MSK Serverless, which has no Terraform resource for
 * topics and only speaks IAM auth (the seed created them by hand with kafka-topics.sh). The
 * streaming stack invokes this function once per deploy through `aws_lambda_invocation`, from
 * inside the VPC, with the same kafkajs + SigV4 client the stream processor uses.
 *
 * Idempotent: an existing topic is left alone, or grown to the requested partition count
 * (Kafka cannot shrink one; a larger existing count is reported, not changed).
 */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** MSK Serverless keeps three replicas of every partition; the seed asked for 3 explicitly. */
  replicationFactor: number;
}

export interface TopicCreatorEvent {
  topics: TopicSpec[];
}

export type TopicAction = 'created' | 'exists' | 'partitions-increased' | 'exists-with-more-partitions';

export interface TopicOutcome {
  name: string;
  action: TopicAction;
  partitions: number;
}

export { TopicCreatorError };

/** The part of the kafkajs admin client this needs (so tests can pass a fake). */
export type TopicAdmin = Pick<Admin, 'listTopics' | 'createTopics' | 'fetchTopicMetadata' | 'createPartitions'>;

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
      topics: missing.map((s) => ({ topic: s.name, numPartitions: s.partitions, replicationFactor: s.replicationFactor })),
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
    if (!existing.has(spec.name)) outcomes.push({ name: spec.name, action: 'created', partitions: current });
    else if (current < spec.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: spec.name, count: spec.partitions }] });
      outcomes.push({ name: spec.name, action: 'partitions-increased', partitions: spec.partitions });
    } else if (current > spec.partitions)
      outcomes.push({ name: spec.name, action: 'exists-with-more-partitions', partitions: current });
    else outcomes.push({ name: spec.name, action: 'exists', partitions: current });
  }
  return outcomes;
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
