import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { After, Given, Then, When } from '@cucumber/cucumber';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { listObjects } from '../pipeline/parquet-writer/LandingStore.ts';
import type { Admin, Producer } from 'kafkajs';
import { createKafka, kafkaConfigFromEnv } from '../pipeline/kafka/index.ts';
import { changeRecord } from '../fixtures/changeRecords.ts';
import { messageOf, produce } from '../fixtures/testMessages.ts';
import { eventually } from '../fixtures/eventually.ts';
import { currentPipeline } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

const CLI = fileURLToPath(new URL('../bin/chargeback-cdc.js', import.meta.url));

/** A topic, dead-letter topic, consumer group and landing/state prefixes of this scenario alone. */
interface OwnTopic {
  topic: string;
  dlqTopic: string;
  /** Root of its landing and state prefixes. */
  root: string;
  env: NodeJS.ProcessEnv;
}

type WriterFaultsWorld = ChargebackWorld & { own?: OwnTopic; exited?: { code: number | null; output: string } };

async function withKafka<T>(fn: (admin: Admin, producer: Producer) => Promise<T>): Promise<T> {
  const kafka = createKafka(kafkaConfigFromEnv('acceptance-writer-faults'));
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await Promise.all([admin.connect(), producer.connect()]);
  try {
    return await fn(admin, producer);
  } finally {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  }
}

async function createTopics(admin: Admin, topics: string[]): Promise<void> {
  // A just-deleted topic may still be being removed: creating it again is retried until the broker accepts.
  const created = await eventually(`topics ${topics.join(', ')} created`, 20_000, async () => {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length === 0) return true;
    await admin
      .createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })) })
      .catch(() => undefined);
    return undefined;
  });
  assert.ok(created);
}

/** Runs `chargeback-cdc run writer` on the scenario's topic until it exits or `until` matches its output. */
function runWriter(
  env: NodeJS.ProcessEnv,
  opts: { until?: (output: string) => boolean; timeoutMs: number },
): Promise<{ code: number | null; output: string; stoppedByUs: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'run', 'writer', '--rollover', '1s', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stoppedByUs = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the writer neither exited nor reached what was awaited within ${opts.timeoutMs} ms:\n${output.slice(-4000)}`),
      );
    }, opts.timeoutMs);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (opts.until && !stoppedByUs && opts.until(output)) {
        stoppedByUs = true;
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, stoppedByUs });
    });
  });
}

Given('a writer has landed {int} records of its own topic and stopped', async function (this: WriterFaultsWorld, n: number) {
  const id = randomUUID().slice(0, 8);
  const own: OwnTopic = {
    topic: `wf-${id}`,
    dlqTopic: `wf-${id}-dlq`,
    root: `acceptance/wf-${id}/`,
    env: {
      ...currentPipeline().writerEnv,
      KAFKA_TOPIC: `wf-${id}`,
      DLQ_TOPIC: `wf-${id}-dlq`,
      WRITER_GROUP_ID: `wf-${id}`,
      LANDING_PREFIX: `acceptance/wf-${id}/landing/chargebacks/`,
      STATE_PREFIX: `acceptance/wf-${id}/_state/`,
    },
  };
  this.own = own;
  const records = Array.from({ length: n }, (_, i) => changeRecord(i, { chargeback_id: `wf-${id}-${i}` }));
  await withKafka(async (admin, producer) => {
    await createTopics(admin, [own.topic, own.dlqTopic]);
    await produce(producer, own.topic, records.map(messageOf));
  });
  // Once the committed files hold all n rows the writer is stopped gracefully (SIGTERM).
  const landedRows = (output: string) =>
    [...output.matchAll(/"type":"file-committed"[^\n]*?"rows":(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  const run = await runWriter(own.env, { until: (output) => landedRows(output) >= n, timeoutMs: 60_000 });
  assert.ok(run.stoppedByUs, `the first writer exited on its own (code ${run.code}):\n${run.output.slice(-4000)}`);
  assert.equal(run.code, 0, `the first writer did not stop cleanly:\n${run.output.slice(-4000)}`);
  this.attach(`first writer: ${landedRows(run.output)} rows landed, then SIGTERM`);
});

When(
  'that topic is deleted and created again, and {int} new records are produced to it',
  async function (this: WriterFaultsWorld, n: number) {
    const own = this.own!;
    await withKafka(async (admin, producer) => {
      await admin.deleteTopics({ topics: [own.topic], timeout: 10_000 });
      await eventually(`topic ${own.topic} deleted`, 20_000, async () =>
        (await admin.listTopics()).includes(own.topic) ? undefined : true,
      );
      await createTopics(admin, [own.topic]);
      const records = Array.from({ length: n }, (_, i) => changeRecord(1_000 + i, { chargeback_id: `${own.topic}-new-${i}` }));
      await produce(producer, own.topic, records.map(messageOf));
    });
  },
);

Then(
  'a writer started on it exits non-zero naming the topic, a partition, its committed progress and the log end',
  async function (this: WriterFaultsWorld) {
    const own = this.own!;
    const run = await runWriter(own.env, { timeoutMs: 60_000 });
    this.exited = { code: run.code, output: run.output };
    this.attach(run.output.slice(-4000));
    assert.notEqual(run.code, 0, `the writer exited 0 on a landing state ahead of the topic:\n${run.output.slice(-4000)}`);
    assert.match(
      run.output,
      new RegExp(
        `topic ${own.topic} partition \\d: the landing state says offsets through \\d+ are landed \\(committed progress \\d+\\), but the partition's log end offset is \\d+`,
      ),
    );
  },
);

Then('the message says to run stack reset or to use a fresh bucket or prefix', function (this: WriterFaultsWorld) {
  const output = this.exited!.output;
  assert.match(output, /chargeback-cdc stack reset/);
  assert.match(output, /fresh bucket or prefix/);
});

// The scenario's own topics and objects go; the pipeline's are not touched.
After(async function (this: WriterFaultsWorld) {
  const own = this.own;
  if (!own) return;
  await withKafka((admin) => admin.deleteTopics({ topics: [own.topic, own.dlqTopic] })).catch(() => undefined);
  const s3 = new S3Client(awsClientConfigFromEnv());
  const bucket = process.env.LANDING_BUCKET!;
  for (const o of await listObjects(s3, bucket, own.root)) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.key }));
});
