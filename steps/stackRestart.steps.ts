import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Then, When } from '@cucumber/cucumber';
import { runLoad } from '../cli/commands/load.ts';
import { stackStatus } from '../localstack/index.ts';
import { createKafka, kafkaConfigFromEnv, Topics } from '../pipeline/kafka/index.ts';
import { currentPipeline } from './support/pipeline.ts';
import type { ChargebackWorld } from './support/world.ts';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../bin/chargeback-cdc.js', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the topic held at one instant: end offset per partition and the event_id at every offset. */
interface TopicSnapshot {
  endOffsets: number[];
  /** `<partition>/<offset>` → event_id (or the raw value when it is not a change record). */
  records: Map<string, string>;
}

type RestartWorld = ChargebackWorld & { beforeKill?: TopicSnapshot; stackUpOutput?: string };

async function endOffsets(): Promise<number[]> {
  const admin = createKafka(kafkaConfigFromEnv('acceptance-stack-restart')).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(Topics.CHANGES);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

/** Reads the whole topic from the beginning up to the end offsets of now, with a throwaway group. */
async function snapshotTopic(): Promise<TopicSnapshot> {
  const ends = await endOffsets();
  const records = new Map<string, string>();
  const total = ends.reduce((n, o) => n + o, 0);
  const consumer = createKafka(kafkaConfigFromEnv('acceptance-stack-restart')).consumer({
    groupId: `acceptance-stack-restart-${crypto.randomUUID()}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: Topics.CHANGES, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= (ends[partition] ?? 0)) return;
        const value = message.value?.toString() ?? '';
        let id = value;
        try {
          id = String((JSON.parse(value) as { event_id?: string }).event_id ?? value);
        } catch {
          // Not JSON (a poison record a scenario put there): its bytes identify it.
        }
        records.set(`${partition}/${message.offset}`, id);
      },
    });
    const deadline = Date.now() + 60_000;
    while (records.size < total && Date.now() < deadline) await sleep(200);
  } finally {
    await consumer.disconnect();
  }
  assert.equal(records.size, total, `read ${records.size} of the ${total} records on ${Topics.CHANGES}`);
  return { endOffsets: ends, records };
}

When('{int} chargeback requests are sent', async (count: number) => {
  const errors = await runLoad({ count, rate: 20, concurrency: 4, apiUrl: currentPipeline().apiUrl, json: true });
  assert.equal(errors, 0, 'the load itself had errors');
});

When(
  'the Kafka broker is killed with SIGKILL and `chargeback-cdc stack up` is run',
  { timeout: 180_000 },
  async function (this: RestartWorld) {
    this.beforeKill = await snapshotTopic();
    assert.ok(this.beforeKill.records.size > 0, 'the topic holds records before the kill');
    const pid = (await stackStatus()).services.find((s) => s.service === 'kafka')?.pid;
    assert.ok(pid, 'the broker runs with a pid of ours');
    process.kill(pid, 'SIGKILL');
    while ((await stackStatus()).services.find((s) => s.service === 'kafka')?.state === 'up') await sleep(100);
    const started = Date.now();
    // The command an operator types, as a separate process: what it prints is part of the contract.
    const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, 'stack', 'up'], { env: process.env });
    this.stackUpOutput = `${stderr}${stdout}`;
    this.attach(`stack up after SIGKILL (${Date.now() - started} ms):\n${this.stackUpOutput}`);
  },
);

Then('stack up restarted the broker on its existing data without re-formatting it', function (this: RestartWorld) {
  const out = this.stackUpOutput ?? '';
  assert.match(out, /Kafka broker restarted on its existing data/);
  assert.doesNotMatch(out, /format/i, 'stack up formatted the broker storage');
  assert.match(out, /stack is up/);
});

Then(
  'the chargebacks topic still holds every record it had before the kill, at the same offsets',
  { timeout: 120_000 },
  async function (this: RestartWorld) {
    const before = this.beforeKill;
    assert.ok(before, 'no snapshot was taken before the kill');
    const after = await snapshotTopic();
    for (const [p, end] of before.endOffsets.entries()) {
      assert.ok((after.endOffsets[p] ?? 0) >= end, `partition ${p}: end offset ${after.endOffsets[p]} < ${end} before the kill`);
    }
    const missing = [...before.records].filter(([at, id]) => after.records.get(at) !== id);
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} records are gone or changed since the kill`);
    this.attach(`end offsets before the kill ${before.endOffsets.join('/')}, after ${after.endOffsets.join('/')}`);
  },
);
