import { isDeepStrictEqual } from 'node:util';
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createKafka } from '../kafka/index.ts';
import { canonicalAmount, encodeChangeRecord, type ChangeRecord } from '../schema/index.ts';
import { listObjects } from './LandingStore.ts';
import { listLandedFiles } from './listLandedFiles.ts';
import { parsePartFileName } from './PartFileNamer.ts';
import { readParquetFile } from './readParquetFile.ts';

/**
 * The integration tests' view of the local stack (DESIGN §3): Kafka on KAFKA_BROKERS
 * (default 127.0.0.1:9092) and S3 on AWS_ENDPOINT_URL (default http://127.0.0.1:4566, test/test).
 * The tests never start the stack — `chargeback-cdc stack up` does — and fail with this module's
 * message when it is not there. Each test gets its own topics, landing prefix and consumer group,
 * so tests neither see each other's data nor the pipeline's.
 */
export interface TestStack {
  kafka: Kafka;
  admin: Admin;
  s3: S3Client;
  bucket: string;
  brokers: string[];
  env: NodeJS.ProcessEnv;
  /** Topics and S3 prefixes the tests created, removed by close(). */
  created: { topics: string[]; prefixes: string[]; groups: string[] };
  close(): Promise<void>;
}

export async function requireStack(): Promise<TestStack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    AWS_ENDPOINT_URL: process.env.AWS_ENDPOINT_URL ?? 'http://127.0.0.1:4566',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'test',
  };
  // The writer under test reads the SDK's default chain and endpoint from the environment.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL,
    AWS_REGION: env.AWS_REGION,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
  });
  const brokers = env.KAFKA_BROKERS!.split(',');
  const bucket = env.LANDING_BUCKET ?? 'chargeback-cdc-landing';
  const hint = 'start it with `npx tsx cli/main.ts stack up` (or point KAFKA_BROKERS / AWS_ENDPOINT_URL at a running one)';

  const s3 = new S3Client({ region: env.AWS_REGION!, endpoint: env.AWS_ENDPOINT_URL, forcePathStyle: true, maxAttempts: 2 });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    else
      throw new Error(
        `local stack not reachable: S3 at ${env.AWS_ENDPOINT_URL} did not answer (${(e as Error).message}); ${hint}`,
      );
  }

  const kafka = createKafka({ brokers, clientId: 'parquet-writer-tests' });
  const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 200 } });
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (e) {
    await admin.disconnect().catch(() => undefined);
    throw new Error(`local stack not reachable: Kafka at ${brokers.join(',')} did not answer (${(e as Error).message}); ${hint}`);
  }
  const created: TestStack['created'] = { topics: [], prefixes: [], groups: [] };
  return {
    kafka,
    admin,
    s3,
    bucket,
    brokers,
    env,
    created,
    // Tests share the stack with the pipeline: remove what they made.
    close: async () => {
      try {
        if (created.groups.length) await admin.deleteGroups(created.groups).catch(() => undefined); // a group still in use stays
        if (created.topics.length) await admin.deleteTopics({ topics: created.topics });
        for (const prefix of created.prefixes) {
          for (const o of await listObjects(s3, bucket, prefix))
            await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.key }));
        }
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** Fresh topic + DLQ topic (3 partitions each), landing prefix, state prefix and group for one test. */
export async function isolatedWriterSetup(stack: TestStack, name: string) {
  const id = `${name}-${randomUUID().slice(0, 8)}`;
  const topic = `pw-it-${id}`;
  const dlqTopic = `pw-it-${id}-dlq`;
  await stack.admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 3, replicationFactor: 1 },
      { topic: dlqTopic, numPartitions: 3, replicationFactor: 1 },
    ],
  });
  stack.created.topics.push(topic, dlqTopic);
  stack.created.prefixes.push(`it/${id}/`);
  stack.created.groups.push(`pw-it-${id}`);
  return {
    topic,
    dlqTopic,
    groupId: `pw-it-${id}`,
    prefix: `it/${id}/landing/chargebacks/`,
    statePrefix: `it/${id}/_state/`,
    brokers: stack.brokers,
    bucket: stack.bucket,
  };
}

/** A message for the test topic, on an explicit partition so the test knows each record's offset. */
export interface TestMessage {
  partition: number;
  key: string;
  value: Buffer;
}

export interface Produced extends TestMessage {
  offset: bigint;
}

/** Partition of a chargeback in the tests: all changes of one chargeback share a partition, as with key hashing. */
export function partitionOf(chargebackId: string, partitions = 3): number {
  let h = 0;
  for (const c of chargebackId) h = (h * 31 + c.codePointAt(0)!) >>> 0;
  return h % partitions;
}

export function messageOf(r: ChangeRecord): TestMessage {
  return { partition: partitionOf(r.chargeback_id), key: r.chargeback_id, value: encodeChangeRecord(r) };
}

/** Produces in order (acks=all) and returns each message, in input order, with the offset Kafka gave it. */
export async function produce(producer: Producer, topic: string, messages: TestMessage[]): Promise<Produced[]> {
  const out: Produced[] = new Array(messages.length);
  for (let i = 0; i < messages.length; i += 3_000) {
    const chunk = messages.map((m, j) => ({ m, j })).slice(i, i + 3_000);
    for (let p = 0; p < 3; p++) {
      const mine = chunk.filter(({ m }) => m.partition === p);
      if (!mine.length) continue;
      const [meta] = await producer.send({
        topic,
        acks: -1,
        messages: mine.map(({ m }) => ({ partition: p, key: m.key, value: m.value })),
      });
      const base = BigInt(meta!.baseOffset!);
      mine.forEach(({ m, j }, k) => {
        out[j] = { ...m, offset: base + BigInt(k) };
      });
    }
  }
  return out;
}

export interface LandedRow {
  key: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  row: ChangeRecord;
}

/** Every row of every committed part file under the prefix. */
export async function readLanded(s3: S3Client, bucket: string, prefix: string): Promise<LandedRow[]> {
  const files = await listLandedFiles(s3, bucket, prefix);
  const out: LandedRow[] = [];
  for (const f of files) {
    const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: f.key }));
    const { rows } = await readParquetFile(await obj.Body!.transformToByteArray());
    const name = parsePartFileName(f.key.slice(f.key.lastIndexOf('/') + 1));
    if (!name) throw new Error(`unexpected landed file name ${f.key}`);
    for (const row of rows)
      out.push({ key: f.key, partition: name.partition, firstOffset: name.firstOffset, lastOffset: name.lastOffset, row });
  }
  return out;
}

export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Every expected record is in exactly one landed row, equal to it, in a file of its own Kafka
 * partition whose name's offset range contains its offset; and nothing else landed.
 */
export function assertExactlyOnce(
  landed: LandedRow[],
  expected: Array<{ record: ChangeRecord; partition: number; offset: bigint }>,
): void {
  const want = new Map(expected.map((e) => [e.record.event_id, e]));
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const l of landed) {
    const id = l.row.event_id;
    const e = want.get(id);
    if (!e) problems.push(`${id} landed in ${l.key} but was never expected`);
    else {
      if (seen.has(id)) problems.push(`${id} landed twice: ${seen.get(id)} and ${l.key}`);
      if (l.partition !== e.partition || e.offset < l.firstOffset || e.offset > l.lastOffset) {
        problems.push(
          `${id} (partition ${e.partition} offset ${e.offset}) is in ${l.key}, whose name says partition ${l.partition} offsets ${l.firstOffset}..${l.lastOffset}`,
        );
      }
      if (!isDeepStrictEqual(l.row, { ...e.record, amount: canonicalAmount(e.record.amount) }))
        problems.push(`${id} landed changed: ${JSON.stringify(l.row)}`);
    }
    seen.set(id, l.key);
  }
  for (const id of want.keys()) if (!seen.has(id)) problems.push(`${id} never landed`);
  if (problems.length)
    throw new Error(
      `${problems.length} exactly-once violation(s) among ${landed.length} landed / ${expected.length} expected rows:\n${problems.slice(0, 20).join('\n')}`,
    );
}
