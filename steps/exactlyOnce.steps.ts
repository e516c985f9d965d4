import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { awsClientConfigFromEnv } from '../pipeline/aws/index.ts';
import { readStreamHistory, reconcile, type ReconcileReport } from '../pipeline/reconcile/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { startKafka, stopKafka } from '../localstack/index.ts';
import { runLoad } from '../cli/commands/load.ts';
import type { ComponentProcess } from './support/ComponentProcess.ts';
import { currentPipeline, newWriter } from './support/pipeline.ts';
import { scanEventIdsWithPyarrow } from './support/independentReader.ts';
import { Engine, FLINK_START_TIMEOUT_MS, useFlinkWriter, writerUnderTest } from './support/writerUnderTest.ts';
import type { ChargebackWorld } from './support/world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a fault scenario records while it injects faults, for the steps that check the faults took effect. */
interface FaultWorld extends ChargebackWorld {
  /** Records on the topic the writer had not committed, at each SIGKILL. */
  kills?: Array<{ uncommitted: number; at: string }>;
  /** How many starts the writer had made before the first kill: later ones are restarts. */
  startsBeforeKills?: number;
  brokerStop?: { uncommitted: number; writerOutput: string };
  s3Outage?: {
    uncommitted: number;
    answered503: number;
    writerOutput: string;
    /** From STALL_GRACE_MS into the outage to its end. */
    writerOutputLate: string;
  };
}

/** A position in a component's output, across its restarts. */
interface OutputMark {
  start: number;
  length: number;
}

function markOutput(c: ComponentProcess): OutputMark {
  const starts = c.outputOfEachStart();
  return { start: starts.length - 1, length: starts.at(-1)!.length };
}

/** What the component printed since the mark (every start since then). */
function outputSince(c: ComponentProcess, mark: OutputMark): string {
  const [first = '', ...later] = c.outputOfEachStart().slice(mark.start);
  return [first.slice(mark.length), ...later].join('\n');
}

/**
 * Records on the chargebacks topic beyond the writer group's committed offsets: produced, but not yet
 * in a file the writer has committed (both engines commit the group's offsets only after the files
 * holding those records: the embedded writer after its progress object, the Flink job when the
 * checkpoint holding them completes).
 */
async function uncommittedRecords(groupId: string): Promise<number> {
  const admin = createKafka(kafkaConfigFromEnv('acceptance-lag')).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(Topics.CHANGES);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [Topics.CHANGES] });
    let n = 0n;
    for (const end of ends) {
      const at = BigInt(committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1');
      const from = at < 0n ? BigInt(end.low) : at;
      n += BigInt(end.high) - from;
    }
    return Number(n);
  } finally {
    await admin.disconnect();
  }
}

/** Waits (up to `ms`) until the writer has records in flight, so the fault that follows hits them. */
async function waitForRecordsInFlight(groupId: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  let n = await uncommittedRecords(groupId);
  while (n === 0 && Date.now() < deadline) {
    await sleep(250);
    n = await uncommittedRecords(groupId);
  }
  return n;
}

/** How long the writer takes to start again after a kill. */
const restartTimeout = () => (writerUnderTest().engine === Engine.FLINK ? FLINK_START_TIMEOUT_MS : 60_000);

Given(
  'the landing zone is written by the {word} writer',
  { timeout: 360_000 },
  async function (this: ChargebackWorld, engine: string) {
    if (engine === Engine.EMBEDDED) return; // the pipeline's own writer
    assert.equal(engine, Engine.FLINK, `unknown writer engine ${JSON.stringify(engine)}: use embedded or flink`);
    const flink = await useFlinkWriter();
    this.log(`Flink job: group ${flink.groupId}, bucket ${flink.bucket}, checkpoints in ${flink.stateDir}`);
  },
);

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
  { timeout: 15 * 60_000 },
  async function (this: FaultWorld, count: number, kills: number) {
    const { writer } = currentPipeline();
    const { groupId } = writerUnderTest();
    this.kills = [];
    this.startsBeforeKills = writer.outputOfEachStart().length;
    const loading = load(count);
    for (let i = 0; i < kills; i++) {
      await sleep(2_000 + Math.floor(Math.random() * 3_000)); // an arbitrary instant: mid-part, mid-upload or mid-commit
      const uncommitted = await waitForRecordsInFlight(groupId, 20_000);
      await writer.kill();
      this.kills.push({ uncommitted, at: new Date().toISOString() });
      await sleep(500);
      await writer.start(restartTimeout());
    }
    assert.equal(await loading, 0, 'the load itself had errors');
    this.attach(
      `records produced but not committed by the writer at each kill: ${this.kills.map((k) => k.uncommitted).join(', ')}`,
    );
  },
);

Then('every kill came while the writer had records on the topic that it had not committed', function (this: FaultWorld) {
  assert.ok(this.kills?.length, 'the scenario killed no writer');
  for (const [i, k] of this.kills.entries())
    assert.ok(
      k.uncommitted > 0,
      `kill ${i + 1} (${k.at}) came when every record on the topic was committed: nothing was in flight`,
    );
});

/** `partition-recovered` events of the embedded writer's --json output: where each partition resumed from. */
function recoveries(output: string): Array<{ partition: number; source: string; resumeOffset: string }> {
  return output.split('\n').flatMap((l) => {
    if (!l.includes('"partition-recovered"')) return [];
    try {
      return [JSON.parse(l) as { partition: number; source: string; resumeOffset: string }];
    } catch {
      return [];
    }
  });
}

Then("every restart resumed from the writer's last checkpoint, not from empty", async function (this: FaultWorld) {
  const { writer } = currentPipeline();
  const { engine, stateDir } = writerUnderTest();
  const from = this.startsBeforeKills;
  assert.ok(from !== undefined && this.kills?.length, 'the scenario killed no writer');
  if (engine === Engine.FLINK) {
    // LocalRun prints the snapshot it restored from on its "up" line (see pipeline/flink-job/README.md).
    const restarts = writer.outputOfEachStart().slice(from);
    assert.equal(restarts.length, this.kills.length, 'one start per kill');
    const restored = restarts.map((out) => /restored from (\S+)/.exec(out)?.[1]);
    this.attach(`restored from: ${restored.join(', ')}`);
    for (const [i, path] of restored.entries()) {
      assert.ok(path, `restart ${i + 1} started from empty (no "restored from" on its up line)`);
      assert.ok(
        path.startsWith(stateDir!) && /\/chk-\d+$/.test(path),
        `restart ${i + 1} restored from ${path}, not a checkpoint under ${stateDir}`,
      );
    }
    return;
  }
  // The embedded writer recovers each partition when the group assigns it, after the dead member's session
  // expires: a restart killed before that recovered nothing, so wait for the last one.
  const deadline = Date.now() + 60_000;
  while (recoveries(writer.recentOutput()).length === 0 && Date.now() < deadline) await sleep(500);
  const all = writer
    .outputOfEachStart()
    .slice(from)
    .flatMap((out) => recoveries(out));
  this.attach(
    `partition recoveries after the kills: ${all.map((r) => `p${r.partition} from ${r.source} at ${r.resumeOffset}`).join(', ')}`,
  );
  assert.ok(all.length > 0, 'no restart of the writer recovered any partition');
  const empty = all.filter((r) => r.source !== 'progress');
  assert.deepEqual(empty, [], 'a restart recovered a partition without its committed progress');
  // A progress object claimed before anything was committed resumes at 0: at least one restart must have restored more.
  assert.ok(
    all.some((r) => BigInt(r.resumeOffset) > 0n),
    'no restart resumed past offset 0: none restored a committed checkpoint',
  );
});

When(
  '{int} chargeback requests are sent while the Kafka broker is stopped for {int} seconds',
  async function (this: FaultWorld, count: number, seconds: number) {
    const { writer } = currentPipeline();
    const loading = load(count);
    await sleep(3_000);
    const uncommitted = await waitForRecordsInFlight(writerUnderTest().groupId, 10_000);
    const mark = markOutput(writer);
    await stopKafka();
    await sleep(seconds * 1000);
    this.brokerStop = { uncommitted, writerOutput: outputSince(writer, mark) };
    await startKafka();
    assert.equal(await loading, 0, 'the load itself had errors');
  },
);

When(
  '{int} chargeback requests are sent while S3 refuses connections for {int} seconds and then answers 503 for {int} seconds',
  async function (this: FaultWorld, count: number, refuse: number, fail: number) {
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
    const uncommitted = await waitForRecordsInFlight(writerUnderTest().groupId, 10_000);
    const mark = markOutput(writer);
    const answered503 = s3Proxy.requests['error-503'];
    await s3Proxy.setMode('down');
    // A checkpoint already on its way may still finish in the first seconds; after that, none can.
    await sleep(STALL_GRACE_MS);
    const lateMark = markOutput(writer);
    await sleep(refuse * 1000 - STALL_GRACE_MS);
    await s3Proxy.setMode('error-503');
    await sleep(fail * 1000);
    await s3Proxy.setMode('pass');
    this.s3Outage = {
      uncommitted,
      answered503: s3Proxy.requests['error-503'] - answered503,
      writerOutput: outputSince(writer, mark),
      writerOutputLate: outputSince(writer, lateMark),
    };
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
  async function (this: FaultWorld, count: number) {
    const p = currentPipeline();
    const loading = load(count);
    await sleep(4_000);
    const uncommitted = await waitForRecordsInFlight(writerUnderTest().groupId, 10_000);
    await p.writer.kill();
    this.kills = [{ uncommitted, at: new Date().toISOString() }];
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

// Up to 120 s of waiting for the pipeline to drain, plus the reads themselves on a busy machine.
Then('reconcile reports every change landed exactly once', { timeout: 240_000 }, async function (this: ChargebackWorld) {
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

/**
 * What each engine prints when it loses the broker: kafkajs' connection errors (the embedded writer's
 * --json log), the Kafka Java client's NetworkClient warning (the Flink job's log).
 */
const LOST_BROKER = /ECONNREFUSED|Connection error|KafkaJSConnectionError|could not be established|Node may not be available/;

Then(
  'the broker stopped while the writer had records it had not committed, and the writer lost its connection to it',
  function (this: FaultWorld) {
    const stop = this.brokerStop;
    assert.ok(stop, 'the scenario stopped no broker');
    const lost = stop.writerOutput.split('\n').filter((l) => LOST_BROKER.test(l));
    this.attach(
      `records not committed by the writer at the stop: ${stop.uncommitted}; writer lines about the lost broker during the outage: ${lost.length}\n${lost.slice(0, 3).join('\n')}`,
    );
    assert.ok(stop.uncommitted > 0, 'every record on the topic was committed when the broker stopped: nothing was in flight');
    assert.ok(
      lost.length > 0,
      `the writer said nothing about losing the broker during the outage:\n${stop.writerOutput.slice(-3000)}`,
    );
  },
);

const STALL_GRACE_MS = 5_000;

/** The Flink job's CheckpointCoordinator line for a checkpoint whose part files are committed. */
const COMPLETED_CHECKPOINT = /Completed checkpoint \d+ for job/;

/**
 * How each engine shows that S3 failed it. The embedded writer reports each retried S3 request (`retrying`
 * events of its --json log). The Flink job's S3 client (S3A) retries inside the checkpoint, silently at the
 * job's log level: the checkpoint in progress stalls and no checkpoint completes (nothing is committed)
 * until S3 is back; the CheckpointCoordinator logs each completed one.
 */
function s3FailuresSeen(engine: Engine, outage: NonNullable<FaultWorld['s3Outage']>): { seen: boolean; what: string } {
  if (engine === Engine.EMBEDDED) {
    const retried = outage.writerOutput.split('\n').filter((l) => l.includes('"what":"retrying"'));
    return {
      seen: retried.length > 0,
      what: `retried S3 requests reported: ${retried.length}\n${retried.slice(0, 3).join('\n')}`,
    };
  }
  const completed = outage.writerOutputLate.split('\n').filter((l) => COMPLETED_CHECKPOINT.test(l));
  return {
    seen: completed.length === 0,
    what: `checkpoints completed from ${STALL_GRACE_MS / 1000} s into the outage to its end: ${completed.length} (none = the job's commits stalled on S3)\n${completed.slice(0, 3).join('\n')}`,
  };
}

Then(
  "S3 refused the writer's requests during the outage, and the writer's commits failed until it ended",
  function (this: FaultWorld) {
    const outage = this.s3Outage;
    assert.ok(outage, 'the scenario made no S3 outage');
    const { engine } = writerUnderTest();
    const failures = s3FailuresSeen(engine, outage);
    this.attach(
      `records not committed at the outage's start: ${outage.uncommitted}; requests answered 503 by the fault proxy: ${outage.answered503}; ${failures.what}`,
    );
    assert.ok(outage.uncommitted > 0, 'every record on the topic was committed when S3 went away: nothing was in flight');
    assert.ok(outage.answered503 > 0, 'no request of the writer reached the fault proxy while it answered 503');
    assert.ok(
      failures.seen,
      `the ${engine} writer showed no failed S3 request: ${failures.what}\n${outage.writerOutput.slice(-3000)}`,
    );
  },
);

Then('pyarrow finds no event_id twice in the landing zone', async function (this: ChargebackWorld) {
  const { bucket } = writerUnderTest();
  const scan = await scanEventIdsWithPyarrow(bucket);
  this.attach(`pyarrow read ${scan.rows} rows (${scan.distinct} event_ids) from ${scan.files} files of s3://${bucket}`);
  assert.ok(scan.rows > 0, `pyarrow found no rows in s3://${bucket}`);
  assert.equal(scan.duplicated, 0, `event_ids in more than one row: ${JSON.stringify(scan.duplicates)}`);
});
