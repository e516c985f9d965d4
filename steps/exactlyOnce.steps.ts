import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { readStreamHistory, reconcile, type ReconcileReport } from '../pipeline/reconcile/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { startKafka, stopKafka } from '../localstack/index.ts';
import { runLoad } from '../cli/commands/load.ts';
import { currentPipeline, newWriter } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `count` realistic requests (creates, status changes, deletes) through the API at a steady rate. */
function load(count: number, rate = 20): Promise<number> {
  return runLoad({ count, rate, concurrency: 4, apiUrl: currentPipeline().apiUrl, json: true });
}

async function reconcileNow(): Promise<ReconcileReport & { poison: number }> {
  const aws = awsClientConfigFromEnv();
  const history = await readStreamHistory(
    new DynamoDBClient(aws),
    new DynamoDBStreamsClient(aws),
    process.env.TABLE_NAME!,
    aws.region,
  );
  const rows = await currentPipeline().landing.rows();
  return { ...reconcile(history.changes, rows), poison: history.poison.length };
}

When(
  '{int} chargeback requests are sent while the writer is killed with SIGKILL {int} times and restarted',
  async function (this: ChargebackWorld, count: number, kills: number) {
    const { writer } = currentPipeline();
    const loading = load(count);
    for (let i = 0; i < kills; i++) {
      await sleep(2_000 + Math.floor(Math.random() * 3_000)); // an arbitrary instant: mid-part, mid-upload or mid-commit
      await writer.kill();
      await sleep(500);
      await writer.start();
    }
    assert.equal(await loading, 0, 'the load itself had errors');
  },
);

When(
  '{int} chargeback requests are sent while the Kafka broker is stopped for {int} seconds',
  async function (this: ChargebackWorld, count: number, seconds: number) {
    const loading = load(count);
    await sleep(3_000);
    await stopKafka();
    await sleep(seconds * 1000);
    await startKafka();
    assert.equal(await loading, 0, 'the load itself had errors');
  },
);

When(
  '{int} chargeback requests are sent while S3 refuses connections for {int} seconds and then answers 503 for {int} seconds',
  async function (this: ChargebackWorld, count: number, refuse: number, fail: number) {
    const { s3Proxy, writer } = currentPipeline();
    const loading = load(count);
    const rss: number[] = [];
    const sampler = setInterval(() => {
      const v = writer.rssMiB();
      if (v) rss.push(v);
    }, 500);
    await sleep(2_000);
    const before = writer.rssMiB();
    if (before) (this as ChargebackWorld & { rssBefore?: number }).rssBefore = before;
    await s3Proxy.setMode('down');
    await sleep(refuse * 1000);
    await s3Proxy.setMode('error-503');
    await sleep(fail * 1000);
    await s3Proxy.setMode('pass');
    clearInterval(sampler);
    this.attach(`writer RSS during the outage (MiB): max ${Math.max(...rss).toFixed(0)}, samples ${rss.length}`);
    (this as ChargebackWorld & { rss?: number[] }).rss = rss;
    assert.ok(writer.running, `the writer died during the outage:\n${writer.recentOutput()}`);
    assert.equal(await loading, 0, 'the load itself had errors');
  },
);

/**
 * RSS may grow during the outage by what the writer holds for 200 records plus the SDK's retry
 * state, a few MiB; 64 MiB of growth means buffering without bound. (The exact bound, held bytes
 * within the cap plus one batch, is proven on 20,000 records by storageOutage.integration.test.ts.)
 */
const OUTAGE_RSS_GROWTH_MIB = 64;

Then(
  'the writer kept its memory bounded during the outage',
  function (this: ChargebackWorld & { rss?: number[]; rssBefore?: number }) {
    const rss = this.rss ?? [];
    assert.ok(rss.length > 10, 'too few memory samples');
    assert.ok(this.rssBefore, 'no RSS sample of the writer before the outage');
    const growth = Math.max(...rss) - this.rssBefore;
    assert.ok(
      growth < OUTAGE_RSS_GROWTH_MIB,
      `writer RSS grew by ${growth.toFixed(0)} MiB during the outage (from ${this.rssBefore.toFixed(0)} MiB)`,
    );
  },
);

Given('a second writer has joined the consumer group', async () => {
  const p = currentPipeline();
  p.extraWriter = newWriter('writer-2', p.writerEnv);
  await p.extraWriter.start();
});

When(
  '{int} chargeback requests are sent while one of the two writers is killed with SIGKILL',
  async function (this: ChargebackWorld, count: number) {
    const p = currentPipeline();
    const loading = load(count);
    await sleep(4_000);
    await p.writer.kill();
    assert.equal(await loading, 0, 'the load itself had errors');
    // The survivor must take over the dead writer's partitions (after its session times out).
    await sleep(8_000);
    await p.writer.start();
  },
);

Given('the stream processor will fail {int} batches after publishing them', async function (this: ChargebackWorld, n: number) {
  await currentPipeline().poller.restartWithFault(['fixtures/faultyPoller.ts', String(n)]);
});

When('{int} chargebacks are filed', async function (this: ChargebackWorld, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${currentPipeline().apiUrl}/chargebacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ merchant_id: 'merch_retry', amount: `${i + 1}.00`, currency: 'USD', reason: this.marker }),
    });
    assert.equal(res.status, 201);
    ids.push(((await res.json()) as { chargeback_id: string }).chargeback_id);
  }
  (this as ChargebackWorld & { ids?: string[] }).ids = ids;
});

Then('some changes reached the chargebacks topic more than once', async function (this: ChargebackWorld & { ids?: string[] }) {
  const ids = new Set(this.ids);
  const seen = new Map<string, number>();
  const consumer = createKafka(kafkaConfigFromEnv('acceptance-peek')).consumer({
    groupId: `acceptance-peek-${crypto.randomUUID()}`,
  });
  await consumer.connect();
  await consumer.subscribe({ topic: Topics.CHANGES, fromBeginning: true });
  const deadline = Date.now() + 30_000;
  let duplicates = 0;
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key?.toString() ?? '';
      if (!ids.has(key)) return;
      const eventId = JSON.parse(message.value!.toString()).event_id as string;
      seen.set(eventId, (seen.get(eventId) ?? 0) + 1);
      if (seen.get(eventId) === 2) duplicates++;
    },
  });
  while (Date.now() < deadline && (seen.size < ids.size || duplicates === 0)) await sleep(500);
  await consumer.disconnect();
  assert.ok(duplicates > 0, `no change reached Kafka twice (saw ${seen.size} distinct changes): the injected fault did not fire`);
  this.attach(`${duplicates} of ${seen.size} changes were on the topic more than once`);
});

Then('reconcile reports every change landed exactly once', async function (this: ChargebackWorld) {
  // Wait for the pipeline to drain: lost records may still be on their way; duplicates never go away.
  const deadline = Date.now() + 120_000;
  let report = await reconcileNow();
  while (!report.ok && report.duplicated === 0 && report.mismatched === 0 && Date.now() < deadline) {
    await sleep(2_000);
    report = await reconcileNow();
  }
  this.attach(JSON.stringify(report, null, 2), 'application/json');
  assert.ok(report.expected > 0, 'the stream holds no changes at all');
  assert.equal(report.lost, 0, `lost: ${report.examples.lost.join(', ')}`);
  assert.equal(report.duplicated, 0, `duplicated: ${JSON.stringify(report.examples.duplicated)}`);
  assert.equal(report.mismatched, 0, `mismatched: ${JSON.stringify(report.examples.mismatched)}`);
  assert.equal(report.unexpected, 0, `unexpected: ${report.examples.unexpected.join(', ')}`);
});
