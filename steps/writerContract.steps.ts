import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { canonicalAmount, encodeChangeRecord, type ChangeRecord } from '../pipeline/schema/index.ts';
import { listLandedFiles, startWriter } from '../pipeline/parquet-writer/index.ts';
import { startFlinkWriter } from '../pipeline/flink-job/index.ts';
import { contractRecords } from '../fixtures/contractRecords.ts';
import { dumpWithPyarrow, type DumpedFile } from './support/independentReader.ts';
import { currentPipeline, newWriter } from './support/pipeline.ts';
import { ComponentProcess } from './support/ComponentProcess.ts';
import type { ChargebackWorld } from './support/world.ts';

interface ContractWorld extends ChargebackWorld {
  contract?: { runId: string; topic: string; records: ChangeRecord[]; dumps: Record<'embedded' | 'flink', DumpedFile[]> };
}

const s3 = () => new S3Client(awsClientConfigFromEnv());

Given('a topic holding change records with edge values', async function (this: ContractWorld) {
  const runId = crypto.randomUUID().slice(0, 8);
  const topic = `contract-${runId}`;
  const records = contractRecords(runId);
  const kafka = createKafka(kafkaConfigFromEnv('contract-test'));
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: Topics.PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: records.map((r) => ({ key: r.chargeback_id, value: encodeChangeRecord(r) })) });
  await producer.disconnect();
  this.contract = { runId, topic, records, dumps: { embedded: [], flink: [] } };
});

When(
  'the embedded writer and the Flink job each land that topic into their own bucket',
  { timeout: 300_000 },
  async function (this: ContractWorld) {
    const c = this.contract!;
    const client = s3();
    const buckets = { embedded: `contract-embedded-${c.runId}`, flink: `contract-flink-${c.runId}` };
    for (const b of Object.values(buckets)) await client.send(new CreateBucketCommand({ Bucket: b }));
    const stateDir = await mkdtemp(join(tmpdir(), 'contract-flink-state-'));

    const embedded = await startWriter({
      topic: c.topic,
      groupId: `contract-embedded-${c.runId}`,
      bucket: buckets.embedded,
      rolloverMs: 1_000,
    });
    const flink = await startFlinkWriter({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      bucket: buckets.flink,
      ...(process.env.AWS_ENDPOINT_URL ? { s3Endpoint: process.env.AWS_ENDPOINT_URL } : {}),
      checkpointIntervalMs: 1_000,
      topic: c.topic,
      dlqTopic: Topics.DLQ,
      groupId: `contract-flink-${c.runId}`,
      stateDir,
      logFile: 'reports/logs/contract-flink.log',
    });
    try {
      const deadline = Date.now() + 180_000;
      for (const engine of ['embedded', 'flink'] as const) {
        for (;;) {
          const files = await download(client, buckets[engine]);
          const dumped = files.length ? await dumpWithPyarrow(files) : [];
          const rows = dumped.reduce((n, f) => n + f.rows.length, 0);
          if (rows >= c.records.length || Date.now() > deadline) {
            c.dumps[engine] = dumped;
            break;
          }
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    } finally {
      await embedded.stop();
      await flink.stop();
    }
  },
);

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

Then('pyarrow reads the same rows from both, equal to the records on the topic', function (this: ContractWorld) {
  const c = this.contract!;
  // Key order differs between readers and fixtures; compare each row as JSON with sorted keys.
  const canon = (r: object) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));
  const rowsOf = (files: DumpedFile[]) =>
    files
      .flatMap((f) => f.rows)
      .map(canon)
      .sort();
  const expected = c.records.map((r) => canon({ ...r, amount: canonicalAmount(r.amount) })).sort();
  assert.deepEqual(rowsOf(c.dumps.embedded), expected, 'embedded writer rows');
  assert.deepEqual(rowsOf(c.dumps.flink), expected, 'Flink job rows');
});

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
