import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { createKafka, DlqHeaders, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { canonicalAmount } from '../pipeline/schema/index.ts';
import { listLandedFiles, startWriter } from '../pipeline/parquet-writer/index.ts';
import { startFlinkWriter } from '../pipeline/flink-job/index.ts';
import { contractTopic, type ContractMessage } from '../fixtures/contractRecords.ts';
import { dumpWithPyarrow, type DumpedFile } from './support/independentReader.ts';
import { currentPipeline, newWriter } from './support/pipeline.ts';
import { ComponentProcess } from './support/ComponentProcess.ts';
import type { ChargebackWorld } from './support/world.ts';

type Engine = 'embedded' | 'flink';
const ENGINES: readonly Engine[] = ['embedded', 'flink'];

/** One dead letter as a reader of an engine's DLQ topic sees it. */
interface DeadLetterSeen {
  source: { topic: string; partition: number; offset: string };
  key: string | null;
  /** Hex of the value bytes, null for a tombstone (kept apart from an empty value). */
  value: string | null;
  /** `dlq.reason`, with the JSON parser's own detail replaced (see normaliseReason). */
  reason: string;
  /** Headers other than dlq.*: the original record's, which a dead letter keeps. */
  headers: Record<string, string>;
}

interface ContractWorld extends ChargebackWorld {
  contract?: {
    runId: string;
    topic: string;
    messages: ContractMessage[];
    dlqTopics: Record<Engine, string>;
    dumps: Record<Engine, DumpedFile[]>;
    deadLetters: Record<Engine, DeadLetterSeen[]>;
  };
}

const s3 = () => new S3Client(awsClientConfigFromEnv());
const kafka = () => createKafka(kafkaConfigFromEnv('contract-test'));

Given(
  'a topic holding change records with edge values, upstream duplicates and poison records',
  async function (this: ContractWorld) {
    const runId = crypto.randomUUID().slice(0, 8);
    const topic = `contract-${runId}`;
    // Each engine dead-letters to its own topic, so each one's dead letters can be read apart.
    const dlqTopics = { embedded: `${topic}-dlq-embedded`, flink: `${topic}-dlq-flink` };
    const messages = contractTopic(runId);
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [topic, ...Object.values(dlqTopics)].map((t) => ({
        topic: t,
        numPartitions: Topics.PARTITIONS,
        replicationFactor: 1,
      })),
      waitForLeaders: true,
    });
    // Idempotent: a send retried on a busy broker must not write the fixture twice (poison records
    // would then be dead-lettered twice, from two offsets, and the comparison below would fail).
    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // One send: every chargeback's messages reach its partition in the fixture's order.
    await producer.send({
      topic,
      messages: messages.map(({ key, value, headers }) => ({ key, value, ...(headers ? { headers } : {}) })),
    });
    await producer.disconnect();
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();
    const held = ends.reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);
    assert.equal(held, messages.length, `the contract topic must hold the fixture exactly once (${messages.length} records)`);
    this.contract = {
      runId,
      topic,
      messages,
      dlqTopics,
      dumps: { embedded: [], flink: [] },
      deadLetters: { embedded: [], flink: [] },
    };
  },
);

When(
  'the embedded writer and the Flink job each land that topic into their own bucket and dead-letter topic',
  { timeout: 300_000 },
  async function (this: ContractWorld) {
    const c = this.contract!;
    const client = s3();
    const buckets = { embedded: `contract-embedded-${c.runId}`, flink: `contract-flink-${c.runId}` };
    const groups = { embedded: `contract-embedded-${c.runId}`, flink: `contract-flink-${c.runId}` };
    for (const b of Object.values(buckets)) await client.send(new CreateBucketCommand({ Bucket: b }));
    const stateDir = await mkdtemp(join(tmpdir(), 'contract-flink-state-'));

    const embedded = await startWriter({
      topic: c.topic,
      dlqTopic: c.dlqTopics.embedded,
      groupId: groups.embedded,
      bucket: buckets.embedded,
      rolloverMs: 1_000,
    });
    const flink = await startFlinkWriter({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      bucket: buckets.flink,
      ...(process.env.AWS_ENDPOINT_URL ? { s3Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      checkpointIntervalMs: 1_000,
      topic: c.topic,
      dlqTopic: c.dlqTopics.flink,
      groupId: groups.flink,
      stateDir,
      logFile: 'reports/logs/contract-flink.log',
    });
    let behind: string[] = [];
    try {
      // Both engines commit their group offsets only with (or after) the files holding those records,
      // so "committed through the end of the topic" means every message, duplicates and poison
      // included, has been decided and its outcome is durable.
      const deadline = Date.now() + 180_000;
      do {
        behind = await groupsBehind(c.topic, groups);
        if (behind.length) await new Promise((r) => setTimeout(r, 1_000));
      } while (behind.length && Date.now() < deadline);
    } finally {
      await embedded.stop();
      await flink.stop();
    }
    assert.deepEqual(behind, [], 'each writer must consume and commit the whole contract topic within 180 s');
    for (const engine of ENGINES) {
      const files = await download(client, buckets[engine]);
      c.dumps[engine] = files.length ? await dumpWithPyarrow(files) : [];
      const { letters, resent } = distinctBySource(await readWholeTopic(c.dlqTopics[engine]));
      c.deadLetters[engine] = letters;
      if (resent) this.log(`${engine}: ${resent} dead letter(s) re-sent (identical; dropped by source position)`);
    }
    await this.attach(JSON.stringify(c.deadLetters, null, 2), 'application/json');
  },
);

/** "embedded p1: committed 3 of 7" for every partition a group has not committed through the topic's end. */
async function groupsBehind(topic: string, groups: Record<Engine, string>): Promise<string[]> {
  const admin = kafka().admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const behind: string[] = [];
    for (const engine of ENGINES) {
      const [committed] = await admin.fetchOffsets({ groupId: groups[engine], topics: [topic] });
      for (const end of ends) {
        const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        if (BigInt(at) < BigInt(end.high)) behind.push(`${engine} p${end.partition}: committed ${at} of ${end.high}`);
      }
    }
    return behind;
  } finally {
    await admin.disconnect();
  }
}

/** Every record of a topic that no one writes to any more, up to its end offsets, in (partition, offset) order. */
async function readWholeTopic(topic: string): Promise<DeadLetterSeen[]> {
  const admin = kafka().admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = ends.reduce((n, e) => n + Number(BigInt(e.high) - BigInt(e.low)), 0);
  const seen: DeadLetterSeen[] = [];
  if (expected > 0) {
    const consumer = kafka().consumer({ groupId: `contract-dlq-reader-${crypto.randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const header = (name: string) => {
          const v = message.headers?.[name];
          return v === undefined ? '' : String(Array.isArray(v) ? v.join(',') : v);
        };
        const headers: Record<string, string> = {};
        for (const name of Object.keys(message.headers ?? {}).sort()) if (!name.startsWith('dlq.')) headers[name] = header(name);
        seen.push({
          source: {
            topic: header(DlqHeaders.SOURCE_TOPIC),
            partition: Number(header(DlqHeaders.SOURCE_PARTITION)),
            offset: header(DlqHeaders.SOURCE_OFFSET),
          },
          key: message.key === null ? null : message.key.toString('utf8'),
          value: message.value === null ? null : message.value.toString('hex'),
          reason: normaliseReason(header(DlqHeaders.REASON)),
          headers,
        });
      },
    });
    const deadline = Date.now() + 30_000;
    while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    await consumer.disconnect();
    assert.equal(seen.length, expected, `read ${seen.length} of the ${expected} records of ${topic}`);
  }
  return seen.sort(
    (a, b) => a.source.partition - b.source.partition || Number(BigInt(a.source.offset) - BigInt(b.source.offset)),
  );
}

/**
 * Dead-letter delivery is at-least-once in both engines (a send and the checkpoint after it are not
 * atomic: see pipeline/parquet-writer/README.md), and readers deduplicate on the dlq.source.* headers.
 * So do we; a re-send must be identical to the first send.
 */
function distinctBySource(letters: DeadLetterSeen[]): { letters: DeadLetterSeen[]; resent: number } {
  const bySource = new Map<string, DeadLetterSeen>();
  for (const l of letters) {
    const at = `${l.source.topic}/${l.source.partition}/${l.source.offset}`;
    const first = bySource.get(at);
    if (first) assert.deepEqual(l, first, `a re-sent dead letter of ${at} differs from the first`);
    else bySource.set(at, l);
  }
  return { letters: [...bySource.values()], resent: letters.length - bySource.size };
}

/**
 * The engines parse JSON with different libraries (lossless-json, Jackson); "value: is not JSON (…)"
 * carries the parser's own description, which is theirs, not the contract's.
 */
function normaliseReason(reason: string): string {
  return reason.replace(/^value: is not JSON( \(.*\))?$/s, 'value: is not JSON (parser detail)');
}

async function download(client: S3Client, bucket: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), `${bucket}-`));
  const out: string[] = [];
  for (const f of await listLandedFiles(client, bucket, 'landing/chargebacks/')) {
    const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: f.key }))).Body!.transformToByteArray();
    const path = join(dir, f.key.replace(/\//g, '_'));
    await writeFile(path, body);
    out.push(path);
  }
  return out;
}

Then("pyarrow reads identical schemas from both writers' files", function (this: ContractWorld) {
  const { embedded, flink } = this.contract!.dumps;
  assert.ok(embedded.length > 0 && flink.length > 0, `files: embedded ${embedded.length}, flink ${flink.length}`);
  const reference = embedded[0]!.schema;
  for (const f of [...embedded, ...flink]) assert.deepEqual(f.schema, reference, `schema of ${f.path} differs`);
  const amount = reference.find((s) => s.name === 'amount')!;
  assert.equal(amount.logical_type, 'Decimal(precision=18, scale=4)');
});

Then(
  "pyarrow reads the same rows from both, equal to the topic's records without its duplicates and poison",
  function (this: ContractWorld) {
    const c = this.contract!;
    // Key order differs between readers and fixtures; compare each row as JSON with sorted keys.
    const canon = (r: object) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));
    const rowsOf = (files: DumpedFile[]) =>
      files
        .flatMap((f) => f.rows)
        .map(canon)
        .sort();
    const expected = c.messages
      .flatMap((m) => (m.expect.kind === 'lands' ? [m.expect.record] : []))
      .map((r) => canon({ ...r, amount: canonicalAmount(r.amount) }))
      .sort();
    assert.deepEqual(rowsOf(c.dumps.embedded), expected, 'embedded writer rows');
    assert.deepEqual(rowsOf(c.dumps.flink), expected, 'Flink job rows');
  },
);

Then(
  'both writers dead-letter exactly the poison records, each with its original key, bytes and headers and the same reason',
  function (this: ContractWorld) {
    const c = this.contract!;
    const poison = c.messages.filter((m) => m.expect.kind === 'dead-lettered');
    const expected = poison
      .map((m) => ({
        key: m.key,
        value: m.value === null ? null : m.value.toString('hex'),
        reason: normaliseReason(m.expect.kind === 'dead-lettered' ? m.expect.reason : ''),
        headers: m.headers ?? {},
      }))
      .sort((a, b) => a.key.localeCompare(b.key));
    for (const engine of ENGINES) {
      const letters = c.deadLetters[engine];
      for (const l of letters) assert.equal(l.source.topic, c.topic, `${engine}: dlq.source.topic of ${l.key}`);
      const got = letters
        .map(({ key, value, reason, headers }) => ({ key, value, reason, headers }))
        .sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
      assert.deepEqual(got, expected, `${engine} writer's dead letters`);
    }
    // The same source positions too: both engines read the same topic.
    assert.deepEqual(c.deadLetters.flink, c.deadLetters.embedded, 'dead letters of the Flink job vs the embedded writer');
  },
);

Then(
  "both writers' files are SNAPPY-compressed under landing\\/chargebacks\\/YYYY-MM-DD\\/HH\\/",
  function (this: ContractWorld) {
    for (const f of [...this.contract!.dumps.embedded, ...this.contract!.dumps.flink]) {
      assert.deepEqual(f.codecs, ['SNAPPY'], f.path);
      assert.match(f.path, /landing_chargebacks_\d{4}-\d{2}-\d{2}_\d{2}_part-[^/]+\.parquet$/);
    }
  },
);

Given('the writer is replaced by {string}', { timeout: 240_000 }, async function (this: ChargebackWorld, command: string) {
  assert.match(command, /--engine flink/);
  const p = currentPipeline();
  await p.writer.stop();
  const flink = new ComponentProcess(
    'writer-flink',
    ['writer', '--engine', 'flink', '--rollover', '2s', '--json'],
    /"what":"started"/,
    p.writerEnv,
  );
  await flink.start(180_000);
  // Put back after the scenario: the Flink writer stops, the embedded one takes the group again.
  p.writer = flink;
  p.restoreWriter = async () => {
    await flink.stop();
    p.writer = newWriter('writer', p.writerEnv);
    await p.writer.start();
  };
});
