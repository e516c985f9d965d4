import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from 'kafkajs';
import { DlqHeaders } from '../kafka/index.ts';
import { startWriter, type RunningWriter, type WriterConfig, type WriterEvent } from './index.ts';
import { isBucketId } from './BucketAssigner.ts';
import { splitLandedKey } from './listLandedFiles.ts';
import { changeRecord } from '../../fixtures/changeRecords.ts';
import { assertExactlyOnce, readLanded } from '../../fixtures/landedRows.ts';
import { messageOf, produce, type Produced } from '../../fixtures/testMessages.ts';
import { isolatedWriterSetup, requireStack, type TestStack } from '../../fixtures/TestStack.ts';
import { waitUntil } from '../../localstack/waitUntil.ts';

/**
 * The writer against a real Kafka and S3 (the local stack must be up: `npx tsx cli/main.ts stack up`).
 * Each test has its own topics, landing prefix and consumer group.
 */
let stack: TestStack;
let producer: Producer;

before(async () => {
  stack = await requireStack();
  producer = stack.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
});
after(async () => {
  await producer?.disconnect();
  await stack?.close();
});

async function setup(name: string, overrides: Partial<WriterConfig> = {}) {
  const s = await isolatedWriterSetup(stack, name);
  const events: WriterEvent[] = [];
  const config: WriterConfig = { ...s, rolloverMs: 500, sessionTimeoutMs: 6_000, onEvent: (e) => events.push(e), ...overrides };
  const writers: RunningWriter[] = [];
  return {
    ...s,
    events,
    start: async (more: Partial<WriterConfig> = {}) => {
      const w = await startWriter({ ...config, ...more });
      writers.push(w);
      return w;
    },
    landed: () => readLanded(stack.s3, s.bucket, s.prefix),
    waitForRows: async (n: number, timeoutMs = 60_000) => {
      const landed = await waitUntil(
        async () => {
          const rows = await readLanded(stack.s3, s.bucket, s.prefix);
          return rows.length >= n ? rows : undefined;
        },
        { timeoutMs, intervalMs: 500 },
      );
      assert.ok(landed.ok, `${n} landed rows: ${landed.ok || landed.reason}`);
      return landed.value;
    },
    stopAll: () => Promise.all(writers.map((w) => w.stop())),
  };
}

const expectedOf = (produced: Produced[], records: ReturnType<typeof changeRecord>[]) =>
  produced.map((p, i) => ({ record: records[i]!, partition: p.partition, offset: p.offset }));

async function groupOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const [t] = await stack.admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries(t!.partitions.map((p) => [p.partition, p.offset]));
}

async function endOffsets(topic: string): Promise<Record<number, string>> {
  return Object.fromEntries((await stack.admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
}

describe('LandingWriter against Kafka and S3', () => {
  it('lands every record of a clean run exactly once, in UTC hour buckets named after partition and offsets', async () => {
    // Prepare
    const t = await setup('clean');
    const records = Array.from({ length: 3_000 }, (_, i) => changeRecord(i, { amount: i % 2 ? '99999999999999.99' : '0.01' }));
    const produced = await produce(producer, t.topic, records.map(messageOf));

    // Act
    const writer = await t.start();
    const landed = await t.waitForRows(records.length);
    await writer.stop();
    await writer.done;

    // Assess
    assertExactlyOnce(await t.landed(), expectedOf(produced, records));
    for (const l of landed) assert.ok(isBucketId(splitLandedKey(l.key, t.prefix).bucket), l.key);
    assert.deepEqual(await groupOffsets(t.groupId, t.topic), await endOffsets(t.topic), 'group offsets committed up to the end');
    const s = writer.stats();
    assert.equal(s.recordsConsumed, 3_000);
    assert.equal(s.rowsLanded, 3_000);
    assert.equal(s.bufferedRows, 0);
    assert.ok(s.filesCommitted >= 3);
  });

  it('dead-letters poison records with their bytes and reason while the good records around them land', async () => {
    const t = await setup('poison');
    const good = Array.from({ length: 30 }, (_, i) => changeRecord(i));
    const poison = [
      { partition: 0, key: 'p-utf8', value: Buffer.from([0xc3, 0x28, 0xff]) },
      { partition: 1, key: 'p-json', value: Buffer.from('{"schema_version":1,') },
      { partition: 2, key: 'p-version', value: Buffer.from(JSON.stringify({ ...changeRecord(99), schema_version: 7 })) },
      {
        partition: 0,
        key: 'p-invalid',
        value: Buffer.from(JSON.stringify({ ...changeRecord(98), currency: 'XYZ', amount: '-1' })),
      },
    ];
    const messages = [...good.slice(0, 15).map(messageOf), ...poison, ...good.slice(15).map(messageOf)];
    const produced = await produce(producer, t.topic, messages);

    const writer = await t.start();
    await t.waitForRows(good.length);
    const committed = await waitUntil(
      async () => {
        const [g, e] = [await groupOffsets(t.groupId, t.topic), await endOffsets(t.topic)];
        return JSON.stringify(g) === JSON.stringify(e) ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(committed.ok, `poison offsets committed: ${committed.ok || committed.reason}`);
    await writer.stop();

    assertExactlyOnce(
      await t.landed(),
      produced
        .filter((p) => !p.key.startsWith('p-'))
        .map((p) => ({ record: good.find((g) => g.chargeback_id === p.key)!, partition: p.partition, offset: p.offset })),
    );
    const dead = await readTopic(t.dlqTopic, poison.length);
    assert.equal(dead.length, poison.length);
    for (const p of poison) {
      const d = dead.find((m) => m.key === p.key)!;
      const src = produced.find((x) => x.key === p.key)!;
      assert.deepEqual(d.value, p.value, 'original bytes');
      assert.equal(d.headers[DlqHeaders.SOURCE_TOPIC], t.topic);
      assert.equal(d.headers[DlqHeaders.SOURCE_PARTITION], String(src.partition));
      assert.equal(d.headers[DlqHeaders.SOURCE_OFFSET], src.offset.toString());
    }
    assert.match(dead.find((m) => m.key === 'p-utf8')!.headers[DlqHeaders.REASON]!, /value: is not valid UTF-8/);
    assert.match(dead.find((m) => m.key === 'p-json')!.headers[DlqHeaders.REASON]!, /value: is not JSON/);
    assert.match(
      dead.find((m) => m.key === 'p-version')!.headers[DlqHeaders.REASON]!,
      /schema_version: unknown schema_version 7/,
    );
    const invalid = dead.find((m) => m.key === 'p-invalid')!.headers[DlqHeaders.REASON]!;
    assert.match(invalid, /currency: must be a known ISO 4217 currency code/);
    assert.match(invalid, /amount: must be a positive decimal number/, 'every problem, not only the first');
    assert.equal(writer.stats().dlqRecords, poison.length);
  });

  it('drops upstream duplicates by event_id and sequence_number, also after a writer restart', async () => {
    const t = await setup('dups');
    const records = Array.from({ length: 40 }, (_, i) => changeRecord(i, { chargeback_id: `cb-${i % 8}` }));
    const first = await produce(
      producer,
      t.topic,
      [...records.slice(0, 20), ...records.slice(5, 10), ...records.slice(20)].map(messageOf),
    );

    const w1 = await t.start();
    await t.waitForRows(40);
    await w1.stop();
    assert.equal(w1.stats().duplicatesDropped, 5);

    // A Lambda retry re-publishes an old batch while no writer runs; the restarted writer still knows them.
    await produce(producer, t.topic, records.slice(30, 40).map(messageOf));
    const fresh = Array.from({ length: 5 }, (_, i) => changeRecord(100 + i, { chargeback_id: `cb-new-${i}` }));
    const second = await produce(producer, t.topic, fresh.map(messageOf));
    const w2 = await t.start();
    await t.waitForRows(45);
    const committed = await waitUntil(
      async () =>
        JSON.stringify(await groupOffsets(t.groupId, t.topic)) === JSON.stringify(await endOffsets(t.topic)) ? true : undefined,
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    assert.ok(committed.ok, `all offsets committed: ${committed.ok || committed.reason}`);
    await w2.stop();

    assert.equal(w2.stats().duplicatesDropped, 10);
    const originals = first
      .filter((_, i) => i < 20 || i >= 25)
      .map((p, i) => ({ record: [...records.slice(0, 20), ...records.slice(20)][i]!, partition: p.partition, offset: p.offset }));
    assertExactlyOnce(await t.landed(), [...originals, ...expectedOf(second, fresh)]);
  });

  it('pauses the consumer at maxBufferedBytes instead of buffering more, and still lands everything once', async () => {
    const t = await setup('backpressure', { rolloverMs: 60_000, maxBufferedBytes: 64 * 1024, maxPartBytes: 128 * 1024 * 1024 });
    const records = Array.from({ length: 6_000 }, (_, i) => changeRecord(i, { reason: `r${i} ${'x'.repeat(200)}` }));
    const produced = await produce(producer, t.topic, records.map(messageOf));

    const writer = await t.start();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, writer.stats().bufferedBytes)), 5);
    await t.waitForRows(records.length, 120_000);
    clearInterval(sampler);
    await writer.stop();

    assertExactlyOnce(await t.landed(), expectedOf(produced, records));
    assert.ok(
      t.events.some((e) => e.type === 'backpressure' && e.paused),
      'paused at least once',
    );
    assert.ok(
      t.events.some((e) => e.type === 'checkpoint-committed' && e.reason === 'memory-pressure'),
      'rolled early under memory pressure',
    );
    // One fetched batch (≤ 1 MiB per partition) may land on top of the cap before the pause takes effect.
    assert.ok(peak < 64 * 1024 + 3 * 1024 * 1024, `peak buffered ${peak} bytes`);
  });

  it('keeps exactly once when a second writer joins the group mid-stream and the first leaves (rebalance)', async () => {
    const t = await setup('rebalance', { rolloverMs: 300 });
    const records = Array.from({ length: 6_000 }, (_, i) => changeRecord(i));
    const produced: Produced[] = [];
    const a = await t.start();
    produced.push(...(await produce(producer, t.topic, records.slice(0, 2_000).map(messageOf))));
    const b = await t.start();
    produced.push(...(await produce(producer, t.topic, records.slice(2_000, 4_000).map(messageOf))));
    await a.stop();
    produced.push(...(await produce(producer, t.topic, records.slice(4_000).map(messageOf))));
    await t.waitForRows(records.length, 120_000);
    await b.stop();

    assertExactlyOnce(await t.landed(), expectedOf(produced, records));
    assert.ok(
      t.events.some((e) => e.type === 'partition-recovered' && e.epoch > 1),
      'a partition changed owner',
    );
  });
});

async function readTopic(
  topic: string,
  count: number,
): Promise<Array<{ key: string; value: Buffer; headers: Record<string, string> }>> {
  const groupId = `pw-it-reader-${Date.now()}`;
  stack.created.groups.push(groupId);
  const consumer = stack.kafka.consumer({ groupId });
  const out: Array<{ key: string; value: Buffer; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      out.push({ key: String(message.key), value: message.value!, headers });
    },
  });
  const read = await waitUntil(async () => (out.length >= count ? true : undefined), { timeoutMs: 30_000, intervalMs: 250 });
  assert.ok(read.ok, `${count} messages on ${topic}: ${read.ok || read.reason}`);
  await consumer.disconnect();
  return out;
}
